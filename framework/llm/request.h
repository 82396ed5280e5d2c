/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What one ask becomes: the context JSON, the template variables and the request key. */
#ifndef DMAS_LLM_REQUEST_H
#define DMAS_LLM_REQUEST_H

#include <glib.h>

#include <dmas/llm.h>

G_BEGIN_DECLS

/* The request context (issue7-common.md): {"job":{...},"cluster":{...},"specialisation":..,
 * "compromised":..}.  Written by hand with fixed number formats, not by json-glib, because it
 * is hashed into the replay key: a cache must stay valid across json-glib versions.
 * Returns: (transfer full). */
gchar *dmas_llm_context_json (const DmasLlmAsk *ask, const gchar *cluster_name,
                              gboolean compromised);

/* The {{name}} values: job_*, cluster_*, free_nodes, queued_jobs, running_jobs, used_cores,
 * specialisation, schema, then ask->vars.
 * Returns: (transfer full) a NULL-terminated array of name, value pairs, or NULL with error
 * set when ask->vars names a built-in placeholder. */
GStrv dmas_llm_template_vars (const DmasLlmAsk *ask, const gchar *cluster_name,
                              const gchar *schema, GError **error);

/* SHA-256 (hex) of model, system, prompt, schema, context, temperature (%.17g), seed and
 * max_tokens (%u), each followed by a NUL byte.  The provider's name is not part of it, so
 * a cache recorded with one provider replays under another. */
void dmas_llm_request_key (const gchar *model, const gchar *system, const gchar *prompt,
                           const gchar *schema, const gchar *context, gdouble temperature,
                           guint64 seed, guint max_tokens, gchar out[DMAS_LLM_KEY_SIZE + 1]);

G_END_DECLS

#endif /* DMAS_LLM_REQUEST_H */
