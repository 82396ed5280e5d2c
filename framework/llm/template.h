/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prompt templates: <dir>/<name>.txt with {{name}} placeholders. */
#ifndef DMAS_LLM_TEMPLATE_H
#define DMAS_LLM_TEMPLATE_H

#include <glib.h>

G_BEGIN_DECLS

/* A template file is at most this long. */
#define DMAS_LLM_TEMPLATE_MAX_BYTES (256 * 1024)

typedef struct DmasLlmTemplate DmasLlmTemplate;

/* TRUE when `name` can name a template: 1-64 of [A-Za-z0-9_-] (no path separators). */
gboolean dmas_llm_template_name_valid (const gchar *name);

/* Returns: (transfer full) the prompts directory: `configured` when it is not empty, else the
 * built-in one (DMAS_ABS_SRCDIR/configs/prompts when running from the build tree,
 * DMAS_DATADIR/configs/prompts otherwise). */
gchar *dmas_llm_prompts_dir (const gchar *configured);

/* Loads <dir>/<name>.txt (UTF-8 text under the size cap).
 * Returns: (transfer full) the template, or NULL with error naming the file and the fix. */
DmasLlmTemplate *dmas_llm_template_load (const gchar *dir, const gchar *name, GError **error);
void dmas_llm_template_free (DmasLlmTemplate *tpl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasLlmTemplate, dmas_llm_template_free)

/* Returns: (transfer none) the name ("bid") and the file's path. */
const gchar *dmas_llm_template_name (const DmasLlmTemplate *tpl);
const gchar *dmas_llm_template_path (const DmasLlmTemplate *tpl);

/* Replaces every {{name}} (spaces allowed inside the braces) with its value from `vars`, a
 * NULL-terminated array of name, value pairs (the first pair of a name wins).  Values are
 * inserted as they are, never scanned for placeholders.  "{{" that does not open a
 * placeholder, and a name not in `vars`, are errors naming FILE:LINE (DMAS_CONFIG_ERROR).
 * Returns: (transfer full) the text, or NULL with error set. */
gchar *dmas_llm_template_render (const DmasLlmTemplate *tpl, const gchar *const *vars,
                                 GError **error);

G_END_DECLS

#endif /* DMAS_LLM_TEMPLATE_H */
