/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the metrics: percentiles, bounded slowdown, the summary, jobs.csv. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "metrics/metrics.h"
#include "metrics/summary.h"

static void
test_percentile (void)
{
  const gdouble ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
  /* Nearest rank: the ceil(p/100·n)-th smallest. */
  g_assert_cmpfloat (dmas_percentile (ten, 10, 50.0), ==, 5.0);
  g_assert_cmpfloat (dmas_percentile (ten, 10, 95.0), ==, 10.0);
  g_assert_cmpfloat (dmas_percentile (ten, 10, 90.0), ==, 9.0);
  g_assert_cmpfloat (dmas_percentile (ten, 10, 10.0), ==, 1.0);
  g_assert_cmpfloat (dmas_percentile (ten, 10, 100.0), ==, 10.0);
  g_assert_cmpfloat (dmas_percentile (ten, 10, 0.0), ==, 1.0);
  g_assert_cmpfloat (dmas_percentile (ten, 1, 95.0), ==, 1.0);
  g_assert_cmpfloat (dmas_percentile (ten, 0, 50.0), ==, 0.0);
  const gdouble four[] = { 0.1, 0.2, 0.3, 0.4 };
  g_assert_cmpfloat (dmas_percentile (four, 4, 50.0), ==, 0.2);
  g_assert_cmpfloat (dmas_percentile (four, 4, 51.0), ==, 0.3);
}

static void
test_bsld (void)
{
  /* max(1, (wait + run) / max(run, 10 s)) */
  g_assert_cmpfloat (dmas_bsld (0.0, 5.0, DMAS_BSLD_TAU_S), ==, 1.0);
  g_assert_cmpfloat (dmas_bsld (10.0, 20.0, DMAS_BSLD_TAU_S), ==, 1.5);
  g_assert_cmpfloat_with_epsilon (dmas_bsld (90.0, 1.0, DMAS_BSLD_TAU_S), 9.1, 1e-12);
  g_assert_cmpfloat (dmas_bsld (30.0, 10.0, DMAS_BSLD_TAU_S), ==, 4.0);
}

/* Four jobs on 2 nodes:
 *   1: submit 0, start 10, end 30 (1 node)   wait 10, run 20, bsld 1.5
 *   2: submit 5, start 5, end 10 (2 nodes)   wait 0, run 5, bsld 1
 *   3: submit 8, rejected
 *   4: submit 9, queued, never started (lost)
 *   5: after the horizon, never submitted */
static DmasMetrics *
hand_metrics (void)
{
  DmasMetrics *m = dmas_metrics_new (5, 2);
  const struct {
    DmasTime submit, start, end;
    guint nodes;
    DmasJobState state;
  } rows[] = {
    { 0, 10, 30, 1, DMAS_JOB_COMPLETED },
    { 5, 5, 10, 2, DMAS_JOB_COMPLETED },
    { 8, DMAS_TIME_NONE, DMAS_TIME_NONE, 1, DMAS_JOB_REJECTED },
    { 9, DMAS_TIME_NONE, DMAS_TIME_NONE, 1, DMAS_JOB_QUEUED },
    { 99, DMAS_TIME_NONE, DMAS_TIME_NONE, 1, DMAS_JOB_UNSUBMITTED },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      DmasJobRecord *r = dmas_metrics_job (m, i + 1);
      r->submit = rows[i].submit * DMAS_S;
      r->start = rows[i].start == DMAS_TIME_NONE ? DMAS_TIME_NONE : rows[i].start * DMAS_S;
      r->end = rows[i].end == DMAS_TIME_NONE ? DMAS_TIME_NONE : rows[i].end * DMAS_S;
      r->nodes = rows[i].nodes;
      r->walltime = 40 * DMAS_S;
      r->state = rows[i].state;
      r->agent = r->start != DMAS_TIME_NONE ? i : DMAS_AGENT_NONE;
    }
  /* A reason with a comma and a quote, to see the CSV quoting. */
  dmas_metrics_job (m, 3)->reason = g_strdup ("no cluster fits 2 nodes, \"big\"");
  m->run_end = 31 * DMAS_S;
  m->decisions = 4;
  m->traffic[DMAS_KIND_CONSENSUS].messages = 10;
  m->traffic[DMAS_KIND_CONSENSUS].bytes = 500;
  m->traffic[DMAS_NET_HOST].messages = 7;
  const DmasTime lat[] = { 3 * DMAS_MS, 1 * DMAS_MS, 2 * DMAS_MS };
  g_array_append_vals (m->decision_latency, lat, 3);
  dmas_metrics_add (m, "rounds", 2.0);
  dmas_metrics_add (m, "elections", 1.0);
  dmas_metrics_add (m, "rounds", 0.5);
  return m;
}

static void
test_summarize (void)
{
  g_autoptr (DmasMetrics) m = hand_metrics ();
  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (s.jobs_submitted, ==, 4);
  g_assert_cmpuint (s.jobs_completed, ==, 2);
  g_assert_cmpuint (s.jobs_rejected, ==, 1);
  g_assert_cmpuint (s.jobs_lost, ==, 1);
  g_assert_cmpfloat (s.completion_rate, ==, 0.5);
  g_assert_cmpfloat (s.wait_mean_s, ==, 5.0);
  g_assert_cmpfloat (s.turnaround_mean_s, ==, 17.5);
  g_assert_cmpfloat (s.bsld_mean, ==, 1.25);
  g_assert_cmpfloat (s.makespan_s, ==, 30.0);
  g_assert_cmpfloat (s.throughput_jobs_per_h, ==, 240.0);
  /* busy: job 1 20 node-s, job 2 10 node-s; available 2 nodes x 30 s */
  g_assert_cmpfloat (s.utilization, ==, 0.5);
  g_assert_cmpfloat (s.msgs_per_decision, ==, 2.5);
  g_assert_cmpfloat (s.bytes_per_decision, ==, 125.0);
  g_assert_cmpuint (s.sched_msgs, ==, 7);
  g_assert_cmpfloat (s.decision_latency_p50_s, ==, 0.002);
  g_assert_cmpfloat (s.decision_latency_p95_s, ==, 0.003);
  g_assert_cmpfloat (s.decision_latency_max_s, ==, 0.003);

  g_autoptr (GPtrArray) names = dmas_metrics_names (m);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (names->pdata[0], ==, "elections");
  g_assert_cmpstr (names->pdata[1], ==, "rounds");
  g_assert_cmpfloat (dmas_metrics_get (m, "rounds"), ==, 2.5);
  g_assert_cmpfloat (dmas_metrics_get (m, "nothing"), ==, 0.0);
}

static void
test_seconds (void)
{
  const struct {
    DmasTime t;
    const gchar *text;
  } cases[] = {
    { 0, "0" }, { 25 * DMAS_S + 3 * DMAS_MS, "25.003" }, { 1, "0.000000001" },
    { 1500 * DMAS_MS, "1.5" }, { 7200 * DMAS_S, "7200" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) s = g_string_new (NULL);
      dmas_append_seconds (s, cases[i].t);
      g_assert_cmpstr (s->str, ==, cases[i].text);
    }
}

static void
test_jobs_csv (void)
{
  g_autoptr (DmasMetrics) m = hand_metrics ();
  g_autofree gchar *csv = dmas_jobs_csv (m, NULL);
  g_assert_cmpstr (csv, ==,
                   "job_id,submission_time,requested_number_of_resources,requested_time,"
                   "starting_time,execution_time,finish_time,waiting_time,turnaround_time,"
                   "stretch,allocated_resources,final_state,source_id,reason\n"
                   "1,0,1,40,10,20,30,10,30,1.5,0,COMPLETED_SUCCESSFULLY,,\n"
                   "2,5,2,40,5,5,10,0,5,1,1,COMPLETED_SUCCESSFULLY,,\n"
                   "3,8,1,40,,,,,,,,REJECTED,,\"no cluster fits 2 nodes, \"\"big\"\"\"\n"
                   "4,9,1,40,,,,,,,,UNFINISHED,,\n");
}

static DmasNode *
scalar (const gchar *text, gboolean quoted)
{
  DmasNode *node = dmas_node_new_scalar (text, "t.yaml", "/", 1, 1);
  node->quoted = quoted;
  return node;
}

static void
test_summary_json (void)
{
  g_autoptr (DmasMetrics) m = hand_metrics ();
  DmasNode *config = dmas_node_new_map ("t.yaml", "/", 1, 1);
  dmas_node_set (config, "name", scalar ("hand", FALSE));
  dmas_node_set (config, "seed", scalar ("7", FALSE));
  dmas_node_set (config, "ratio", scalar ("0.5", FALSE));
  dmas_node_set (config, "drain", scalar ("true", FALSE));
  dmas_node_set (config, "label", scalar ("7", TRUE));
  dmas_node_set (config, "horizon", scalar ("10m", FALSE));
  const DmasSummaryInput in = {
    .status = DMAS_RUN_DEADLOCK,
    .diagnosis = "job 4 never started",
    .seed = 7,
    .events = 123,
    .trace_digest = "abc",
    .metrics = m,
    .config = config,
    .wall_clock = { .wall_s = 2.0, .peak_rss_kb = 1000 },
  };
  g_autofree gchar *text = dmas_summary_to_json (&in);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));

  /* The order of the first keys is part of the format. */
  g_autoptr (GList) members = json_object_get_members (root);
  const gchar *first[] = { "status", "diagnosis", "seed" };
  GList *l = members;
  for (guint i = 0; i < G_N_ELEMENTS (first); i++, l = l->next)
    g_assert_cmpstr (l->data, ==, first[i]);
  g_assert_cmpstr (g_list_last (members)->data, ==, "config");

  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "deadlock");
  g_assert_cmpstr (json_object_get_string_member (root, "diagnosis"), ==, "job 4 never started");
  g_assert_cmpint (json_object_get_int_member (root, "jobs_submitted"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (root, "jobs_lost"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (root, "completion_rate"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (root, "msgs_per_decision"), ==, 2.5);
  JsonObject *plugin = json_object_get_object_member (root, "plugin_metrics");
  g_assert_cmpfloat (json_object_get_double_member (plugin, "rounds"), ==, 2.5);
  JsonObject *wall = json_object_get_object_member (root, "wall_clock");
  g_assert_cmpfloat (json_object_get_double_member (wall, "events_per_s"), ==, 61.5);
  g_assert_cmpint (json_object_get_int_member (wall, "peak_rss_kb"), ==, 1000);

  /* Nothing outside wall_clock may depend on the real clock: another wall time changes that
   * group only. */
  DmasSummaryInput other = in;
  other.wall_clock.wall_s = 5.0;
  other.wall_clock.peak_rss_kb = 2;
  g_autofree gchar *text2 = dmas_summary_to_json (&other);
  const gchar *w1 = strstr (text, "\"wall_clock\""), *w2 = strstr (text2, "\"wall_clock\"");
  g_assert_cmpint (w1 - text, ==, w2 - text2);
  g_assert_cmpint (strncmp (text, text2, (gsize) (w1 - text)), ==, 0);
  g_assert_cmpstr (strstr (text, "\"config\""), ==, strstr (text2, "\"config\""));

  /* Config scalars are typed as YAML's core schema reads them; quoted ones stay strings. */
  JsonObject *cfg = json_object_get_object_member (root, "config");
  g_assert_cmpint (json_object_get_int_member (cfg, "seed"), ==, 7);
  g_assert_cmpfloat (json_object_get_double_member (cfg, "ratio"), ==, 0.5);
  g_assert_true (json_object_get_boolean_member (cfg, "drain"));
  g_assert_cmpstr (json_object_get_string_member (cfg, "label"), ==, "7");
  g_assert_cmpstr (json_object_get_string_member (cfg, "horizon"), ==, "10m");
  dmas_node_free (config);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/percentile/nearest-rank", test_percentile);
  g_test_add_func ("/metrics/bsld", test_bsld);
  g_test_add_func ("/metrics/summarize", test_summarize);
  g_test_add_func ("/metrics/seconds-text", test_seconds);
  g_test_add_func ("/metrics/jobs-csv", test_jobs_csv);
  g_test_add_func ("/metrics/summary-json", test_summary_json);
  return g_test_run ();
}
