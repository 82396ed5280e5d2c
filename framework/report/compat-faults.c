/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The predecessor's fault files (fault_logs.json, fault_results_per_method.json), built
 * from each finished run's faults.jsonl. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "metrics/summary.h"
#include "report/data-private.h"

/* One fault as the predecessor's FaultEvent saw it: an onset and, when it ended, the end.
 * Ours come from faults.jsonl: an onset event (crash, partition, link, byzantine, degrade)
 * opens it; its end event (restart, heal, link_end, byzantine_end, degrade_end) for the same
 * target closes the latest open one.  The target is the agent, or for the faults of no one
 * agent (partitions, link faults) the network's id of the fault. */
typedef struct {
  gchar *id;         /* "<run id>/<source>/<n>": unique over the campaign */
  gchar *type;       /* the fault component ("crash"), from source "crash#0" */
  gchar *agent;      /* "1", "controller", or "" for a fault of no one agent */
  gchar *target;     /* what its end event names: the agent, or "id:<network id>" */
  gchar *onset;      /* the onset event's name ("crash", "partition", ...) */
  gdouble start, end; /* virtual seconds; end NAN while it never ended */
} Fault;

/* The onset an end event closes, or NULL when `kind` is an onset. */
static const gchar *
onset_of (const gchar *kind)
{
  if (strcmp (kind, "restart") == 0)
    return "crash";
  if (strcmp (kind, "heal") == 0)
    return "partition";
  return NULL; /* "<onset>_end" is handled by the caller; anything else is an onset */
}

static void
fault_free (gpointer p)
{
  Fault *fault = p;
  g_free (fault->id);
  g_free (fault->type);
  g_free (fault->agent);
  g_free (fault->target);
  g_free (fault->onset);
  g_free (fault);
}

static gchar *
agent_text (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
    }
  return NULL;
}

/* Reads runs/<id>/faults.jsonl into Faults, in onset order.  A run without the file had
 * no faults. */
static GPtrArray *
read_faults (const DmasCampaignData *data, const DmasRunRecord *run, GError **error)
{
  g_autoptr (GPtrArray) faults = g_ptr_array_new_with_free_func (fault_free);
  g_autofree gchar *path = g_build_filename (data->dir, "runs", run->id, "faults.jsonl", NULL);
  g_autofree gchar *text = NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&faults);
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      g_autoptr (GError) local = NULL;
      if (!json_parser_load_from_data (parser, lines[i], -1, &local)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%u: not a JSON object%s%s (the file is written by `dmas run`)",
                       path, i + 1, local != NULL ? ": " : "",
                       local != NULL ? local->message : "");
          return NULL;
        }
      JsonObject *event = json_node_get_object (json_parser_get_root (parser));
      const gchar *kind = dmas_report_json_string (event, "fault");
      const gchar *source = dmas_report_json_string (event, "source");
      if (source == NULL)
        source = "";
      g_autofree gchar *agent = agent_text (json_object_get_member (event, "agent"));
      const gdouble t = dmas_report_json_number (event, "t");
      const gdouble net_id = dmas_report_json_number (event, "id");
      g_autofree gchar *target = agent != NULL ? g_strdup (agent)
                                 : !isnan (net_id) ? g_strdup_printf ("id:%.0f", net_id)
                                                   : NULL;
      if (kind == NULL || target == NULL || isnan (t))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%u: an event needs \"t\", \"fault\" and \"agent\" (or the "
                       "network's \"id\")", path, i + 1);
          return NULL;
        }
      g_autofree gchar *closes = onset_of (kind) != NULL ? g_strdup (onset_of (kind))
                                 : g_str_has_suffix (kind, "_end")
                                     ? g_strndup (kind, strlen (kind) - strlen ("_end"))
                                     : NULL;
      if (closes != NULL)
        {
          /* Closes the latest open fault of this kind on this target. */
          for (guint f = faults->len; f > 0; f--)
            {
              Fault *open = faults->pdata[f - 1];
              if (isnan (open->end) && strcmp (open->target, target) == 0
                  && strcmp (open->onset, closes) == 0)
                {
                  open->end = t;
                  break;
                }
            }
          continue;
        }
      Fault *fault = g_new0 (Fault, 1);
      const gchar *hash = strchr (source, '#');
      fault->type = hash != NULL ? g_strndup (source, (gsize) (hash - source)) : g_strdup (kind);
      fault->id = g_strdup_printf ("%s/%s/%u", run->id, *source != '\0' ? source : kind,
                                   faults->len);
      fault->agent = agent != NULL ? g_steal_pointer (&agent) : g_strdup ("");
      fault->target = g_steal_pointer (&target);
      fault->onset = g_strdup (kind);
      fault->start = t;
      fault->end = NAN;
      g_ptr_array_add (faults, fault);
    }
  return g_steal_pointer (&faults);
}

/* The predecessor's get_fault_statistics() over `faults` (one run, or all of them):
 *   total_faults_injected  faults (onsets)        active_faults  never restarted
 *   completed_faults       restarted              faults_by_type {type: count}
 *   affected_agents        distinct agents (of one run) that had a fault; summed over runs
 *   current_time           null (it was wall-clock seconds since the experiment began)
 *   agent_status           null (a live snapshot of agents; a finished run has none) */
static void
statistics_members (JsonBuilder *b, GPtrArray *const *per_run, guint n_runs)
{
  guint total = 0, active = 0, affected = 0;
  g_autoptr (GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  for (guint r = 0; r < n_runs; r++)
    {
      GPtrArray *faults = per_run[r];
      for (guint f = 0; f < faults->len; f++)
        {
          const Fault *fault = faults->pdata[f];
          total++;
          if (isnan (fault->end))
            active++;
          /* Affected agents: distinct ones (a partition or link fault names none). */
          gboolean seen = *fault->agent == '\0';
          for (guint g = 0; g < f && !seen; g++)
            seen = strcmp (((Fault *) faults->pdata[g])->agent, fault->agent) == 0;
          if (!seen)
            affected++;
          guint t = 0;
          while (t < types->len && strcmp (types->pdata[t], fault->type) != 0)
            t++;
          if (t == types->len)
            {
              g_ptr_array_add (types, g_strdup (fault->type));
              g_array_set_size (counts, types->len);
            }
          g_array_index (counts, guint, t)++;
        }
    }
  json_builder_set_member_name (b, "total_faults_injected");
  json_builder_add_int_value (b, total);
  json_builder_set_member_name (b, "active_faults");
  json_builder_add_int_value (b, active);
  json_builder_set_member_name (b, "completed_faults");
  json_builder_add_int_value (b, total - active);
  json_builder_set_member_name (b, "faults_by_type");
  json_builder_begin_object (b);
  for (guint t = 0; t < types->len; t++)
    {
      json_builder_set_member_name (b, types->pdata[t]);
      json_builder_add_int_value (b, g_array_index (counts, guint, t));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "affected_agents");
  json_builder_add_int_value (b, affected);
  json_builder_set_member_name (b, "current_time");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "agent_status");
  json_builder_add_null_value (b);
}

/* Its FaultEvent records: {id, fault_type, affected_agents, duration, active, recovered}
 * for the history (restarted faults; duration = restart - onset, virtual s), and {id,
 * fault_type, affected_agents, active} for the faults still active at the run's end. */
static void
fault_object (JsonBuilder *b, const Fault *fault, gboolean history)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, fault->id);
  json_builder_set_member_name (b, "fault_type");
  json_builder_add_string_value (b, fault->type);
  json_builder_set_member_name (b, "affected_agents");
  json_builder_begin_array (b);
  if (*fault->agent != '\0')
    json_builder_add_string_value (b, fault->agent);
  json_builder_end_array (b);
  if (history)
    {
      json_builder_set_member_name (b, "duration");
      dmas_report_add_number (b, fault->end - fault->start);
    }
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, isnan (fault->end));
  if (history)
    {
      json_builder_set_member_name (b, "recovered");
      json_builder_add_boolean_value (b, !isnan (fault->end));
    }
  json_builder_end_object (b);
}

static gboolean
write_json (const DmasCampaignData *data, const gchar *name, JsonBuilder *b, GError **error)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree gchar *text = dmas_report_json_text (root, TRUE);
  return dmas_result_write (data->dir, name, text, error);
}

/* fault_logs.json: {statistics, fault_history, active_faults} over every finished run of
 * the campaign (the predecessor wrote one experiment's; a campaign is many), in run order.
 * fault_results_per_method.json: {method: [statistics of each finished run of that point,
 * plus job_id null (it took a snapshot per job; our faults are per run), method, repetition
 * (from 0, like its loop) and run]}. */
gboolean
dmas_report_write_compat_faults (const DmasCampaignData *data, GError **error)
{
  g_autoptr (GPtrArray) per_run = g_ptr_array_new_with_free_func (
      (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GArray) run_of = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = data->runs->pdata[r];
      if (!dmas_run_record_counted (run))
        continue;
      GPtrArray *faults = read_faults (data, run, error);
      if (faults == NULL)
        return FALSE;
      g_ptr_array_add (per_run, faults);
      g_array_append_val (run_of, r);
    }
  GPtrArray *const *runs = (GPtrArray *const *) per_run->pdata;

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statistics");
  json_builder_begin_object (b);
  statistics_members (b, runs, per_run->len);
  json_builder_end_object (b);
  for (guint pass = 0; pass < 2; pass++)
    {
      json_builder_set_member_name (b, pass == 0 ? "fault_history" : "active_faults");
      json_builder_begin_array (b);
      for (guint r = 0; r < per_run->len; r++)
        for (guint f = 0; f < runs[r]->len; f++)
          {
            const Fault *fault = runs[r]->pdata[f];
            if (isnan (fault->end) == (pass == 1))
              fault_object (b, fault, pass == 0);
          }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  if (!write_json (data, "fault_logs.json", b, error))
    return FALSE;

  g_autoptr (JsonBuilder) m = json_builder_new ();
  json_builder_begin_object (m);
  for (guint p = 0; p < data->points->len; p++)
    {
      const gchar *key = dmas_report_compat_key (data, p);
      json_builder_set_member_name (m, key);
      json_builder_begin_array (m);
      for (guint r = 0; r < per_run->len; r++)
        {
          const DmasRunRecord *run = data->runs->pdata[g_array_index (run_of, guint, r)];
          if (run->point != p)
            continue;
          json_builder_begin_object (m);
          statistics_members (m, runs + r, 1);
          json_builder_set_member_name (m, "job_id");
          json_builder_add_null_value (m);
          json_builder_set_member_name (m, "method");
          json_builder_add_string_value (m, key);
          json_builder_set_member_name (m, "repetition");
          json_builder_add_int_value (m, (gint64) run->rep - 1);
          json_builder_set_member_name (m, "run");
          json_builder_add_string_value (m, run->id);
          json_builder_end_object (m);
        }
      json_builder_end_array (m);
    }
  json_builder_end_object (m);
  return write_json (data, "fault_results_per_method.json", m, error);
}
