/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What one ask becomes: the context JSON, the template variables and the request key. */
#include <config.h>

#include <string.h>

#include "config/node.h"
#include "llm/request.h"
#include "world/platform.h"

static const gchar *const job_types[] = {
  [DMAS_JOB_HPC] = "hpc",       [DMAS_JOB_AI] = "ai",           [DMAS_JOB_HYBRID] = "hybrid",
  [DMAS_JOB_MEMORY] = "memory", [DMAS_JOB_STORAGE] = "storage", [DMAS_JOB_GENERAL] = "general",
};

static const gchar *
job_type_name (DmasJobType type)
{
  return (gsize) type < G_N_ELEMENTS (job_types) ? job_types[type] : "unknown";
}

static const gchar *
specialisation (const DmasLlmAsk *ask)
{
  return ask->specialisation != NULL ? ask->specialisation : "general";
}

static void
append_json_string (GString *s, const gchar *text)
{
  g_string_append_c (s, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (s, "\\%c", *p);
      else if (*p < 0x20)
        g_string_append_printf (s, "\\u%04x", *p);
      else
        g_string_append_c (s, (gchar) *p);
    }
  g_string_append_c (s, '"');
}

static void
append_double (GString *s, gdouble v)
{
  g_autofree gchar *text = dmas_format_double (v);

  g_string_append (s, text);
}

static gdouble
walltime_s (const DmasJob *job)
{
  return (gdouble) job->walltime / (gdouble) DMAS_S;
}

gchar *
dmas_llm_context_json (const DmasLlmAsk *ask, const gchar *cluster_name, gboolean compromised)
{
  const DmasJob *j = ask->job;
  const DmasClusterView *c = ask->cluster;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "{\"job\":{\"id\":%" G_GUINT64_FORMAT ",\"nodes\":%u,\"cores\":%u,"
                          "\"memory_gb\":", j->id, j->nodes, j->cores);
  append_double (s, j->memory_gb);
  g_string_append_printf (s, ",\"gpus\":%u,\"walltime_s\":", j->gpus);
  append_double (s, walltime_s (j));
  g_string_append_printf (s, ",\"type\":\"%s\"},\"cluster\":{\"name\":", job_type_name (j->type));
  append_json_string (s, cluster_name);
  g_string_append_printf (s, ",\"type\":\"%s\",\"nodes\":%u,\"cores\":%u,\"memory_gb\":",
                          dmas_cluster_type_to_string (c->type), c->nodes, c->cores_per_node);
  append_double (s, c->memory_gb_per_node);
  g_string_append_printf (s, ",\"gpus\":%u,\"speed\":", c->gpus_per_node);
  append_double (s, c->speed);
  g_string_append_printf (s, ",\"free_nodes\":%u,\"queued_jobs\":%u,\"running_jobs\":%u,"
                          "\"used_cores\":%" G_GUINT64_FORMAT "},\"specialisation\":",
                          c->free_nodes, c->queued_jobs, c->running_jobs, c->used_cores);
  append_json_string (s, specialisation (ask));
  g_string_append_printf (s, ",\"compromised\":%s}", compromised ? "true" : "false");
  return g_string_free (s, FALSE);
}

static void
add (GPtrArray *a, const gchar *name, gchar *value)
{
  g_ptr_array_add (a, g_strdup (name));
  g_ptr_array_add (a, value);
}

GStrv
dmas_llm_template_vars (const DmasLlmAsk *ask, const gchar *cluster_name, const gchar *schema,
                        GError **error)
{
  const DmasJob *j = ask->job;
  const DmasClusterView *c = ask->cluster;
  g_autoptr (GPtrArray) a = g_ptr_array_new_with_free_func (g_free);
  guint n_builtin;

  add (a, "job_id", g_strdup_printf ("%" G_GUINT64_FORMAT, j->id));
  add (a, "job_nodes", g_strdup_printf ("%u", j->nodes));
  add (a, "job_cores", g_strdup_printf ("%u", j->cores));
  add (a, "job_memory_gb", dmas_format_double (j->memory_gb));
  add (a, "job_gpus", g_strdup_printf ("%u", j->gpus));
  add (a, "job_walltime_s", dmas_format_double (walltime_s (j)));
  add (a, "job_type", g_strdup (job_type_name (j->type)));
  add (a, "cluster_name", g_strdup (cluster_name));
  add (a, "cluster_type", g_strdup (dmas_cluster_type_to_string (c->type)));
  add (a, "cluster_nodes", g_strdup_printf ("%u", c->nodes));
  add (a, "cluster_cores", g_strdup_printf ("%u", c->cores_per_node));
  add (a, "cluster_memory_gb", dmas_format_double (c->memory_gb_per_node));
  add (a, "cluster_gpus", g_strdup_printf ("%u", c->gpus_per_node));
  add (a, "cluster_speed", dmas_format_double (c->speed));
  add (a, "free_nodes", g_strdup_printf ("%u", c->free_nodes));
  add (a, "queued_jobs", g_strdup_printf ("%u", c->queued_jobs));
  add (a, "running_jobs", g_strdup_printf ("%u", c->running_jobs));
  add (a, "used_cores", g_strdup_printf ("%" G_GUINT64_FORMAT, c->used_cores));
  add (a, "specialisation", g_strdup (specialisation (ask)));
  add (a, "schema", g_strdup (schema));
  n_builtin = a->len;
  for (gsize i = 0; ask->vars != NULL && ask->vars[i] != NULL; i += 2)
    {
      if (ask->vars[i + 1] == NULL)
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "llm_request: vars entry '%s' has no value (vars holds name, value "
                       "pairs ending with NULL)", ask->vars[i]);
          return NULL;
        }
      for (guint k = 0; k < n_builtin; k += 2)
        if (strcmp (g_ptr_array_index (a, k), ask->vars[i]) == 0)
          {
            g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                         "llm_request: vars entry '%s' is a built-in placeholder; rename it",
                         ask->vars[i]);
            return NULL;
          }
      add (a, ask->vars[i], g_strdup (ask->vars[i + 1]));
    }
  g_ptr_array_add (a, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&a), FALSE);
}

static void
update (GChecksum *sum, const gchar *text)
{
  /* The NUL after each field keeps ("ab", "c") and ("a", "bc") apart. */
  g_checksum_update (sum, (const guchar *) text, (gssize) strlen (text) + 1);
}

void
dmas_llm_request_key (const gchar *model, const gchar *system, const gchar *prompt,
                      const gchar *schema, const gchar *context, gdouble temperature,
                      guint64 seed, guint max_tokens, gchar out[DMAS_LLM_KEY_SIZE + 1])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree gchar *seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  g_autofree gchar *tokens_text = g_strdup_printf ("%u", max_tokens);

  update (sum, model);
  update (sum, system);
  update (sum, prompt);
  update (sum, schema);
  update (sum, context);
  update (sum, g_ascii_formatd (buf, sizeof buf, "%.17g", temperature));
  update (sum, seed_text);
  update (sum, tokens_text);
  g_strlcpy (out, g_checksum_get_string (sum), DMAS_LLM_KEY_SIZE + 1);
}
