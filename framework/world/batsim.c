/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Batsim JSON workload reader (json-glib). */
#include "config.h"

#include <math.h>
#include <stdarg.h>

#include <json-glib/json-glib.h>

#include "world/batsim.h"
#include "world/trace.h"

static gboolean fail (GError **error, DmasConfigError code, const gchar *format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, DmasConfigError code, const gchar *format, ...)
{
  g_autofree gchar *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, DMAS_CONFIG_ERROR, code, message);
  return FALSE;
}

/* A JSON number, integer or not. */
static gboolean
get_number (JsonObject *object, const gchar *member, gdouble *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = (gdouble) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return isfinite (*out);
    default:
      return FALSE;
    }
}

static gboolean
get_integer (JsonObject *object, const gchar *member, gint64 *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* Seconds to ns; FALSE beyond 300 years, where nothing real lies and doubles lose the ns. */
static gboolean
seconds_ns (gdouble s, DmasTime *out)
{
  if (!(s >= 0 && s < 9467280000.0))
    return FALSE;
  *out = (DmasTime) floor (s * 1e9 + 0.5);
  return TRUE;
}

/* The job's id as Batsim writes it: a string, or an integer. */
static gchar *
job_id (JsonObject *job)
{
  JsonNode *node = json_object_get_member (job, "id");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/* The runtime of the job's profile: only "delay" profiles say how long a job runs here. */
static gboolean
profile_runtime (const gchar *name, JsonObject *profiles, JsonObject *job, const gchar *id,
                 gdouble *delay, GError **error)
{
  const gchar *profile_name = json_object_get_string_member_with_default (job, "profile", NULL);
  JsonNode *node;
  JsonObject *profile;
  const gchar *type;

  if (profile_name == NULL)
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': 'profile' is missing (the name "
                 "of an entry of 'profiles')", name, id);
  node = json_object_get_member (profiles, profile_name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': profile '%s' is not defined in "
                 "'profiles'", name, id, profile_name);
  profile = json_node_get_object (node);
  type = json_object_get_string_member_with_default (profile, "type", NULL);
  if (type == NULL)
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': profile '%s' has no 'type'",
                 name, id, profile_name);
  if (g_strcmp0 (type, "delay") != 0)
    return fail (error, DMAS_CONFIG_ERROR_UNSUPPORTED, "%s: job '%s': profile '%s' has type "
                 "'%s', which is not supported yet (only 'delay' profiles are)", name, id,
                 profile_name, type);
  if (!get_number (profile, "delay", delay) || *delay < 0)
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': profile '%s' needs 'delay', "
                 "a number of seconds >= 0", name, id, profile_name);
  return TRUE;
}

static gboolean
read_job (const gchar *name, JsonObject *profiles, JsonNode *node, guint index,
          DmasTraceJobs *trace, GError **error)
{
  g_autofree gchar *id = NULL;
  JsonObject *job;
  gdouble subtime = 0, walltime = -1, delay = 0;
  gint64 res = 0;
  DmasJob out = { .cores = 1, .type = DMAS_JOB_HPC };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: jobs[%u]: expected an object", name,
                 index);
  job = json_node_get_object (node);
  id = job_id (job);
  if (id == NULL)
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: jobs[%u]: 'id' is missing (a string or "
                 "an integer)", name, index);
  if (!get_number (job, "subtime", &subtime) || !seconds_ns (subtime, &out.submit))
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': 'subtime' must be a number of "
                 "seconds >= 0", name, id);
  if (!get_integer (job, "res", &res) || res < 1 || res > G_MAXUINT32)
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': 'res' must be an integer >= 1 "
                 "(the number of resources)", name, id);
  if (json_object_has_member (job, "walltime") && !get_number (job, "walltime", &walltime))
    return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': 'walltime' must be a number of "
                 "seconds (-1: unknown)", name, id);
  if (!profile_runtime (name, profiles, job, id, &delay, error))
    return FALSE;

  trace->stats.records++;
  if (!seconds_ns (delay, &out.runtime) || out.runtime == 0)
    {
      trace->stats.dropped_runtime++;
      return TRUE;
    }
  out.nodes = (guint32) res;
  if (walltime > 0)
    {
      if (!seconds_ns (walltime, &out.walltime))
        return fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: job '%s': 'walltime' is too large",
                     name, id);
    }
  else
    out.walltime = out.runtime;
  {
    gint64 key = index;

    g_array_append_val (trace->jobs, out);
    g_array_append_val (trace->keys, key);
    g_ptr_array_add (trace->ids, g_steal_pointer (&id));
  }
  return TRUE;
}

DmasWorkload *
dmas_batsim_parse (const gchar *text, gsize len, const gchar *name, guint *nb_res,
                   GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  g_autoptr (DmasTraceJobs) trace = dmas_trace_jobs_new ();
  JsonNode *root, *jobs, *profiles;
  JsonObject *object;
  JsonArray *list;
  gint64 res = 0;

  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: not a valid JSON document: %s", name,
            local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: expected a Batsim workload, a JSON object with "
            "'jobs' and 'profiles'", name);
      return NULL;
    }
  object = json_node_get_object (root);
  jobs = json_object_get_member (object, "jobs");
  profiles = json_object_get_member (object, "profiles");
  if (jobs == NULL || !JSON_NODE_HOLDS_ARRAY (jobs) || profiles == NULL
      || !JSON_NODE_HOLDS_OBJECT (profiles))
    {
      fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: expected a Batsim workload: 'jobs' (a list) "
            "and 'profiles' (an object) are required", name);
      return NULL;
    }
  if (json_object_has_member (object, "nb_res")
      && (!get_integer (object, "nb_res", &res) || res < 1 || res > G_MAXUINT32))
    {
      fail (error, DMAS_CONFIG_ERROR_VALUE, "%s: 'nb_res' must be an integer >= 1", name);
      return NULL;
    }
  list = json_node_get_array (jobs);
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (!read_job (name, json_node_get_object (profiles), json_array_get_element (list, i), i,
                   trace, error))
      return NULL;
  if (nb_res != NULL)
    *nb_res = (guint) res;
  return dmas_trace_jobs_finish (g_steal_pointer (&trace));
}

DmasWorkload *
dmas_batsim_read (const gchar *path, guint *nb_res, GError **error)
{
  g_autoptr (GBytes) bytes = dmas_trace_file_read (path, error);
  gsize len = 0;
  const gchar *text;

  if (bytes == NULL)
    return NULL;
  text = g_bytes_get_data (bytes, &len);
  return dmas_batsim_parse (text, len, path, nb_res, error);
}
