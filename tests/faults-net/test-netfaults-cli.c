/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The partition and link components through the real `dmas run`: faults.jsonl lines, the
 * summary's message counters, and the errors a bad entry gets. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "../scenarios/scenario.h"

#define PREFIX "dmas-netfaults"

static gchar *
scenario (void)
{
  return scen_src_path ("tests/faults-net/partition-5.yaml");
}

/* An explicit partition and a lossy link: their onsets and ends with the resolved details
 * first, then the entry's parameters; every message across the cut is counted. */
static void
test_logged (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *extra[] = { "--set", "faults=[{type: partition, groups: \"0,1|2,3,4\", at: 60s, "
                           "for: 120s}, {type: link, from: \"2\", to: \"3\", loss: 1, "
                           "at: 10s, for: 5s}]", NULL };

  scen_run (config, out, extra);
  g_autofree gchar *jsonl = scen_read_file (out, "faults.jsonl");
  g_assert_cmpstr (jsonl, ==,
                   "{\"t\":10,\"fault\":\"link\",\"from\":2,\"to\":3,\"loss\":1.0,"
                   "\"duplicate\":0.0,\"reorder\":0.0,\"corrupt\":0.0,\"undetected\":false,"
                   "\"delay\":0,\"jitter\":0,\"id\":1,\"source\":\"link#1\",\"at\":\"10s\","
                   "\"for\":\"5s\"}\n"
                   "{\"t\":15,\"fault\":\"link_end\",\"from\":2,\"to\":3,\"loss\":1.0,"
                   "\"duplicate\":0.0,\"reorder\":0.0,\"corrupt\":0.0,\"undetected\":false,"
                   "\"delay\":0,\"jitter\":0,\"id\":1,\"source\":\"link#1\",\"at\":\"10s\","
                   "\"for\":\"5s\"}\n"
                   "{\"t\":60,\"fault\":\"partition\",\"groups\":[[0,1],[2,3,4]],\"id\":2,"
                   "\"source\":\"partition#0\",\"agents\":\"none\",\"fraction\":0.5,\"k\":1,"
                   "\"direction\":\"both\",\"controller\":\"largest\",\"pattern\":\"fixed\","
                   "\"at\":\"60s\",\"for\":\"120s\",\"every\":\"0s\",\"mtbf\":\"1h\","
                   "\"count\":1}\n"
                   "{\"t\":180,\"fault\":\"heal\",\"groups\":[[0,1],[2,3,4]],\"id\":2,"
                   "\"source\":\"partition#0\",\"agents\":\"none\",\"fraction\":0.5,\"k\":1,"
                   "\"direction\":\"both\",\"controller\":\"largest\",\"pattern\":\"fixed\","
                   "\"at\":\"60s\",\"for\":\"120s\",\"every\":\"0s\",\"mtbf\":\"1h\","
                   "\"count\":1}\n");
  /* Heartbeats alone cross the cut 2 x 3 x 2 = 12 times a second for 120 s. */
  g_assert_cmpint (scen_summary_int (out, "msgs_dropped_partition"), >=, 12 * 119);
  /* 2 -> 3 heartbeats, once a second for 5 s, at least. */
  g_assert_cmpint (scen_summary_int (out, "msgs_dropped_loss"), >=, 5);
  g_assert_cmpint (scen_summary_int (out, "faults_injected"), ==, 2);
  g_assert_cmpstr (scen_summary_string (out, "status"), ==, "complete");
}

/* Centralized mode: the controller replicas sit with the largest group {2, 3, 4}; during the
 * cut no job starts on 0 or 1 (the controller cannot reach them), jobs keep starting on the
 * majority, and after the heal every job completes. */
static void
test_centralized (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *extra[] = { "--set", "scheduling.mode=centralized", "--set",
                           "faults=[{type: partition, groups: \"0,1|2,3,4\", at: 60s, "
                           "for: 120s}]", NULL };

  scen_run (config, out, extra);
  g_autofree gchar *jsonl = scen_read_file (out, "faults.jsonl");
  g_assert_nonnull (strstr (jsonl, "\"groups\":[[0,1],[2,3,4]],\"with\":2,"));
  g_autoptr (GPtrArray) start = scen_jobs_column (out, "starting_time");
  g_autoptr (GPtrArray) agent = scen_jobs_column (out, "allocated_resources");
  guint minority = 0, majority = 0;
  for (guint i = 0; i < start->len; i++)
    {
      gdouble t = g_ascii_strtod (start->pdata[i], NULL);
      if (t < 61.0 || t >= 180.0)
        continue;
      if (g_strcmp0 (agent->pdata[i], "0") == 0 || g_strcmp0 (agent->pdata[i], "1") == 0)
        minority++;
      else
        majority++;
    }
  g_assert_cmpuint (minority, ==, 0);
  g_assert_cmpuint (majority, >=, 10);
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), ==,
                   scen_summary_int (out, "jobs_submitted"));
  g_assert_cmpint (scen_summary_int (out, "msgs_dropped_partition"), >, 0);
}

/* Each bad entry fails before the run with exit status 2 and a message naming the fix. */
static void
test_errors (ScenFixture *f, gconstpointer data)
{
  static const struct {
    const gchar *entry, *message;
  } cases[] = {
    { "{type: link, reorder: 0.5}", "set delay (e.g. delay: 10ms)" },
    { "{type: link, loss: 1.5}", "loss: 1.5 is not a probability; give 0 to 1" },
    { "{type: link}", "this link fault does nothing" },
    { "{type: link, corrupt: 0, undetected: true}", "undetected: true needs corrupt > 0" },
    { "{type: link, from: \"9\", loss: 0.1}", "from: there is no agent 9" },
    { "{type: partition, groups: \"0,1|2,3\"}", "agent 4 is in no group of '0,1|2,3'" },
    { "{type: partition, groups: \"0,1|1,2,3,4\"}", "agent 1 appears twice" },
    { "{type: partition, groups: halves, agents: \"1\"}", "only groups: isolate takes agents" },
    { "{type: partition, groups: ring, k: 2}", "give k from 1 to 1" },
    { "{type: partition, groups: fraction, fraction: 0.05}", "give a fraction leaving 1 to 4" },
    { "{type: partition, groups: isolate, agents: all}", "leaves no one on the other side" },
    { "{type: partition, groups: halves, count: 2, for: 10s, every: 5s}",
      "every must be longer than for" },
    { "{type: partition, groups: halves, direction: sideways}", "direction: 'sideways'" },
  };
  (void) data;
  g_autofree gchar *config = scenario ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *out = g_build_filename (f->tmpdir, "err", NULL);
      g_autofree gchar *set = g_strdup_printf ("faults=[%s]", cases[i].entry);
      g_autofree gchar *err = NULL;
      const gchar *args[] = { "run", config, "-o", out, "-q", "--set", set, NULL };
      g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 2);
      if (strstr (err, cases[i].message) == NULL)
        g_test_message ("%s: got: %s", cases[i].entry, err);
      g_assert_nonnull (strstr (err, cases[i].message));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/netfaults-cli/logged", ScenFixture, PREFIX, scen_fixture_setup, test_logged,
              scen_fixture_teardown);
  g_test_add ("/netfaults-cli/centralized", ScenFixture, PREFIX, scen_fixture_setup,
              test_centralized, scen_fixture_teardown);
  g_test_add ("/netfaults-cli/errors", ScenFixture, PREFIX, scen_fixture_setup, test_errors,
              scen_fixture_teardown);
  return g_test_run ();
}
