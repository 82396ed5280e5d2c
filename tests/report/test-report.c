/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dmas_report_generate on a hand-built campaign directory: tables, stats, compat files, CLI. */
#include "config.h"

#include <math.h>
#include <sys/wait.h>
#include <string.h>

#include <glib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "report/data.h"
#include "report/report.h"
#include "stats/stats.h"

/* The campaign: 3 methods x 2 conditions x 4 repetitions, point index = method * 2 + cond.
 * Four runs are special: raft+crash r3 crashed, pbft+crash r2 never ran, gossip+none r1
 * deadlocked (counted), gossip+crash r4 was interrupted (not counted). */
static const gchar *const methods[] = { "raft", "pbft", "gossip" };
static const gchar *const conditions[] = { "none", "crash" };
#define N_METHODS 3
#define N_CONDS 2
#define N_REPS 4
#define N_JOBS_ROWS 3

typedef enum { RUN_OK, RUN_CRASHED, RUN_MISSING, RUN_DEADLOCK, RUN_INTERRUPTED } Kind;

static Kind
kind_of (guint m, guint c, guint rep)
{
  if (m == 0 && c == 1 && rep == 3)
    return RUN_CRASHED;
  if (m == 1 && c == 1 && rep == 2)
    return RUN_MISSING;
  if (m == 2 && c == 0 && rep == 1)
    return RUN_DEADLOCK;
  if (m == 2 && c == 1 && rep == 4)
    return RUN_INTERRUPTED;
  return RUN_OK;
}

static gboolean
counted (guint m, guint c, guint rep)
{
  Kind k = kind_of (m, c, rep);
  return k == RUN_OK || k == RUN_DEADLOCK;
}

static gdouble
jobs_completed (guint m, guint c, guint rep)
{
  return 60.0 + 10.0 * m - 5.0 * c + (gdouble) ((rep * rep + 3 * m + c) % 7);
}

/* The stored value of metric `key` (index k of the metric table) in run (m, c, rep). */
static gdouble
value_of (guint m, guint c, guint rep, guint k, const gchar *key)
{
  if (strcmp (key, "completion_rate") == 0)
    return jobs_completed (m, c, rep) / 100.0;
  if (strcmp (key, "mttr_s") == 0 && m == 0 && c == 0 && rep == 2)
    return NAN; /* written as null */
  return (k + 1) + 0.5 * m + 0.25 * rep * (1 + k % 3) + 0.125 * c * ((rep + m) % 2);
}

static gchar *
point_id (guint m, guint c)
{
  return g_strdup_printf ("%03u-%s+%s", m * N_CONDS + c, methods[m], conditions[c]);
}

static gchar *
run_id (guint m, guint c, guint rep)
{
  g_autofree gchar *point = point_id (m, c);
  return g_strdup_printf ("%s-r%u", point, rep);
}

static void
write_file (const gchar *dir, const gchar *name, const gchar *text)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
write_campaign_json (const gchar *dir)
{
  GString *out = g_string_new ("{\"format\": 1, \"name\": \"fixture\", \"source\": \"x.yaml\", "
                               "\"master_seed\": 7, \"paired\": true, "
                               "\"compare\": \"scheduling.consensus\", \"axes\": ["
                               "{\"key\": \"scheduling.consensus\", \"labels\": "
                               "[\"raft\", \"pbft\", \"gossip\"]},"
                               "{\"key\": \"faults\", \"labels\": [\"none\", \"crash\"]}],"
                               "\"points\": [");
  for (guint m = 0; m < N_METHODS; m++)
    for (guint c = 0; c < N_CONDS; c++)
      {
        g_autofree gchar *id = point_id (m, c);
        g_string_append_printf (out, "%s{\"index\": %u, \"id\": \"%s\", \"labels\": [%u, %u], "
                                "\"label\": \"%s, %s\", \"repetitions\": %u}",
                                m + c > 0 ? "," : "", m * N_CONDS + c, id, m, c, methods[m],
                                conditions[c], N_REPS);
      }
  g_string_append (out, "], \"runs\": [");
  gboolean first = TRUE;
  for (guint m = 0; m < N_METHODS; m++)
    for (guint c = 0; c < N_CONDS; c++)
      for (guint rep = 1; rep <= N_REPS; rep++)
        {
          g_autofree gchar *id = run_id (m, c, rep);
          g_string_append_printf (out, "%s{\"id\": \"%s\", \"point\": %u, \"rep\": %u, "
                                  "\"seed\": %u, \"world_seed\": %u, \"config_hash\": \"h\"}",
                                  first ? "" : ",", id, m * N_CONDS + c, rep,
                                  1000 + m * 100 + c * 10 + rep, 500 + rep);
          first = FALSE;
        }
  g_string_append (out, "], \"plugins\": [], \"campaign_hash\": \"x\"}\n");
  write_file (dir, "campaign.json", out->str);
  g_string_free (out, TRUE);
}

static void
write_run (const gchar *dir, guint m, guint c, guint rep)
{
  g_autofree gchar *id = run_id (m, c, rep);
  g_autofree gchar *run_dir = g_build_filename (dir, "runs", id, NULL);
  g_assert_cmpint (g_mkdir_with_parents (run_dir, 0755), ==, 0);
  Kind kind = kind_of (m, c, rep);
  if (kind == RUN_MISSING)
    return;
  if (kind == RUN_CRASHED)
    {
      write_file (run_dir, "failure.json",
                  "{\"id\": \"x\", \"status\": \"crashed\", \"signal\": 11, \"signal_name\": "
                  "\"SIGSEGV\", \"exit_status\": null, \"message\": \"signal 11 (Segmentation "
                  "fault)\", \"seed\": 1, \"world_seed\": 2, \"replay\": \"dmas replay x\"}\n");
      return;
    }
  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  GString *s = g_string_new ("{\n");
  g_string_append_printf (s, "\"status\": \"%s\",\n",
                          kind == RUN_DEADLOCK      ? "deadlock"
                          : kind == RUN_INTERRUPTED ? "interrupted"
                                                    : "complete");
  if (kind == RUN_DEADLOCK)
    g_string_append (s, "\"diagnosis\": \"job 3 pending\",\n");
  g_string_append_printf (s, "\"jobs_submitted\": 100, \"jobs_completed\": %.0f,\n",
                          jobs_completed (m, c, rep));
  g_string_append_printf (s, "\"decisions\": 100, \"consensus_msgs\": %u,\n",
                          1000 + 100 * m + rep);
  g_string_append (s, "\"fault_model\": \"crash\",\n");
  for (guint k = 0; k < n_metrics; k++)
    {
      if (strcmp (metrics[k].key, "jobs_completed") == 0)
        continue;
      gdouble v = value_of (m, c, rep, k, metrics[k].key);
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (s, "\"%s\": %s,\n", metrics[k].key,
                              isnan (v) ? "null" : g_ascii_dtostr (buf, sizeof buf, v));
    }
  g_string_append_printf (s, "\"trace_digest\": \"digest-%s\",\n"
                             "\"wall_clock\": {\"wall_s\": 0.5},\n"
                             "\"config\": {\"platform\": {\"agents\": 5}, "
                             "\"workload\": {\"jobs\": 100}}\n}\n", id);
  write_file (run_dir, "summary.json", s->str);
  g_string_free (s, TRUE);
  write_file (run_dir, "jobs.csv",
              "job_id,submission_time,requested_number_of_resources,requested_time,"
              "starting_time,execution_time,finish_time,waiting_time,turnaround_time,stretch,"
              "allocated_resources,final_state,source_id,reason\n"
              "1,0,1,100,2,100,102,2,102,1.02,0,COMPLETED_SUCCESSFULLY,,\n"
              "2,5,1,100,5,100,105,0,100,1,1,COMPLETED_SUCCESSFULLY,,\n"
              "3,7,64,100,,,,,,,,REJECTED,,\"no cluster fits, \"\"big\"\"\"\n");
  if (c == 1)
    write_file (run_dir, "faults.jsonl",
                "{\"t\":30,\"fault\":\"crash\",\"agent\":1,\"source\":\"crash#0\","
                "\"agents\":\"1\"}\n"
                "{\"t\":90,\"fault\":\"restart\",\"agent\":1,\"source\":\"crash#0\"}\n"
                "{\"t\":100,\"fault\":\"crash\",\"agent\":2,\"source\":\"crash#0\"}\n");
  else
    write_file (run_dir, "faults.jsonl", "");
}

static gchar *
make_campaign (void)
{
  g_autoptr (GError) error = NULL;
  gchar *dir = g_dir_make_tmp ("dmas-report-XXXXXX", &error);
  g_assert_no_error (error);
  write_campaign_json (dir);
  for (guint m = 0; m < N_METHODS; m++)
    for (guint c = 0; c < N_CONDS; c++)
      for (guint rep = 1; rep <= N_REPS; rep++)
        write_run (dir, m, c, rep);
  return dir;
}

static void
remove_tree (const gchar *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const gchar *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
    }
  g_remove (path);
}

static gchar *
read_text (const gchar *dir, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  gchar *text = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static JsonNode *
read_json (const gchar *dir, const gchar *name)
{
  g_autofree gchar *text = read_text (dir, name);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
generate (const gchar *dir)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = dmas_report_generate (dir, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
assert_close (gdouble got, gdouble want)
{
  if (isnan (want))
    {
      g_assert_true (isnan (got));
      return;
    }
  g_assert_cmpfloat_with_epsilon (got, want, 1e-9 * MAX (1.0, fabs (want)));
}

static guint
metric_of (const gchar *key)
{
  guint n;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);
  for (guint k = 0; k < n; k++)
    if (strcmp (metrics[k].key, key) == 0)
      return k;
  g_assert_not_reached ();
}

/* ---- summary.csv ---- */

/* Mean, sd, the Student-t CI and the median of x[0..n-1], computed here by hand; n = 3 only
 * (t(0.975, 2) has a closed form: (2p - 1) sqrt(2 / (4 p (1 - p))), p = 0.975). */
static void
by_hand (const gdouble *x, guint n, gdouble *mean, gdouble *sd, gdouble *lo, gdouble *hi,
         gdouble *median)
{
  g_assert_cmpuint (n, ==, 3);
  *mean = (x[0] + x[1] + x[2]) / 3.0;
  gdouble ss = 0;
  for (guint i = 0; i < n; i++)
    ss += (x[i] - *mean) * (x[i] - *mean);
  *sd = sqrt (ss / 2.0);
  const gdouble t = 0.95 * sqrt (2.0 / (4.0 * 0.975 * 0.025));
  *lo = *mean - t * *sd / sqrt (3.0);
  *hi = *mean + t * *sd / sqrt (3.0);
  gdouble a = MIN (x[0], MIN (x[1], x[2])), b = MAX (x[0], MAX (x[1], x[2]));
  *median = x[0] + x[1] + x[2] - a - b;
}

static gint
csv_column (gchar **header, const gchar *name)
{
  for (gint i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  g_assert_not_reached ();
}

static void
check_cell (gchar **header, gchar **row, const gchar *key, const gdouble *x)
{
  gdouble mean, sd, lo, hi, median;
  by_hand (x, 3, &mean, &sd, &lo, &hi, &median);
  const gchar *parts[] = { "mean", "ci_low", "ci_high", "sd", "median" };
  const gdouble want[] = { mean, lo, hi, sd, median };
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree gchar *name = g_strdup_printf ("%s_%s", key, parts[i]);
      const gchar *text = row[csv_column (header, name)];
      g_assert_cmpstr (text, !=, "");
      /* Printed with "%.10g": ten significant digits survive. */
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (text, NULL), want[i],
                                      1e-9 * MAX (1.0, fabs (want[i])));
    }
}

static void
test_summary_csv (void)
{
  g_autofree gchar *dir = make_campaign ();
  generate (dir);
  g_autofree gchar *text = read_text (dir, "summary.csv");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + N_METHODS * N_CONDS + 1);
  g_assert_cmpstr (lines[N_METHODS * N_CONDS + 1], ==, "");
  g_auto (GStrv) header = g_strsplit (lines[0], ",", -1);
  g_assert_cmpstr (header[0], ==, "point");
  g_assert_cmpstr (header[1], ==, "scheduling.consensus");
  g_assert_cmpstr (header[2], ==, "faults");
  g_assert_cmpstr (header[3], ==, "n");
  g_assert_cmpstr (header[4], ==, "completion_rate_mean");
  guint n_metrics;
  dmas_report_metrics (&n_metrics);
  g_assert_cmpuint (g_strv_length (header), ==, 4 + 5 * n_metrics);

  /* raft+crash (point 1): r3 crashed, so reps 1, 2, 4 count. */
  g_auto (GStrv) row1 = g_strsplit (lines[2], ",", -1);
  g_assert_cmpstr (row1[0], ==, "001-raft+crash");
  g_assert_cmpstr (row1[1], ==, "raft");
  g_assert_cmpstr (row1[2], ==, "crash");
  g_assert_cmpstr (row1[3], ==, "3");
  gdouble x[3] = { jobs_completed (0, 1, 1) / 100, jobs_completed (0, 1, 2) / 100,
                   jobs_completed (0, 1, 4) / 100 };
  check_cell (header, row1, "completion_rate", x);
  const guint k = metric_of ("wait_mean_s");
  gdouble w[3] = { value_of (0, 1, 1, k, "wait_mean_s"), value_of (0, 1, 2, k, "wait_mean_s"),
                   value_of (0, 1, 4, k, "wait_mean_s") };
  check_cell (header, row1, "wait_mean_s", w);

  /* raft+none (point 0): 4 runs, but r2 has no mttr_s: that cell rests on 3. */
  g_auto (GStrv) row0 = g_strsplit (lines[1], ",", -1);
  g_assert_cmpstr (row0[3], ==, "4");
  const guint km = metric_of ("mttr_s");
  gdouble mttr[3] = { value_of (0, 0, 1, km, "mttr_s"), value_of (0, 0, 3, km, "mttr_s"),
                      value_of (0, 0, 4, km, "mttr_s") };
  check_cell (header, row0, "mttr_s", mttr);

  /* gossip+none (point 4): the deadlocked r1 counts; gossip+crash: interrupted r4 not. */
  g_auto (GStrv) row4 = g_strsplit (lines[5], ",", -1);
  g_auto (GStrv) row5 = g_strsplit (lines[6], ",", -1);
  g_assert_cmpstr (row4[3], ==, "4");
  g_assert_cmpstr (row5[3], ==, "3");
  remove_tree (dir);
}

/* ---- stats.json ---- */

static gdouble
json_double (JsonObject *object, const gchar *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
}

/* Values of completion_rate per rep for (m, c), NAN where the run is not counted. */
static void
rep_values (guint m, guint c, gdouble *out)
{
  for (guint rep = 1; rep <= N_REPS; rep++)
    out[rep - 1] = counted (m, c, rep) ? jobs_completed (m, c, rep) / 100 : NAN;
}

static void
test_stats_json (void)
{
  g_autofree gchar *dir = make_campaign ();
  generate (dir);
  g_autoptr (JsonNode) root = read_json (dir, "stats.json");
  JsonObject *stats = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (stats, "compare"), ==,
                   "scheduling.consensus");
  JsonArray *comparisons = json_object_get_array_member (stats, "comparisons");
  g_assert_cmpuint (json_array_get_length (comparisons), ==, N_CONDS);
  JsonObject *crash = json_array_get_object_element (comparisons, 1);
  g_assert_cmpstr (json_object_get_string_member (crash, "condition"), ==, "crash");
  JsonArray *names = json_object_get_array_member (crash, "methods");
  for (guint m = 0; m < N_METHODS; m++)
    g_assert_cmpstr (json_array_get_string_element (names, m), ==, methods[m]);

  JsonObject *completion = json_object_get_object_member (
      json_object_get_object_member (crash, "metrics"), "completion_rate");
  JsonArray *pairs = json_object_get_array_member (completion, "pairs");
  g_assert_cmpuint (json_array_get_length (pairs), ==, 3);

  gdouble p_t[3], p_w[3], p_welch[3];
  guint pair = 0;
  for (guint i = 0; i < N_METHODS; i++)
    for (guint j = i + 1; j < N_METHODS; j++, pair++)
      {
        gdouble vi[N_REPS], vj[N_REPS], a[N_REPS], b[N_REPS], xa[N_REPS], xb[N_REPS];
        rep_values (i, 1, vi);
        rep_values (j, 1, vj);
        guint n = 0, na = 0, nb = 0;
        for (guint r = 0; r < N_REPS; r++)
          {
            if (!isnan (vi[r]) && !isnan (vj[r]))
              a[n] = vi[r], b[n] = vj[r], n++;
            if (!isnan (vi[r]))
              xa[na++] = vi[r];
            if (!isnan (vj[r]))
              xb[nb++] = vj[r];
          }
        /* Every pair here loses a repetition to the crashed, missing or interrupted run. */
        g_assert_cmpuint (n, ==, 2);
        DmasTestResult t, w, welch;
        dmas_stats_paired_t (a, b, n, &t);
        dmas_stats_wilcoxon (a, b, n, &w);
        dmas_stats_welch (xa, na, xb, nb, &welch);
        JsonObject *got = json_array_get_object_element (pairs, pair);
        g_assert_cmpstr (json_object_get_string_member (got, "a"), ==, methods[i]);
        g_assert_cmpstr (json_object_get_string_member (got, "b"), ==, methods[j]);
        g_assert_cmpint (json_object_get_int_member (got, "n"), ==, 2);
        g_assert_cmpint (json_object_get_boolean_member (got, "defined"), ==, t.defined);
        assert_close (json_double (got, "p"), t.p);
        assert_close (json_double (got, "t"), t.statistic);
        assert_close (json_double (got, "cohen_d"), t.effect);
        assert_close (json_double (got, "p_w"), w.p);
        assert_close (json_double (got, "W"), w.statistic);
        assert_close (json_double (got, "welch_p"), welch.p);
        assert_close (json_double (got, "welch_df"), welch.df);
        g_assert_cmpint (json_object_get_int_member (got, "welch_n"), ==, 6);
        p_t[pair] = t.p, p_w[pair] = w.p, p_welch[pair] = welch.p;
      }
  gdouble h_t[3], h_w[3], h_welch[3];
  dmas_stats_holm (p_t, 3, h_t);
  dmas_stats_holm (p_w, 3, h_w);
  dmas_stats_holm (p_welch, 3, h_welch);
  for (guint q = 0; q < 3; q++)
    {
      JsonObject *got = json_array_get_object_element (pairs, q);
      assert_close (json_double (got, "p_holm"), h_t[q]);
      assert_close (json_double (got, "p_w_holm"), h_w[q]);
      assert_close (json_double (got, "welch_p_holm"), h_welch[q]);
    }
  /* Welch with 3 + 3 values is defined, so the family is not all NaN. */
  g_assert_false (isnan (h_welch[0]));

  /* The cells: raft under crash rests on 3 runs; the best completion is gossip's. */
  JsonArray *cells = json_object_get_array_member (completion, "cells");
  JsonObject *raft = json_array_get_object_element (cells, 0);
  g_assert_cmpint (json_object_get_int_member (raft, "n"), ==, 3);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (cells, 2),
                                                 "best"));
  g_assert_false (json_object_get_boolean_member (raft, "best"));
  remove_tree (dir);
}

/* ---- runs.jsonl ---- */

static void
test_runs_jsonl (void)
{
  g_autofree gchar *dir = make_campaign ();
  generate (dir);
  g_autofree gchar *text = read_text (dir, "runs.jsonl");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, N_METHODS * N_CONDS * N_REPS + 1);
  guint i = 0;
  for (guint m = 0; m < N_METHODS; m++)
    for (guint c = 0; c < N_CONDS; c++)
      for (guint rep = 1; rep <= N_REPS; rep++, i++)
        {
          g_autoptr (JsonParser) parser = json_parser_new ();
          g_autoptr (GError) error = NULL;
          json_parser_load_from_data (parser, lines[i], -1, &error);
          g_assert_no_error (error);
          g_assert_null (strchr (lines[i], '\n'));
          JsonObject *run = json_node_get_object (json_parser_get_root (parser));
          g_autofree gchar *id = run_id (m, c, rep);
          g_assert_cmpstr (json_object_get_string_member (run, "id"), ==, id);
          g_assert_cmpint (json_object_get_int_member (run, "rep"), ==, rep);
          g_assert_cmpint (json_object_get_int_member (run, "seed"), ==,
                           1000 + m * 100 + c * 10 + rep);
          JsonObject *labels = json_object_get_object_member (run, "labels");
          g_assert_cmpstr (json_object_get_string_member (labels, "scheduling.consensus"), ==,
                           methods[m]);
          g_assert_cmpstr (json_object_get_string_member (labels, "faults"), ==,
                           conditions[c]);
          JsonObject *values = json_object_get_object_member (run, "metrics");
          JsonNode *completion = json_object_get_member (values, "completion_rate");
          const gchar *status = json_object_get_string_member (run, "status");
          switch (kind_of (m, c, rep))
            {
            case RUN_CRASHED:
              g_assert_cmpstr (status, ==, "crashed");
              g_assert_cmpstr (json_object_get_string_member (run, "detail"), ==,
                               "signal 11 (Segmentation fault)");
              g_assert_true (JSON_NODE_HOLDS_NULL (completion));
              break;
            case RUN_MISSING:
              g_assert_cmpstr (status, ==, "missing");
              g_assert_true (JSON_NODE_HOLDS_NULL (completion));
              g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (run, "trace_digest")));
              break;
            case RUN_DEADLOCK:
              g_assert_cmpstr (status, ==, "deadlock");
              g_assert_cmpstr (json_object_get_string_member (run, "detail"), ==,
                               "job 3 pending");
              break;
            case RUN_INTERRUPTED:
              g_assert_cmpstr (status, ==, "interrupted");
              break;
            case RUN_OK:
              g_assert_cmpstr (status, ==, "complete");
              assert_close (json_node_get_double (completion),
                            jobs_completed (m, c, rep) / 100);
              g_assert_cmpfloat (json_object_get_double_member (run, "wall_s"), ==, 0.5);
              break;
            }
        }
  remove_tree (dir);
}

/* ---- the predecessor's files ---- */

static void
assert_members (JsonObject *object, const gchar *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (!json_object_has_member (object, names[i]))
      g_error ("member '%s' missing", names[i]);
}

static void
test_compat (void)
{
  g_autofree gchar *dir = make_campaign ();
  generate (dir);

  g_autoptr (JsonNode) config = read_json (dir, "experiment_config.json");
  JsonObject *c = json_node_get_object (config);
  assert_members (c, (const gchar *const[]) { "methods", "num_agents", "num_jobs",
                                              "repetitions", "byzantine_faults", "timestamp",
                                              NULL });
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "methods")), ==,
                    N_METHODS * N_CONDS);
  g_assert_cmpint (json_object_get_int_member (c, "num_agents"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (c, "num_jobs"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (c, "repetitions"), ==, N_REPS);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (c, "timestamp")));

  /* Every summary key the predecessor had, for every method listed in the config. */
  g_autoptr (JsonNode) summary = read_json (dir, "experiment_summary.json");
  g_autoptr (JsonNode) aware = read_json (dir, "fault_aware_summary.json");
  JsonArray *keys = json_object_get_array_member (c, "methods");
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      const gchar *key = json_array_get_string_element (keys, i);
      assert_members (json_object_get_object_member (json_node_get_object (summary), key),
                      (const gchar *const[]) { "success_rate", "avg_time", "avg_messages",
                                               "avg_rounds", "total_jobs", "successful_jobs",
                                               "fault_tolerance", "repetitions", NULL });
      assert_members (json_object_get_object_member (json_node_get_object (aware), key),
                      (const gchar *const[]) { "success_rate", "avg_time", "avg_messages",
                                               "avg_rounds", "total_jobs", "successful_jobs",
                                               "fault_impacted_jobs", "fault_resistance",
                                               "fault_tolerance", NULL });
    }
  JsonObject *raft = json_object_get_object_member (json_node_get_object (summary),
                                                    "raft, none");
  gdouble completed = 0, msgs = 0;
  for (guint rep = 1; rep <= N_REPS; rep++)
    completed += jobs_completed (0, 0, rep), msgs += 1000 + rep;
  g_assert_cmpint (json_object_get_int_member (raft, "total_jobs"), ==, 100 * N_REPS);
  g_assert_cmpint (json_object_get_int_member (raft, "successful_jobs"), ==, (gint64) completed);
  assert_close (json_object_get_double_member (raft, "success_rate"),
                100.0 * completed / (100.0 * N_REPS));
  assert_close (json_object_get_double_member (raft, "avg_messages"), msgs / (100.0 * N_REPS));
  g_assert_cmpstr (json_object_get_string_member (raft, "fault_tolerance"), ==, "Crash");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (raft, "avg_rounds")));

  /* raw_results: one record per job of every counted run. */
  g_autoptr (JsonNode) raw = read_json (dir, "raw_results.json");
  JsonArray *records = json_object_get_array_member (json_node_get_object (raw),
                                                     "raft, crash");
  g_assert_cmpuint (json_array_get_length (records), ==, 3 * N_JOBS_ROWS);
  JsonObject *rejected = json_array_get_object_element (records, 2);
  assert_members (rejected, (const gchar *const[]) { "protocol", "success", "job_id",
                                                     "time_taken", "rounds", "messages_sent",
                                                     "fault_tolerance", "details", NULL });
  g_assert_false (json_object_get_boolean_member (rejected, "success"));
  g_assert_cmpstr (json_object_get_string_member (rejected, "protocol"), ==, "raft");
  g_assert_cmpstr (json_object_get_string_member (rejected, "job_id"), ==, "3");
  JsonObject *details = json_object_get_object_member (rejected, "details");
  g_assert_cmpstr (json_object_get_string_member (details, "reason"), ==,
                   "no cluster fits, \"big\"");
  g_assert_cmpstr (json_object_get_string_member (details, "final_state"), ==, "REJECTED");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (records, 0),
                                                 "success"));

  /* Faults: 2 per counted crash run (3 + 3 + 3 runs), one of them still down. */
  g_autoptr (JsonNode) logs = read_json (dir, "fault_logs.json");
  JsonObject *l = json_node_get_object (logs);
  JsonObject *statistics = json_object_get_object_member (l, "statistics");
  assert_members (statistics, (const gchar *const[]) { "total_faults_injected", "active_faults",
                                                       "completed_faults", "faults_by_type",
                                                       "affected_agents", NULL });
  g_assert_cmpint (json_object_get_int_member (statistics, "total_faults_injected"), ==, 18);
  g_assert_cmpint (json_object_get_int_member (statistics, "active_faults"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (
                       json_object_get_object_member (statistics, "faults_by_type"), "crash"),
                   ==, 18);
  JsonArray *history = json_object_get_array_member (l, "fault_history");
  g_assert_cmpuint (json_array_get_length (history), ==, 9);
  JsonObject *first = json_array_get_object_element (history, 0);
  assert_members (first, (const gchar *const[]) { "id", "fault_type", "affected_agents",
                                                  "duration", "active", "recovered", NULL });
  g_assert_cmpfloat (json_object_get_double_member (first, "duration"), ==, 60.0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (l, "active_faults")),
                    ==, 9);

  g_autoptr (JsonNode) per_method = read_json (dir, "fault_results_per_method.json");
  JsonArray *raft_crash = json_object_get_array_member (json_node_get_object (per_method),
                                                        "raft, crash");
  g_assert_cmpuint (json_array_get_length (raft_crash), ==, 3);
  JsonObject *entry = json_array_get_object_element (raft_crash, 0);
  assert_members (entry, (const gchar *const[]) { "total_faults_injected", "active_faults",
                                                  "job_id", "method", "repetition", NULL });
  g_assert_cmpint (json_object_get_int_member (entry, "total_faults_injected"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (entry, "repetition"), ==, 0);
  remove_tree (dir);
}

/* ---- a campaign with repetitions only: nothing to compare ---- */

static void
test_repetitions_only (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-report-XXXXXX", &error);
  g_assert_no_error (error);
  write_file (dir, "campaign.json",
              "{\"format\": 1, \"name\": \"reps\", \"source\": \"r.yaml\", \"master_seed\": 1, "
              "\"paired\": true, \"compare\": null, \"axes\": [], \"points\": [{\"index\": 0, "
              "\"id\": \"000\", \"labels\": [], \"label\": \"\", \"repetitions\": 3}], "
              "\"runs\": [{\"id\": \"000-r1\", \"point\": 0, \"rep\": 1, \"seed\": 1, "
              "\"world_seed\": 1, \"config_hash\": \"h\"}, {\"id\": \"000-r2\", \"point\": 0, "
              "\"rep\": 2, \"seed\": 2, \"world_seed\": 2, \"config_hash\": \"h\"}, {\"id\": "
              "\"000-r3\", \"point\": 0, \"rep\": 3, \"seed\": 3, \"world_seed\": 3, "
              "\"config_hash\": \"h\"}]}\n");
  const gdouble rates[] = { 0.5, 0.75, 1.0 };
  for (guint rep = 1; rep <= 3; rep++)
    {
      g_autofree gchar *run = g_strdup_printf ("%s/runs/000-r%u", dir, rep);
      g_assert_cmpint (g_mkdir_with_parents (run, 0755), ==, 0);
      gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree gchar *summary = g_strdup_printf (
          "{\"status\": \"horizon\", \"completion_rate\": %s, \"jobs_submitted\": 4}\n",
          g_ascii_dtostr (buf, sizeof buf, rates[rep - 1]));
      write_file (run, "summary.json", summary);
      write_file (run, "jobs.csv", "job_id,final_state\n1,COMPLETED_SUCCESSFULLY\n");
    }
  generate (dir);
  g_autoptr (JsonNode) stats = read_json (dir, "stats.json");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (stats), "comparisons")), ==, 0);
  g_autofree gchar *csv = read_text (dir, "summary.csv");
  g_assert_true (g_str_has_prefix (csv, "point,n,completion_rate_mean,"));
  g_assert_nonnull (strstr (csv, "\n000,3,0.75,"));
  /* Metrics a run does not report are empty, not zero. */
  g_assert_nonnull (strstr (csv, ",,,,,"));
  g_autoptr (JsonNode) summary = read_json (dir, "experiment_summary.json");
  g_assert_true (json_object_has_member (json_node_get_object (summary), "000"));

  g_autofree gchar *path = g_build_filename (dir, "table.txt", NULL);
  FILE *out = fopen (path, "w");
  g_assert_nonnull (out);
  gboolean ok = dmas_report_print_table (dir, out, &error);
  fclose (out);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_autofree gchar *table = read_text (dir, "table.txt");
  g_assert_nonnull (strstr (table, "\n000 "));
  g_assert_nonnull (strstr (table, "3/3"));
  remove_tree (dir);
}

/* ---- determinism, terminal table, errors, CLI ---- */

static const gchar *const outputs[] = {
  "runs.jsonl", "summary.csv", "stats.json", "experiment_config.json",
  "experiment_summary.json", "raw_results.json", "fault_aware_summary.json",
  "fault_logs.json", "fault_results_per_method.json", "report.html", NULL
};

static void
test_byte_identical (void)
{
  g_autofree gchar *dir = make_campaign ();
  generate (dir);
  g_autoptr (GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; outputs[i] != NULL; i++)
    g_ptr_array_add (first, read_text (dir, outputs[i]));
  generate (dir);
  for (guint i = 0; outputs[i] != NULL; i++)
    {
      g_autofree gchar *again = read_text (dir, outputs[i]);
      g_assert_cmpstr (again, ==, first->pdata[i]);
    }
  remove_tree (dir);
}

static void
test_table (void)
{
  g_autofree gchar *dir = make_campaign ();
  g_autofree gchar *path = g_build_filename (dir, "table.txt", NULL);
  FILE *out = fopen (path, "w");
  g_assert_nonnull (out);
  g_autoptr (GError) error = NULL;
  gboolean ok = dmas_report_print_table (dir, out, &error);
  fclose (out);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_autofree gchar *text = read_text (dir, "table.txt");
  g_test_message ("%s", text);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 100);
  /* The crash block: raft lost r3 (3/4), gossip has the best completion (marked). */
  const gchar *crash = strstr (text, "under crash");
  g_assert_nonnull (crash);
  const gchar *raft = strstr (crash, "\nraft");
  const gchar *gossip = strstr (crash, "\ngossip");
  g_assert_nonnull (raft);
  g_assert_nonnull (gossip);
  g_autofree gchar *raft_line = g_strndup (raft + 1, strcspn (raft + 1, "\n"));
  g_autofree gchar *gossip_line = g_strndup (gossip + 1, strcspn (gossip + 1, "\n"));
  g_assert_true (g_str_has_suffix (raft_line, "3/4"));
  g_assert_true (g_str_has_suffix (gossip_line, "3/4"));
  g_assert_nonnull (strstr (gossip_line, "*"));
  g_assert_nonnull (strstr (text, "\u00b1"));
  g_assert_nonnull (strstr (text, "1 deadlock (counted), 1 crashed, 1 interrupted, 1 missing"));
  remove_tree (dir);
}

static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-report-XXXXXX", &error);
  g_assert_no_error (error);

  /* No campaign.json. */
  g_assert_false (dmas_report_generate (dir, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "campaign.json"));
  g_clear_error (&error);

  /* A broken campaign.json names the file and the member. */
  write_file (dir, "campaign.json", "{\"format\": 1, \"name\": \"x\"}");
  g_assert_false (dmas_report_generate (dir, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "campaign.json"));
  g_assert_nonnull (strstr (error->message, "paired"));
  g_clear_error (&error);
  remove_tree (dir);

  /* A run id that would leave runs/. */
  g_autofree gchar *bad = make_campaign ();
  g_autofree gchar *text = read_text (bad, "campaign.json");
  g_autofree gchar *escaped = NULL;
  {
    g_autoptr (GString) s = g_string_new (text);
    g_string_replace (s, "\"000-raft+none-r1\"", "\"../x\"", 1);
    escaped = g_string_free (g_steal_pointer (&s), FALSE);
  }
  write_file (bad, "campaign.json", escaped);
  g_assert_false (dmas_report_generate (bad, &error));
  g_assert_nonnull (strstr (error->message, "runs[0]"));
  g_clear_error (&error);

  /* A summary.json that does not parse is named with its path. */
  write_file (bad, "campaign.json", text);
  g_autofree gchar *run = g_build_filename (bad, "runs", "000-raft+none-r2", NULL);
  write_file (run, "summary.json", "{ not json");
  g_assert_false (dmas_report_generate (bad, &error));
  g_assert_nonnull (strstr (error->message, "000-raft+none-r2/summary.json"));
  remove_tree (bad);
}

static void
test_cli (void)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  if (builddir == NULL)
    {
      g_test_skip ("DMAS_BUILDDIR is not set (run through make check)");
      return;
    }
  g_autofree gchar *dmas = g_build_filename (builddir, "dmas", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *empty = g_dir_make_tmp ("dmas-report-XXXXXX", &error);
  g_assert_no_error (error);

  const gchar *argv_empty[] = { dmas, "report", empty, NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  gint status;
  g_spawn_sync (NULL, (gchar **) argv_empty, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "campaign.json"));
  g_assert_nonnull (strstr (err, "not a campaign result directory"));
  remove_tree (empty);

  g_autofree gchar *dir = make_campaign ();
  const gchar *argv_ok[] = { dmas, "report", dir, NULL };
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_spawn_sync (NULL, (gchar **) argv_ok, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_nonnull (strstr (out, "under crash"));
  g_assert_nonnull (strstr (out, "report.html"));
  g_autofree gchar *csv = g_build_filename (dir, "summary.csv", NULL);
  g_assert_true (g_file_test (csv, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Plots as scripts only: these tests are about the tables, not gnuplot. */
  g_setenv ("DMAS_GNUPLOT", "", TRUE);
  g_test_add_func ("/report/summary-csv/hand-computed", test_summary_csv);
  g_test_add_func ("/report/stats-json/matches-stats-api", test_stats_json);
  g_test_add_func ("/report/runs-jsonl/statuses", test_runs_jsonl);
  g_test_add_func ("/report/compat/predecessor-keys", test_compat);
  g_test_add_func ("/report/repetitions-only/no-comparison", test_repetitions_only);
  g_test_add_func ("/report/generate/byte-identical", test_byte_identical);
  g_test_add_func ("/report/table/best-and-counts", test_table);
  g_test_add_func ("/report/errors/name-the-file", test_errors);
  g_test_add_func ("/report/cli/report-dir", test_cli);
  return g_test_run ();
}
