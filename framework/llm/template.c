/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prompt templates: <dir>/<name>.txt with {{name}} placeholders. */
#include <config.h>

#include <string.h>

#include "config/node.h"
#include "llm/template.h"

struct DmasLlmTemplate {
  gchar *name;
  gchar *path;
  gchar *text;
};

gboolean
dmas_llm_template_name_valid (const gchar *name)
{
  gsize n = strlen (name);

  if (n == 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '-')
      return FALSE;
  return TRUE;
}

gchar *
dmas_llm_prompts_dir (const gchar *configured)
{
  if (configured != NULL && configured[0] != '\0')
    return g_strdup (configured);
  return dmas_configs_path ("prompts");
}

DmasLlmTemplate *
dmas_llm_template_load (const gchar *dir, const gchar *name, GError **error)
{
  g_autofree gchar *file = g_strconcat (name, ".txt", NULL);
  g_autofree gchar *path = g_build_filename (dir, file, NULL);
  g_autofree gchar *text = NULL;
  g_autoptr (GError) local = NULL;
  DmasLlmTemplate *tpl;
  gsize len = 0;

  if (!dmas_llm_template_name_valid (name))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "prompt template name '%s' is not valid: use letters, digits, '_' and '-'",
                   name);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, local->domain, local->code,
                   "%s (llm.prompts names a directory holding system.txt, compromised.txt "
                   "and bid.txt; leave it empty for the built-in templates)", local->message);
      return NULL;
    }
  if (len > DMAS_LLM_TEMPLATE_MAX_BYTES)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_LIMIT,
                   "%s: %" G_GSIZE_FORMAT " bytes, over the %d-byte limit of a prompt template",
                   path, len, DMAS_LLM_TEMPLATE_MAX_BYTES);
      return NULL;
    }
  if (memchr (text, '\0', len) != NULL || !g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "%s: not UTF-8 text; save it as UTF-8", path);
      return NULL;
    }
  tpl = g_new0 (DmasLlmTemplate, 1);
  tpl->name = g_strdup (name);
  tpl->path = g_steal_pointer (&path);
  tpl->text = g_steal_pointer (&text);
  return tpl;
}

void
dmas_llm_template_free (DmasLlmTemplate *tpl)
{
  if (tpl == NULL)
    return;
  g_free (tpl->name);
  g_free (tpl->path);
  g_free (tpl->text);
  g_free (tpl);
}

const gchar *
dmas_llm_template_name (const DmasLlmTemplate *tpl)
{
  return tpl->name;
}

const gchar *
dmas_llm_template_path (const DmasLlmTemplate *tpl)
{
  return tpl->path;
}

static const gchar *
lookup (const gchar *const *vars, const gchar *name, gsize len)
{
  for (gsize i = 0; vars != NULL && vars[i] != NULL && vars[i + 1] != NULL; i += 2)
    if (strlen (vars[i]) == len && strncmp (vars[i], name, len) == 0)
      return vars[i + 1];
  return NULL;
}

static gchar *
known_names (const gchar *const *vars)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; vars != NULL && vars[i] != NULL && vars[i + 1] != NULL; i += 2)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", vars[i]);
  return g_string_free (s, FALSE);
}

gchar *
dmas_llm_template_render (const DmasLlmTemplate *tpl, const gchar *const *vars, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const gchar *p = tpl->text;
  guint line = 1;

  while (*p != '\0')
    {
      const gchar *name, *q;
      const gchar *value;
      gsize len;

      if (p[0] != '{' || p[1] != '{')
        {
          if (*p == '\n')
            line++;
          g_string_append_c (out, *p++);
          continue;
        }
      q = p + 2;
      while (*q == ' ')
        q++;
      name = q;
      while (g_ascii_isalnum (*q) || *q == '_')
        q++;
      len = (gsize) (q - name);
      while (*q == ' ')
        q++;
      if (len == 0 || q[0] != '}' || q[1] != '}')
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_SYNTAX,
                       "%s:%u: '{{' must open a placeholder such as {{job_id}}", tpl->path,
                       line);
          return NULL;
        }
      value = lookup (vars, name, len);
      if (value == NULL)
        {
          g_autofree gchar *known = known_names (vars);

          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "%s:%u: unknown placeholder {{%.*s}} (known: %s)", tpl->path, line,
                       (int) len, name, known);
          return NULL;
        }
      g_string_append (out, value);
      p = q + 2;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
