/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The predecessor's result files (experiment_config.json, experiment_summary.json,
 * fault_aware_summary.json, raw_results.json) with its key names, filled with our values. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "metrics/summary.h"
#include "report/data-private.h"

/* The predecessor (a Python prototype, consensus_experiment_runner.py and its "enhanced"
 * fault-injecting subclass) keyed every file by method name.  A campaign's methods are its
 * sweep points, so the key is the point's label; docs/compat.md has the whole mapping.
 * Values it measured that we do not (rounds, a per-job consensus time) are null, never
 * made up; its wall-clock timestamp is null too, so the files stay byte-identical. */

const gchar *
dmas_report_compat_key (const DmasCampaignData *data, guint point)
{
  const DmasPoint *p = data->points->pdata[point];
  return *p->label != '\0' ? p->label : p->id;
}

static gboolean
write_json (const DmasCampaignData *data, const gchar *name, JsonBuilder *b, GError **error)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree gchar *text = dmas_report_json_text (root, TRUE);
  return dmas_result_write (data->dir, name, text, error);
}

/* The predecessor's "fault_tolerance" word ("Byzantine", "Crash") from summary.json's
 * fault_model (none, crash, byzantine). */
static const gchar *
fault_tolerance_word (JsonObject *summary)
{
  const gchar *model = dmas_report_json_string (summary, "fault_model");
  if (model == NULL)
    return NULL;
  if (strcmp (model, "byzantine") == 0)
    return "Byzantine";
  if (strcmp (model, "crash") == 0)
    return "Crash";
  if (strcmp (model, "none") == 0)
    return "None";
  return NULL;
}

/* An integer member of a nested object ("platform", "agents"), or -1. */
static gint64
config_int (JsonObject *summary, const gchar *group, const gchar *name)
{
  if (summary == NULL || !json_object_has_member (summary, "config"))
    return -1;
  JsonNode *config = json_object_get_member (summary, "config");
  if (!JSON_NODE_HOLDS_OBJECT (config))
    return -1;
  JsonObject *object = json_node_get_object (config);
  if (group != NULL)
    {
      JsonNode *node = json_object_get_member (object, group);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return -1;
      object = json_node_get_object (node);
    }
  JsonNode *node = json_object_get_member (object, name);
  /* An explicit cluster list has one agent per cluster. */
  if (node == NULL && strcmp (name, "agents") == 0)
    {
      JsonNode *clusters = json_object_get_member (object, "clusters");
      return clusters != NULL && JSON_NODE_HOLDS_ARRAY (clusters)
               ? (gint64) json_array_get_length (json_node_get_array (clusters)) : -1;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

/* One value over every counted run when they all agree; -1 when they differ or none has
 * it (the predecessor's files have one number where a sweep may have several). */
static gint64
common_int (const DmasCampaignData *data, const gchar *group, const gchar *name)
{
  gint64 common = -1;
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = data->runs->pdata[r];
      if (!dmas_run_record_counted (run))
        continue;
      gint64 v = config_int (run->summary, group, name);
      if (v < 0 || (common >= 0 && v != common))
        return -1;
      common = v;
    }
  return common;
}

static void
set_int_or_null (JsonBuilder *b, const gchar *name, gint64 v)
{
  if (v >= 0)
    dmas_report_member_int (b, name, v);
  else
    dmas_report_member_null (b, name);
}

/* experiment_config.json: {methods, num_agents, num_jobs, repetitions, byzantine_faults,
 * timestamp}.  methods = the keys of experiment_summary.json; num_agents = the resolved
 * platform.agents (or the number of platform.clusters) and num_jobs = the resolved
 * workload.jobs, when every finished run has the same (else null); repetitions = the most
 * of any point; byzantine_faults = null (no Byzantine fault injection yet); timestamp =
 * null (wall clock: it would break byte-identical output). */
static gboolean
write_config (const DmasCampaignData *data, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "methods");
  json_builder_begin_array (b);
  guint reps = 0;
  for (guint p = 0; p < data->points->len; p++)
    {
      json_builder_add_string_value (b, dmas_report_compat_key (data, p));
      reps = MAX (reps, ((DmasPoint *) data->points->pdata[p])->repetitions);
    }
  json_builder_end_array (b);
  set_int_or_null (b, "num_agents", common_int (data, "platform", "agents"));
  set_int_or_null (b, "num_jobs", common_int (data, "workload", "jobs"));
  dmas_report_member_int (b, "repetitions", reps);
  dmas_report_member_null (b, "byzantine_faults");
  dmas_report_member_null (b, "timestamp");
  json_builder_end_object (b);
  return write_json (data, "experiment_config.json", b, error);
}

/* Sums over the counted runs of one point. */
typedef struct {
  gdouble submitted, completed, consensus_msgs, decisions;
  const gchar *fault_tolerance;
} PointTotals;

static void
point_totals (const DmasCampaignData *data, guint point, PointTotals *out)
{
  *out = (PointTotals) { 0 };
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = data->runs->pdata[r];
      if (run->point != point || !dmas_run_record_counted (run) || run->summary == NULL)
        continue;
      gdouble v;
      if (!isnan (v = dmas_report_json_number (run->summary, "jobs_submitted")))
        out->submitted += v;
      if (!isnan (v = dmas_report_json_number (run->summary, "jobs_completed")))
        out->completed += v;
      if (!isnan (v = dmas_report_json_number (run->summary, "consensus_msgs")))
        out->consensus_msgs += v;
      if (!isnan (v = dmas_report_json_number (run->summary, "decisions")))
        out->decisions += v;
      if (out->fault_tolerance == NULL)
        out->fault_tolerance = fault_tolerance_word (run->summary);
    }
}

static guint
metric_index (const DmasCampaignData *data, const gchar *key)
{
  guint n;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);
  for (guint m = 0; m < n && m < data->n_metrics; m++)
    if (strcmp (metrics[m].key, key) == 0)
      return m;
  g_return_val_if_reached (0);
}

/* The members both summaries share:
 *   success_rate    100 * sum jobs_completed / sum jobs_submitted over the point's finished
 *                   runs (the predecessor: successful / total job results * 100)
 *   avg_time        mean over runs of decision_latency_p50_s, virtual seconds (it had a mean
 *                   wall-clock consensus time per job; we record percentiles, not a mean)
 *   avg_messages    sum consensus_msgs / sum decisions (its messages per consensus)
 *   avg_rounds      null (no protocol reports rounds per decision)
 *   total_jobs      sum jobs_submitted; successful_jobs  sum jobs_completed */
static void
common_members (JsonBuilder *b, const DmasCampaignData *data, guint point,
                const PointTotals *t)
{
  const DmasCellStats *latency
    = &data->cells[point * data->n_metrics + metric_index (data, "decision_latency_p50_s")];
  dmas_report_member_number (b, "success_rate", t->submitted > 0 ? 100.0 * t->completed / t->submitted : NAN);
  dmas_report_member_number (b, "avg_time", latency->n > 0 ? latency->mean : NAN);
  dmas_report_member_number (b, "avg_messages", t->decisions > 0 ? t->consensus_msgs / t->decisions : NAN);
  dmas_report_member_null (b, "avg_rounds");
  dmas_report_member_int (b, "total_jobs", (gint64) t->submitted);
  dmas_report_member_int (b, "successful_jobs", (gint64) t->completed);
}

/* experiment_summary.json: {method: {common members, fault_tolerance, repetitions}};
 * fault_tolerance = summary.json fault_model as "None" / "Crash" / "Byzantine". */
static gboolean
write_summary (const DmasCampaignData *data, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  for (guint p = 0; p < data->points->len; p++)
    {
      PointTotals t;
      point_totals (data, p, &t);
      json_builder_set_member_name (b, dmas_report_compat_key (data, p));
      json_builder_begin_object (b);
      common_members (b, data, p, &t);
      dmas_report_member_string (b, "fault_tolerance", t.fault_tolerance);
      dmas_report_member_int (b, "repetitions", ((DmasPoint *) data->points->pdata[p])->repetitions);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return write_json (data, "experiment_summary.json", b, error);
}

/* fault_aware_summary.json: {method: {common members, fault_impacted_jobs,
 * fault_resistance, fault_tolerance}}.  Its "fault impacted jobs" were jobs decided while
 * a wall-clock fault window was open, and fault_resistance a ratio built on them; neither
 * has a counterpart in a simulation that measures losses and recoveries (see jobs_lost,
 * mttr_s in experiment files), so both are null. */
static gboolean
write_fault_aware (const DmasCampaignData *data, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  for (guint p = 0; p < data->points->len; p++)
    {
      PointTotals t;
      point_totals (data, p, &t);
      json_builder_set_member_name (b, dmas_report_compat_key (data, p));
      json_builder_begin_object (b);
      common_members (b, data, p, &t);
      dmas_report_member_null (b, "fault_impacted_jobs");
      dmas_report_member_null (b, "fault_resistance");
      dmas_report_member_string (b, "fault_tolerance", t.fault_tolerance);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return write_json (data, "fault_aware_summary.json", b, error);
}

/* ---- raw_results.json: one record per job per finished run, from runs/<id>/jobs.csv ---- */

/* Splits CSV text (RFC 4180, as dmas_jobs_csv writes it) into rows of fields. */
static GPtrArray *
csv_rows (const gchar *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  gboolean quoted = FALSE, any = FALSE;
  for (const gchar *p = text;; p++)
    {
      if (quoted)
        {
          if (*p == '\0')
            quoted = FALSE, p--;
          else if (*p == '"' && p[1] == '"')
            g_string_append_c (field, '"'), p++;
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
          continue;
        }
      if (*p == '"')
        quoted = any = TRUE;
      else if (*p == ',')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          any = TRUE;
        }
      else if (*p == '\n' || *p == '\0')
        {
          if (any || field->len > 0)
            {
              g_ptr_array_add (fields, g_strdup (field->str));
              g_ptr_array_add (fields, NULL);
              g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
              g_ptr_array_set_free_func (fields, g_free);
            }
          g_string_truncate (field, 0);
          any = FALSE;
          if (*p == '\0')
            break;
        }
      else if (*p != '\r')
        g_string_append_c (field, *p), any = TRUE;
    }
  return rows;
}

static gint
column (const gchar *const *header, const gchar *name)
{
  for (gint i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  return -1;
}

static const gchar *
field_at (const gchar *const *row, gint i)
{
  if (i < 0)
    return NULL;
  for (gint j = 0; j < i; j++)
    if (row[j] == NULL)
      return NULL;
  return row[i];
}

/* The predecessor's ConsensusResult per job: {protocol, success, job_id, time_taken,
 * rounds, messages_sent, fault_tolerance, details}.  protocol = the compared axis' label
 * (the method: "raft"), or the method key when nothing is compared;
 * success = final_state COMPLETED_SUCCESSFULLY; job_id = jobs.csv job_id (text, as its ids
 * were); time_taken, rounds, messages_sent = null (not measured per job); details = where
 * the run is (run, repetition counted from 0 like its loop) and the job's final_state,
 * waiting_time (s, null when it never started) and reason. */
static gboolean
add_run_jobs (GString *out, gboolean *first, const DmasCampaignData *data,
              const DmasRunRecord *run, GError **error)
{
  g_autofree gchar *path = g_build_filename (data->dir, "runs", run->id, "jobs.csv", NULL);
  g_autofree gchar *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_autoptr (GPtrArray) rows = csv_rows (text);
  if (rows->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: empty (no header line); rerun the run: dmas replay %s/runs/%s", path,
                   data->dir, run->id);
      return FALSE;
    }
  const gchar *const *header = rows->pdata[0];
  const gint c_id = column (header, "job_id"), c_wait = column (header, "waiting_time"),
             c_state = column (header, "final_state"), c_reason = column (header, "reason");
  if (c_id < 0 || c_state < 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s:1: no job_id or final_state column (not a dmas jobs.csv)", path);
      return FALSE;
    }
  const gchar *model = fault_tolerance_word (run->summary);
  const DmasPoint *point = data->points->pdata[run->point];
  const gchar *protocol = dmas_report_compat_key (data, run->point);
  if (data->compare_axis >= 0)
    {
      const DmasAxis *axis = data->axes->pdata[data->compare_axis];
      protocol = axis->labels->pdata[point->labels[data->compare_axis]];
    }
  for (guint i = 1; i < rows->len; i++)
    {
      const gchar *const *row = rows->pdata[i];
      const gchar *id = field_at (row, c_id), *state = field_at (row, c_state);
      const gchar *wait = field_at (row, c_wait), *reason = field_at (row, c_reason);
      if (id == NULL || state == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s: row %u has too few fields", path, i + 1);
          return FALSE;
        }
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "protocol");
      json_builder_add_string_value (b, protocol);
      json_builder_set_member_name (b, "success");
      json_builder_add_boolean_value (b, strcmp (state, "COMPLETED_SUCCESSFULLY") == 0);
      json_builder_set_member_name (b, "job_id");
      json_builder_add_string_value (b, id);
      dmas_report_member_null (b, "time_taken");
      dmas_report_member_null (b, "rounds");
      dmas_report_member_null (b, "messages_sent");
      dmas_report_member_string (b, "fault_tolerance", model);
      json_builder_set_member_name (b, "details");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "run");
      json_builder_add_string_value (b, run->id);
      dmas_report_member_int (b, "repetition", (gint64) run->rep - 1);
      json_builder_set_member_name (b, "final_state");
      json_builder_add_string_value (b, state);
      dmas_report_member_number (b, "waiting_time",
                  wait != NULL && *wait != '\0' ? g_ascii_strtod (wait, NULL) : NAN);
      if (reason != NULL && *reason != '\0')
        {
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, reason);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      g_autoptr (JsonNode) record = json_builder_get_root (b);
      g_autofree gchar *line = json_to_string (record, FALSE);
      g_string_append (out, *first ? "\n    " : ",\n    ");
      g_string_append (out, line);
      *first = FALSE;
    }
  return TRUE;
}

/* raw_results.json: {method: [per job of every finished run of that point, in run order]}.
 * Crashed, failed, interrupted and missing runs have no complete jobs.csv and add nothing.
 * One record per line, compact, and built record by record: a campaign over a large trace
 * has millions of them, and a whole-file JsonBuilder tree would hold them all at once. */
static gboolean
write_raw (const DmasCampaignData *data, GError **error)
{
  g_autoptr (GString) out = g_string_new ("{");
  for (guint p = 0; p < data->points->len; p++)
    {
      g_autoptr (JsonNode) key = json_node_init_string (json_node_alloc (),
                                                        dmas_report_compat_key (data, p));
      g_autofree gchar *key_text = json_to_string (key, FALSE);
      g_string_append_printf (out, "%s\n  %s: [", p > 0 ? "," : "", key_text);
      gboolean first = TRUE;
      for (guint r = 0; r < data->runs->len; r++)
        {
          const DmasRunRecord *run = data->runs->pdata[r];
          if (run->point == p && dmas_run_record_counted (run)
              && !add_run_jobs (out, &first, data, run, error))
            return FALSE;
        }
      g_string_append (out, first ? "]" : "\n  ]");
    }
  g_string_append (out, "\n}\n");
  return dmas_result_write (data->dir, "raw_results.json", out->str, error);
}

gboolean
dmas_report_write_compat (const DmasCampaignData *data, GError **error)
{
  return write_config (data, error) && write_summary (data, error)
         && write_fault_aware (data, error) && write_raw (data, error)
         && dmas_report_write_compat_faults (data, error);
}
