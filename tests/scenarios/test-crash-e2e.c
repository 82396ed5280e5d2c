/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A crash and its recovery through the real `dmas run` and a `faults:` list, hand-computed. */
#include "config.h"

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scenario.h"

/* Runs `dmas run tests/scenarios/crash-recover.yaml` with the --set assignment `set`
 * (nullable) into DIR/out of a fresh directory DIR.  Returns: (transfer full) DIR, for
 * scen_tmpdir_free(). */
static gchar *
run_scenario (const gchar *set)
{
  gchar *tmp = scen_tmpdir_new ("dmas-crash");
  g_autofree gchar *out = g_build_filename (tmp, "out", NULL);
  g_autofree gchar *config = scen_src_path ("tests/scenarios/crash-recover.yaml");
  const gchar *extra[] = { "--set", set, NULL };

  scen_run (config, out, set != NULL ? extra : NULL);
  return tmp;
}

static JsonObject *
summary_of (const gchar *tmp)
{
  g_autofree gchar *out = g_build_filename (tmp, "out", NULL);
  return scen_summary (out);
}

/* The single row of jobs.csv. */
static gchar *
job_row (const gchar *tmp)
{
  g_autofree gchar *out = g_build_filename (tmp, "out", NULL);
  g_autofree gchar *text = scen_read_file (out, "jobs.csv");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3); /* header, the job, "" */
  return g_strdup (lines[1]);
}

#define EPS 1e-9

/* The arithmetic is in the YAML's header: the job restarts at c at 40.102 s. */
static void
test_crash_recover (void)
{
  g_autofree gchar *tmp = run_scenario (NULL);
  g_autofree gchar *row = job_row (tmp);
  g_assert_cmpstr (row, ==, "1,0,1,150,40.102,100,140.102,40.102,140.102,1.40102,2,"
                            "COMPLETED_SUCCESSFULLY,,");

  g_autoptr (JsonObject) s = summary_of (tmp);
  g_assert_cmpstr (json_object_get_string_member (s, "status"), ==, "complete");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "end_time_s"), 140.103, EPS);
  g_assert_cmpint (json_object_get_int_member (s, "jobs_completed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (s, "jobs_lost"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (s, "duplicate_executions"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (s, "agent_failures"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (s, "jobs_recovered"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (s, "recoveries"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "mttr_s"), 10.102, EPS);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "agent_downtime_mean_s"),
                                  140.103 - 30.0, EPS);
  g_assert_cmpfloat (json_object_get_double_member (s, "availability"), ==, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (s, "service_outage_mean_s"), ==, 0.0);
  g_assert_cmpint (json_object_get_int_member (s, "heartbeat_msgs"), ==, 128);
  /* Submission + acknowledgement, then announcement, re-announcement, FINISH: 2 each. */
  g_assert_cmpint (json_object_get_int_member (s, "sched_msgs"), ==, 2 + 6);
  g_assert_cmpint (json_object_get_int_member (s, "msgs_dropped_down"), ==, 49);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "fault_tolerance_score"),
                                  99.6, EPS);

  g_autofree gchar *out = g_build_filename (tmp, "out", NULL);
  g_autofree gchar *faults = scen_read_file (out, "faults.jsonl");
  g_assert_true (g_str_has_prefix (faults, "{\"t\":30,\"fault\":\"crash\",\"agent\":1,"));
  scen_tmpdir_free (g_steal_pointer (&tmp));
}

/* b is back at 35 s, before anyone suspects it: a hears its new incarnation at 35.001 s and
 * re-announces the job; every agent answers by 35.003 s, b (empty again, 1.0) wins and
 * restarts the job at 35.004 s.  No duplicate: b's first run died with the crash. */
static void
test_crash_restart_no_duplicate (void)
{
  g_autofree gchar *tmp
      = run_scenario ("faults=[{type: crash, agents: \"1\", at: 30s, restart_after: 5s}]");
  g_autofree gchar *row = job_row (tmp);
  g_assert_cmpstr (row, ==, "1,0,1,150,35.004,100,135.004,35.004,135.004,1.35004,1,"
                            "COMPLETED_SUCCESSFULLY,,");
  g_autoptr (JsonObject) s = summary_of (tmp);
  g_assert_cmpint (json_object_get_int_member (s, "duplicate_executions"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (s, "jobs_recovered"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "mttr_s"), 5.004, EPS);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "agent_downtime_mean_s"),
                                  5.0, EPS);
  scen_tmpdir_free (g_steal_pointer (&tmp));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenarios/crash/recover", test_crash_recover);
  g_test_add_func ("/scenarios/crash/restart-no-duplicate", test_crash_restart_no_duplicate);
  return g_test_run ();
}
