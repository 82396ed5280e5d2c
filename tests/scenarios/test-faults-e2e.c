/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault injection through the real `dmas run` and `dmas config`: faults.jsonl, summary counts. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scenario.h"

#define PREFIX "dmas-faults"

static gchar *
scenario (void)
{
  return scen_src_path ("tests/scenarios/crash-30s.yaml");
}

/* The crash and the restart, each with its time, agent, source and the entry's parameters
 * with defaults filled; the summary counts one fault and one agent failure. */
static void
test_crash_logged (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q", NULL };

  g_assert_cmpint (scen_dmas (args, NULL, NULL), ==, 0);
  g_autofree gchar *jsonl = scen_read_file (out, "faults.jsonl");
  g_assert_cmpstr (jsonl, ==,
                   "{\"t\":30,\"fault\":\"crash\",\"agent\":1,\"source\":\"crash#0\","
                   "\"agents\":\"1\",\"pattern\":\"fixed\",\"at\":\"30s\",\"every\":\"0s\","
                   "\"mtbf\":\"1h\",\"restart_after\":\"60s\",\"count\":1,\"mttr\":\"0s\",\"neighbours\":1,"
                   "\"cascade_factor\":10,\"cascade_window\":\"60s\"}\n"
                   "{\"t\":90,\"fault\":\"restart\",\"agent\":1,\"source\":\"crash#0\","
                   "\"agents\":\"1\",\"pattern\":\"fixed\",\"at\":\"30s\",\"every\":\"0s\","
                   "\"mtbf\":\"1h\",\"restart_after\":\"60s\",\"count\":1,\"mttr\":\"0s\",\"neighbours\":1,"
                   "\"cascade_factor\":10,\"cascade_window\":\"60s\"}\n");
  g_assert_cmpint (scen_summary_int (out, "faults_injected"), ==, 1);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 1);
}

/* Every line is one JSON object; times never go back. */
static void
check_jsonl (const gchar *text, guint *n_lines)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gdouble last = 0.0;
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        {
          g_assert_null (lines[i + 1]); /* only after the final newline */
          continue;
        }
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      gdouble t = json_object_get_double_member (o, "t");
      g_assert_cmpfloat (t, >=, last);
      last = t;
      n++;
    }
  *n_lines = n;
}

/* A random schedule: the same seed gives the same bytes, another seed another schedule. */
static void
test_random_deterministic (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "b", NULL);
  g_autofree gchar *c = g_build_filename (f->tmpdir, "c", NULL);
  const gchar *set = "faults=[{type: crash, agents: all, pattern: random, mtbf: 40s, "
                     "restart_after: 10s, count: 2}]";
  const gchar *run_a[] = { "run", config, "-o", a, "-q", "--set", set, NULL };
  const gchar *run_b[] = { "run", config, "-o", b, "-q", "--set", set, NULL };
  const gchar *run_c[] = { "run", config, "-o", c, "-q", "--set", set, "--seed", "6", NULL };

  g_assert_cmpint (scen_dmas (run_a, NULL, NULL), ==, 0);
  g_assert_cmpint (scen_dmas (run_b, NULL, NULL), ==, 0);
  g_assert_cmpint (scen_dmas (run_c, NULL, NULL), ==, 0);
  g_autofree gchar *ja = scen_read_file (a, "faults.jsonl");
  g_autofree gchar *jb = scen_read_file (b, "faults.jsonl");
  g_autofree gchar *jc = scen_read_file (c, "faults.jsonl");
  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpstr (ja, !=, jc);
  guint n = 0;
  check_jsonl (ja, &n);
  g_assert_cmpint (scen_summary_int (a, "faults_injected"), >=, 1);
  /* Crashes and restarts alternate per agent, so the log holds up to twice the crashes. */
  g_assert_cmpint (n, >=, scen_summary_int (a, "faults_injected"));
  g_assert_cmpint (n, <=, 2 * scen_summary_int (a, "faults_injected"));
}

/* Pairing: runs with other run seeds and another protocol but one world_seed share the
 * workload and the fault schedule (what a campaign relies on); another world_seed does not. */
static void
test_world_seed_pairs (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "b", NULL);
  g_autofree gchar *c = g_build_filename (f->tmpdir, "c", NULL);
  const gchar *set = "faults=[{type: crash, agents: random:2, pattern: random, mtbf: 40s, "
                     "restart_after: 10s, count: 2}]";
  const gchar *run_a[] = { "run", config, "-o", a, "-q", "--set", set, "--seed", "3",
                           "--set", "world_seed=9", NULL };
  const gchar *run_b[] = { "run", config, "-o", b, "-q", "--set", set, "--seed", "4",
                           "--set", "world_seed=9", "--set", "scheduling.consensus=raft", NULL };
  const gchar *run_c[] = { "run", config, "-o", c, "-q", "--set", set, "--seed", "3",
                           "--set", "world_seed=10", NULL };

  g_assert_cmpint (scen_dmas (run_a, NULL, NULL), ==, 0);
  g_assert_cmpint (scen_dmas (run_b, NULL, NULL), ==, 0);
  g_assert_cmpint (scen_dmas (run_c, NULL, NULL), ==, 0);
  g_autofree gchar *ja = scen_read_file (a, "faults.jsonl");
  g_autofree gchar *jb = scen_read_file (b, "faults.jsonl");
  g_autofree gchar *jc = scen_read_file (c, "faults.jsonl");
  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpstr (ja, !=, jc);
  const gchar *columns[] = { "submission_time", "requested_number_of_resources",
                             "requested_time" };
  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr (GPtrArray) ca = scen_jobs_column (a, columns[i]);
      g_autoptr (GPtrArray) cb = scen_jobs_column (b, columns[i]);
      g_assert_cmpuint (ca->len, ==, cb->len);
      for (guint j = 0; j < ca->len; j++)
        g_assert_cmpstr (g_ptr_array_index (ca, j), ==, g_ptr_array_index (cb, j));
    }
  /* Arrivals are constant in this scenario; the drawn runtimes show the other world. */
  g_autoptr (GPtrArray) sa = scen_jobs_column (a, "requested_time");
  g_autoptr (GPtrArray) sc = scen_jobs_column (c, "requested_time");
  gboolean differ = sa->len != sc->len;
  for (guint j = 0; !differ && j < sa->len; j++)
    differ = g_strcmp0 (g_ptr_array_index (sa, j), g_ptr_array_index (sc, j)) != 0;
  g_assert_true (differ);
}

/* No faults: an empty faults.jsonl, and a zero count. */
static void
test_no_faults (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "none", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q", "--set", "faults=[]", NULL };

  g_assert_cmpint (scen_dmas (args, NULL, NULL), ==, 0);
  g_autofree gchar *jsonl = scen_read_file (out, "faults.jsonl");
  g_assert_cmpstr (jsonl, ==, "");
  g_assert_cmpint (scen_summary_int (out, "faults_injected"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 0);
}

/* `dmas config` shows each entry with every parameter, defaults filled, in spec order; an
 * unknown parameter is a usage error (exit status 2). */
static void
test_config (ScenFixture *f, gconstpointer data)
{
  (void) f;
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *text = NULL;
  const gchar *show[] = { "config", config, NULL };
  const gchar *typo[] = { "config", config, "--set", "faults=[{type: crash, restart: 5s}]",
                          NULL };

  g_assert_cmpint (scen_dmas (show, &text, NULL), ==, 0);
  g_assert_nonnull (strstr (text, "faults:\n"
                                  "- type: crash\n"
                                  "  agents: \"1\"\n"
                                  "  pattern: fixed\n"
                                  "  at: 30s\n"
                                  "  every: 0s\n"
                                  "  mtbf: 1h\n"
                                  "  restart_after: 60s\n"
                                  "  count: 1\n"));
  g_assert_cmpint (scen_dmas (typo, NULL, NULL), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/faults-e2e/crash/logged", ScenFixture, PREFIX, scen_fixture_setup,
              test_crash_logged, scen_fixture_teardown);
  g_test_add ("/faults-e2e/random/deterministic", ScenFixture, PREFIX, scen_fixture_setup,
              test_random_deterministic, scen_fixture_teardown);
  g_test_add ("/faults-e2e/world-seed/pairs", ScenFixture, PREFIX, scen_fixture_setup,
              test_world_seed_pairs, scen_fixture_teardown);
  g_test_add ("/faults-e2e/none/empty-log", ScenFixture, PREFIX, scen_fixture_setup,
              test_no_faults, scen_fixture_teardown);
  g_test_add ("/faults-e2e/config/defaults-filled", ScenFixture, PREFIX, scen_fixture_setup,
              test_config, scen_fixture_teardown);
  return g_test_run ();
}
