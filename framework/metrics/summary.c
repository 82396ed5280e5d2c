/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a run's results: summary.json (json-glib), jobs.csv, atomic file output. */
#include "config.h"

#include <string.h>

#include "metrics/summary.h"

void
dmas_append_seconds (GString *out, DmasTime t)
{
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, t / DMAS_S);
  guint64 frac = t % DMAS_S;
  if (frac == 0)
    return;
  gchar digits[16];
  g_snprintf (digits, sizeof digits, "%09" G_GUINT64_FORMAT, frac);
  gsize len = strlen (digits);
  while (len > 0 && digits[len - 1] == '0')
    len--;
  g_string_append_c (out, '.');
  g_string_append_len (out, digits, (gssize) len);
}

/* ---- config tree → JSON ---- */

static gboolean
is_decimal_int (const gchar *s)
{
  if (*s == '-' || *s == '+')
    s++;
  if (!g_ascii_isdigit (*s))
    return FALSE;
  while (g_ascii_isdigit (*s))
    s++;
  return *s == '\0';
}

/* YAML 1.2 core schema float, decimal forms only: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static gboolean
is_decimal_float (const gchar *s)
{
  gboolean digits = FALSE;
  if (*s == '-' || *s == '+')
    s++;
  while (g_ascii_isdigit (*s))
    s++, digits = TRUE;
  if (*s == '.')
    {
      s++;
      while (g_ascii_isdigit (*s))
        s++, digits = TRUE;
    }
  if (!digits)
    return FALSE;
  if (*s == 'e' || *s == 'E')
    {
      s++;
      if (*s == '-' || *s == '+')
        s++;
      if (!g_ascii_isdigit (*s))
        return FALSE;
      while (g_ascii_isdigit (*s))
        s++;
    }
  return *s == '\0';
}

static JsonNode *
scalar_to_json (const DmasNode *node)
{
  const gchar *s = node->scalar != NULL ? node->scalar : "";
  JsonNode *json = json_node_new (JSON_NODE_VALUE);
  if (!node->quoted)
    {
      if (*s == '\0' || strcmp (s, "~") == 0 || strcmp (s, "null") == 0
          || strcmp (s, "Null") == 0 || strcmp (s, "NULL") == 0)
        {
          json_node_free (json);
          return json_node_new (JSON_NODE_NULL);
        }
      if (strcmp (s, "true") == 0 || strcmp (s, "True") == 0 || strcmp (s, "TRUE") == 0)
        {
          json_node_set_boolean (json, TRUE);
          return json;
        }
      if (strcmp (s, "false") == 0 || strcmp (s, "False") == 0 || strcmp (s, "FALSE") == 0)
        {
          json_node_set_boolean (json, FALSE);
          return json;
        }
      if (is_decimal_int (s))
        {
          gint64 v;
          /* Out of gint64 range (a large seed): kept as a string rather than rounded. */
          if (g_ascii_string_to_signed (*s == '+' ? s + 1 : s, 10, G_MININT64, G_MAXINT64, &v,
                                        NULL))
            {
              json_node_set_int (json, v);
              return json;
            }
        }
      else if (is_decimal_float (s))
        {
          json_node_set_double (json, g_ascii_strtod (s, NULL));
          return json;
        }
    }
  json_node_set_string (json, s);
  return json;
}

JsonNode *
dmas_config_node_to_json (const DmasNode *node)
{
  if (node == NULL)
    return json_node_new (JSON_NODE_NULL);
  switch (node->kind)
    {
    case DMAS_NODE_SCALAR:
      return scalar_to_json (node);
    case DMAS_NODE_MAP:
      {
        JsonObject *object = json_object_new ();
        for (guint i = 0; i < node->keys->len; i++)
          json_object_set_member (object, node->keys->pdata[i],
                                  dmas_config_node_to_json (node->values->pdata[i]));
        JsonNode *json = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (json, object);
        return json;
      }
    case DMAS_NODE_SEQ:
      {
        JsonArray *array = json_array_new ();
        for (guint i = 0; i < node->values->len; i++)
          json_array_add_element (array, dmas_config_node_to_json (node->values->pdata[i]));
        JsonNode *json = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (json, array);
        return json;
      }
    }
  return json_node_new (JSON_NODE_NULL);
}

/* ---- summary.json ---- */

static void
add_uint (JsonBuilder *b, const gchar *name, guint64 v)
{
  json_builder_set_member_name (b, name);
  /* Counters never come near 2^63; a seed may, and is then written as a string. */
  if (v <= G_MAXINT64)
    json_builder_add_int_value (b, (gint64) v);
  else
    {
      gchar text[32];
      g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, v);
      json_builder_add_string_value (b, text);
    }
}

/* json-glib prints doubles with "%.17g": exact and the same on every machine, if not always
 * the shortest text. */
static void
add_double (JsonBuilder *b, const gchar *name, gdouble v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, v);
}

static void
add_string (JsonBuilder *b, const gchar *name, const gchar *v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v);
}

gchar *
dmas_summary_to_json (const DmasSummaryInput *in)
{
  DmasMetricsSummary s;
  dmas_metrics_summarize (in->metrics, &s);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "status", dmas_run_status_to_string (in->status));
  if (in->status == DMAS_RUN_DEADLOCK || in->status == DMAS_RUN_STALLED)
    add_string (b, "diagnosis", in->diagnosis != NULL ? in->diagnosis : "");
  add_uint (b, "seed", in->seed);
  add_double (b, "end_time_s", dmas_time_to_s (in->metrics->run_end));
  add_uint (b, "jobs_submitted", s.jobs_submitted);
  add_uint (b, "jobs_completed", s.jobs_completed);
  add_uint (b, "jobs_rejected", s.jobs_rejected);
  add_uint (b, "jobs_killed", s.jobs_killed);
  add_uint (b, "jobs_lost", s.jobs_lost);
  add_uint (b, "duplicate_executions", in->metrics->duplicate_executions);
  add_uint (b, "safety_violations", in->metrics->safety_violations);
  add_uint (b, "validity_violations", in->metrics->validity_violations);
  add_double (b, "completion_rate", s.completion_rate);
  add_double (b, "wait_mean_s", s.wait_mean_s);
  add_double (b, "turnaround_mean_s", s.turnaround_mean_s);
  add_double (b, "bsld_mean", s.bsld_mean);
  add_double (b, "makespan_s", s.makespan_s);
  add_double (b, "throughput_jobs_per_h", s.throughput_jobs_per_h);
  add_double (b, "utilization", s.utilization);
  add_uint (b, "decisions", s.decisions);
  add_double (b, "msgs_per_decision", s.msgs_per_decision);
  add_double (b, "bytes_per_decision", s.bytes_per_decision);
  add_uint (b, "consensus_msgs", in->metrics->traffic[DMAS_KIND_CONSENSUS].messages);
  add_uint (b, "consensus_bytes", in->metrics->traffic[DMAS_KIND_CONSENSUS].bytes);
  add_uint (b, "sched_msgs", s.sched_msgs);
  add_uint (b, "sched_bytes", s.sched_bytes);
  add_double (b, "decision_latency_p50_s", s.decision_latency_p50_s);
  add_double (b, "decision_latency_p95_s", s.decision_latency_p95_s);
  add_double (b, "decision_latency_max_s", s.decision_latency_max_s);
  add_string (b, "fault_model", dmas_fault_model_to_string (in->metrics->fault_model));
  add_double (b, "availability", s.availability);
  add_double (b, "service_outage_mean_s", s.service_outage_mean_s);
  add_uint (b, "scheduler_failures", s.scheduler_failures);
  add_uint (b, "faults_injected", in->metrics->faults_injected);
  add_uint (b, "submission_retries", in->metrics->submission_retries);
  add_uint (b, "submissions_given_up", in->metrics->submissions_given_up);
  add_uint (b, "agent_failures", s.agent_failures);
  add_double (b, "agent_downtime_mean_s", s.agent_downtime_mean_s);
  add_double (b, "mttr_s", s.mttr_s);
  add_uint (b, "jobs_recovered", s.jobs_recovered);
  add_uint (b, "recoveries", s.recoveries);
  add_uint (b, "heartbeat_msgs", s.heartbeat_msgs);
  add_uint (b, "heartbeat_bytes", s.heartbeat_bytes);
  add_uint (b, "msgs_dropped_down", s.msgs_dropped_down);
  add_uint (b, "storage_writes", in->metrics->storage_writes);
  add_uint (b, "storage_bytes", in->metrics->storage_bytes);
  add_double (b, "fault_tolerance_score", s.fault_tolerance_score);
  const DmasMetrics *m = in->metrics;
  add_uint (b, "msgs_dropped_partition", m->msgs_dropped_partition);
  add_uint (b, "msgs_dropped_loss", m->msgs_dropped_loss);
  add_uint (b, "msgs_duplicated", m->msgs_duplicated);
  add_uint (b, "msgs_reordered", m->msgs_reordered);
  add_uint (b, "msgs_corrupted", m->msgs_corrupted);
  add_uint (b, "msgs_corrupt_delivered", m->msgs_corrupt_delivered);
  add_uint (b, "byzantine_agents", m->byzantine_agents);
  add_uint (b, "jobs_captured_byzantine", m->jobs_captured_byzantine);
  add_uint (b, "jobs_completed_byzantine", m->jobs_completed_byzantine);
  add_uint (b, "byzantine_detected", m->byzantine_detected);
  add_uint (b, "byzantine_false_accusations", m->byzantine_false_accusations);
  if (m->llm.calls > 0)
    {
      /* Only runs that asked a model: the other summaries stay as they were. */
      add_uint (b, "llm_calls", m->llm.calls);
      add_uint (b, "llm_attempts", m->llm.attempts);
      add_uint (b, "llm_retries", m->llm.retries);
      add_uint (b, "llm_invalid", m->llm.invalid);
      add_uint (b, "llm_failures", m->llm.failures);
      add_uint (b, "llm_fallbacks", (guint64) dmas_metrics_get (m, "llm_fallbacks"));
      add_uint (b, "llm_tokens_in", m->llm.tokens_in);
      add_uint (b, "llm_tokens_out", m->llm.tokens_out);
      add_double (b, "llm_latency_mean_s", m->llm.latency_sum_s / (gdouble) m->llm.calls);
      add_double (b, "llm_latency_max_s", m->llm.latency_max_s);
    }

  if (in->workload != NULL)
    {
      /* What reading the workload kept and dropped (README, "SWF rules"). */
      json_builder_set_member_name (b, "workload");
      json_builder_begin_object (b);
      add_uint (b, "jobs", in->workload->jobs);
      add_uint (b, "records", in->workload->records);
      add_uint (b, "malformed", in->workload->malformed);
      add_uint (b, "dropped_runtime", in->workload->dropped_runtime);
      add_uint (b, "dropped_processors", in->workload->dropped_processors);
      add_uint (b, "dropped_submit", in->workload->dropped_submit);
      add_uint (b, "runtime_capped", in->workload->runtime_capped);
      add_uint (b, "beyond_limit", in->workload->beyond_limit);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "plugin_metrics");
  json_builder_begin_object (b);
  g_autoptr (GPtrArray) names = dmas_metrics_names (in->metrics);
  for (guint i = 0; i < names->len; i++)
    add_double (b, names->pdata[i], dmas_metrics_get (in->metrics, names->pdata[i]));
  json_builder_end_object (b);

  add_uint (b, "events", in->events);
  add_string (b, "trace_digest", in->trace_digest != NULL ? in->trace_digest : "");

  json_builder_set_member_name (b, "wall_clock");
  json_builder_begin_object (b);
  add_double (b, "wall_s", in->wall_clock.wall_s);
  add_double (b, "events_per_s",
              in->wall_clock.wall_s > 0.0 ? (gdouble) in->events / in->wall_clock.wall_s : 0.0);
  add_uint (b, "peak_rss_kb", in->wall_clock.peak_rss_kb);
  if (in->metrics->llm.calls > 0)
    add_double (b, "llm_wall_s", in->metrics->llm.wall_s);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "config");
  json_builder_add_value (b, dmas_config_node_to_json (in->config));
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  g_autofree gchar *text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

/* ---- jobs.csv ---- */

static const gchar *
final_state (const DmasJobRecord *record)
{
  switch (record->state)
    {
    case DMAS_JOB_COMPLETED:
      return "COMPLETED_SUCCESSFULLY";
    case DMAS_JOB_KILLED:
      return "COMPLETED_WALLTIME_REACHED";
    case DMAS_JOB_REJECTED:
      return "REJECTED";
    default:
      /* Still waiting or running when the run ended (horizon, interrupt, deadlock). */
      return "UNFINISHED";
    }
}

void
dmas_csv_append_field (GString *out, const gchar *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const gchar *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

gchar *
dmas_jobs_csv (const DmasMetrics *metrics, const DmasWorkload *workload)
{
  /* Batsim's columns first, then ours: the trace's own job id and why a job did not run. */
  GString *out = g_string_new ("job_id,submission_time,requested_number_of_resources,"
                               "requested_time,starting_time,execution_time,finish_time,"
                               "waiting_time,turnaround_time,stretch,allocated_resources,"
                               "final_state,source_id,reason\n");
  for (guint i = 0; i < metrics->n_jobs; i++)
    {
      const DmasJobRecord *r = &metrics->jobs[i];
      if (r->state == DMAS_JOB_UNSUBMITTED)
        continue;
      const gboolean started = r->start != DMAS_TIME_NONE;
      const gboolean ended = started && r->end != DMAS_TIME_NONE;
      g_string_append_printf (out, "%" G_GUINT64_FORMAT ",", r->id);
      dmas_append_seconds (out, r->submit);
      g_string_append_printf (out, ",%u,", r->nodes);
      dmas_append_seconds (out, r->walltime);
      g_string_append_c (out, ',');
      if (started)
        dmas_append_seconds (out, r->start);
      g_string_append_c (out, ',');
      if (ended)
        dmas_append_seconds (out, r->end - r->start);
      g_string_append_c (out, ',');
      if (ended)
        dmas_append_seconds (out, r->end);
      g_string_append_c (out, ',');
      if (started)
        dmas_append_seconds (out, r->start - r->submit);
      g_string_append_c (out, ',');
      if (ended)
        dmas_append_seconds (out, r->end - r->submit);
      g_string_append_c (out, ',');
      if (ended && r->end > r->start)
        {
          gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_ascii_formatd (buf, sizeof buf, "%.9g",
                           (gdouble) (r->end - r->submit) / (gdouble) (r->end - r->start));
          g_string_append (out, buf);
        }
      g_string_append_c (out, ',');
      if (r->agent != DMAS_AGENT_NONE)
        g_string_append_printf (out, "%u", r->agent);
      g_string_append_printf (out, ",%s,", final_state (r));
      const gchar *source = workload != NULL ? dmas_workload_source_id (workload, r->id) : NULL;
      if (source != NULL)
        dmas_csv_append_field (out, source);
      g_string_append_c (out, ',');
      if (r->reason != NULL)
        dmas_csv_append_field (out, r->reason);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

gboolean
dmas_result_write (const gchar *dir, const gchar *name, const gchar *contents, GError **error)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}
