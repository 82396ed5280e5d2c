/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configs/single.yaml through the real `dmas run` with consensus/multipaxos. */
#include "config.h"

#include <glib.h>

#include "scenario.h"

#define PREFIX "dmas-multipaxos-e2e"
#define CRASH_LEADER "faults=[{type: crash, agents: \"0\", at: 60s, restart_after: 30s}]"
#define CRASH_MAJORITY "faults=[{type: crash, agents: \"0,1,2\", at: 60s, restart_after: 30s}]"

/* The quickstart with multipaxos (and `faults`, nullable), checked by scen_run_consensus. */
static gchar *
run (const gchar *faults, gchar **out)
{
  const gchar *sets[] = { faults, NULL };
  return scen_run_consensus (PREFIX, "multipaxos", sets, out);
}

/* No faults: one election, one phase 2 instance per job, and the cost the component's header
 * states: 4(n-1) per decision with n = 5, plus the one leader change's PREPARE, PROMISE and
 * HEARTBEAT, 3(n-1) in all, spread over the jobs. */
static void
test_clean (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (NULL, &out);
  gint64 jobs = scen_summary_int (out, "jobs_submitted");
  g_assert_cmpfloat (scen_plugin_metric (out, "elections"), ==, 1.0);
  g_assert_cmpfloat (scen_plugin_metric (out, "ballots"), ==, 1.0);
  g_assert_cmpfloat (scen_plugin_metric (out, "rounds"), ==, (gdouble) jobs);
  g_assert_cmpfloat_with_epsilon (scen_summary_double (out, "msgs_per_decision"),
                                  4.0 * 4 + 3.0 * 4 / (gdouble) jobs, 1e-9);
  scen_tmpdir_free (tmpdir);
}

/* Agent 0, the first leader, down from 60 s to 90 s: a second phase 1 elects another. */
static void
test_leader_crash (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (CRASH_LEADER, &out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 1);
  g_assert_cmpfloat (scen_plugin_metric (out, "elections"), ==, 2.0);
  scen_tmpdir_free (tmpdir);
}

/* Three of five down for 30 s: no quorum meanwhile (failed ballots), progress after. */
static void
test_majority_down (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (CRASH_MAJORITY, &out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 3);
  g_assert_cmpfloat (scen_plugin_metric (out, "ballots"), >, scen_plugin_metric (out, "elections"));
  scen_tmpdir_free (tmpdir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/multipaxos-e2e/quickstart/complete", test_clean);
  g_test_add_func ("/multipaxos-e2e/quickstart/leader-crash", test_leader_crash);
  g_test_add_func ("/multipaxos-e2e/quickstart/majority-down", test_majority_down);
  return g_test_run ();
}
