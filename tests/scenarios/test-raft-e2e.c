/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configs/single.yaml through the real `dmas run` with consensus/raft. */
#include "config.h"

#include <glib.h>

#include "scenario.h"

#define PREFIX "dmas-raft-e2e"
/* With seed 42 agent 1 wins the first election (the test checks it: a second one follows). */
#define CRASH_LEADER "faults=[{type: crash, agents: \"1\", at: 60s, restart_after: 30s}]"
#define CRASH_AGENT0 "faults=[{type: crash, agents: \"0\", at: 60s, restart_after: 30s}]"
#define CRASH_MAJORITY "faults=[{type: crash, agents: \"0,1,2\", at: 60s, restart_after: 30s}]"

/* The quickstart with raft (and `faults`, nullable), checked by scen_run_consensus. */
static gchar *
run (const gchar *faults, gchar **out)
{
  const gchar *sets[] = { faults, NULL };
  return scen_run_consensus (PREFIX, "raft", sets, out);
}

/* No faults: one election, one entry per job, and exactly the cost raft.c's header states with
 * n = 5: 3(n-1) per entry, 2(n-1) per heartbeat round and per election attempt.  Jobs arrive
 * far apart, so each costs one heartbeat round (the one that carries its commit). */
static void
test_clean (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (NULL, &out);
  gint64 jobs = scen_summary_int (out, "jobs_submitted");
  gdouble rounds = scen_plugin_metric (out, "rounds");
  gdouble heartbeats = scen_plugin_metric (out, "heartbeats");
  gdouble terms = scen_plugin_metric (out, "terms");
  g_assert_cmpfloat (scen_plugin_metric (out, "elections"), ==, 1.0);
  g_assert_cmpfloat (terms, ==, 1.0);
  g_assert_cmpfloat (rounds, ==, (gdouble) jobs);
  g_assert_cmpfloat (heartbeats, ==, (gdouble) jobs + 1);
  g_assert_cmpfloat (scen_summary_double (out, "consensus_msgs"), ==,
                     4.0 * (3 * rounds + 2 * heartbeats + 2 * terms));
  scen_tmpdir_free (tmpdir);
}

/* The leader down from 60 s to 90 s: a new election, and every job still completes. */
static void
test_leader_crash (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (CRASH_LEADER, &out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 1);
  g_assert_cmpfloat (scen_plugin_metric (out, "elections"), ==, 2.0);
  scen_tmpdir_free (tmpdir);
}

/* A follower down from 60 s to 90 s: no election needed. */
static void
test_follower_crash (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (CRASH_AGENT0, &out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 1);
  g_assert_cmpfloat (scen_plugin_metric (out, "elections"), ==, 1.0);
  scen_tmpdir_free (tmpdir);
}

/* Three of five down for 30 s: candidates fail meanwhile (terms without a leader), progress
 * after the restart. */
static void
test_majority_down (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (CRASH_MAJORITY, &out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 3);
  g_assert_cmpfloat (scen_plugin_metric (out, "terms"), >, scen_plugin_metric (out, "elections"));
  scen_tmpdir_free (tmpdir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/raft-e2e/quickstart/complete", test_clean);
  g_test_add_func ("/raft-e2e/quickstart/leader-crash", test_leader_crash);
  g_test_add_func ("/raft-e2e/quickstart/follower-crash", test_follower_crash);
  g_test_add_func ("/raft-e2e/quickstart/majority-down", test_majority_down);
  return g_test_run ();
}
