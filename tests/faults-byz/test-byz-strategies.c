/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each Byzantine strategy's exact effect on byz4.yaml, the fault log, determinism. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "agents/faults.h"
#include "agents/sim-private.h"
#include "byz-run.h"

/* The probe (byz-probe.c) broadcasts one signed bid per agent and slot and counts what
 * arrives per sender; raft stands in for a protocol that agrees, where inflate and hijack
 * must win every job.  Agent 0's cluster fits every job of byz4.yaml; agent 3's has 1 node. */

static const ByzEnv *env;

static void
run_with (const gchar *consensus, const gchar *faults, guint64 seed, ByzRun *run)
{
  g_autofree gchar *set = faults != NULL ? g_strdup_printf ("faults=%s", faults) : NULL;
  const gchar *sets[] = { set, NULL };
  byz_run (env, "byz4.yaml", consensus, seed, sets, run);
}

static gdouble
from (const ByzRun *run, DmasAgentId src)
{
  g_autofree gchar *name = g_strdup_printf ("probe_from_%u", src);
  return byz_plugin_metric (run, name);
}

static void
test_silent (void)
{
  ByzRun base, run;
  run_with ("byz-probe", NULL, 7, &base);
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: silent}]", 7, &run);
  g_assert_cmpfloat (from (&base, 0), >, 0.0);
  g_assert_cmpfloat (from (&run, 0), ==, 0.0);
  for (DmasAgentId a = 1; a < 4; a++)
    g_assert_cmpfloat (from (&run, a), ==, from (&base, a));
  g_assert_cmpuint (dmas_sim_metrics (run.sim)->byzantine_agents, ==, 1);
  /* Every message it would have sent, to each of the other three. */
  g_assert_cmpfloat (byz_plugin_metric (&run, "byzantine_msgs_omitted"), ==, from (&base, 0));
  byz_run_clear (&base);
  byz_run_clear (&run);
}

static void
test_omit (void)
{
  ByzRun base, all, none, half;
  run_with ("byz-probe", NULL, 8, &base);
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: omit, fraction: 1}]", 8, &all);
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: omit, fraction: 0}]", 8,
            &none);
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: omit, fraction: 0.5}]", 8,
            &half);
  /* 1.0 is silent, 0.0 is correct (the same traffic and outcome as no fault at all). */
  g_assert_cmpfloat (from (&all, 0), ==, 0.0);
  g_assert_cmpfloat (byz_plugin_metric (&none, "byzantine_msgs_omitted"), ==, 0.0);
  for (DmasAgentId a = 0; a < 4; a++)
    g_assert_cmpfloat (from (&none, a), ==, from (&base, a));
  DmasMetricsSummary sn, sb;
  byz_summary (&none, &sn);
  byz_summary (&base, &sb);
  g_assert_cmpuint (sn.jobs_completed, ==, sb.jobs_completed);
  g_assert_cmpfloat (from (&half, 0), >, 0.0);
  g_assert_cmpfloat (from (&half, 0), <, from (&base, 0));
  g_assert_cmpfloat (from (&half, 0) + byz_plugin_metric (&half, "byzantine_msgs_omitted"), ==,
                     from (&base, 0));
  byz_run_clear (&base);
  byz_run_clear (&all);
  byz_run_clear (&none);
  byz_run_clear (&half);
}

static void
test_inflate (void)
{
  ByzRun run;
  run_with ("raft", "[{type: byzantine, agents: '0', strategy: inflate}]", 9, &run);
  const DmasMetrics *m = dmas_sim_metrics (run.sim);
  DmasMetricsSummary sum;
  byz_summary (&run, &sum);
  g_assert_cmpint (run.status, ==, DMAS_RUN_COMPLETE);
  /* Its cluster fits every job: it wins and runs all twenty. */
  g_assert_cmpuint (m->jobs_captured_byzantine, ==, 20);
  g_assert_cmpuint (sum.jobs_completed, ==, 20);
  g_assert_cmpuint (m->jobs_completed_byzantine, ==, 20);
  g_assert_cmpuint (sum.jobs_lost, ==, 0);
  g_assert_cmpuint (m->safety_violations, ==, 0);
  g_assert_cmpuint (m->validity_violations, ==, 0);
  byz_run_clear (&run);
}

static void
test_inflate_cannot_fit (void)
{
  ByzRun run;
  run_with ("raft", "[{type: byzantine, agents: '3', strategy: inflate}]", 10, &run);
  const DmasMetrics *m = dmas_sim_metrics (run.sim);
  DmasMetricsSummary sum;
  byz_summary (&run, &sum);
  const DmasWorkload *w = dmas_sim_workload (run.sim);
  const DmasCluster *d = dmas_platform_cluster (run.sim->platform, 3);
  guint unfit = 0;
  for (guint i = 0; i < w->n_jobs; i++)
    unfit += !dmas_cluster_fits (d, &w->jobs[i]);
  g_assert_cmpint (run.status, ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (unfit, >, 0);
  /* It wins what its single node fits.  Its claims on the rest are impossible (the platform
   * is public: api->bid_plausible), so the protocol refuses them -- counted, and the liar
   * accused -- and correct agents win and run those: nothing is lost. */
  g_assert_cmpuint (m->jobs_captured_byzantine, ==, 20 - unfit);
  g_assert_cmpuint (sum.jobs_lost, ==, 0);
  g_assert_cmpuint (sum.jobs_completed, ==, 20);
  g_assert_cmpuint (m->jobs_completed_byzantine, ==, 20 - unfit);
  g_assert_cmpfloat (byz_plugin_metric (&run, "implausible_bids"), >=, (gdouble) unfit);
  byz_run_clear (&run);
}

static void
test_hijack (void)
{
  ByzRun run;
  run_with ("raft", "[{type: byzantine, agents: '0', strategy: hijack}]", 11, &run);
  const DmasMetrics *m = dmas_sim_metrics (run.sim);
  DmasMetricsSummary sum;
  byz_summary (&run, &sum);
  /* Captured, never run, never recovered (it keeps heartbeating): lost, and the run ends. */
  g_assert_cmpint (run.status, ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (m->jobs_captured_byzantine, ==, 20);
  g_assert_cmpuint (m->jobs_completed_byzantine, ==, 0);
  g_assert_cmpuint (sum.jobs_completed, ==, 0);
  g_assert_cmpuint (sum.jobs_lost, ==, 20);
  g_assert_cmpuint (sum.agent_failures, ==, 0);
  byz_run_clear (&run);
}

static void
test_replay (void)
{
  ByzRun none, all;
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: replay, fraction: 0}]", 12,
            &none);
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: replay, fraction: 1}]", 12,
            &all);
  g_assert_cmpfloat (byz_plugin_metric (&none, "probe_duplicates"), ==, 0.0);
  g_assert_cmpfloat (byz_plugin_metric (&none, "byzantine_msgs_replayed"), ==, 0.0);
  /* Every message sent once more, later (links are FIFO: after the original), and each copy
   * seen by its receiver as a duplicate. */
  const gdouble replayed = byz_plugin_metric (&all, "byzantine_msgs_replayed");
  g_assert_cmpfloat (replayed, ==, from (&none, 0));
  g_assert_cmpfloat (byz_plugin_metric (&all, "probe_duplicates"), ==, replayed);
  g_assert_cmpfloat (from (&all, 0), ==, 2 * from (&none, 0));
  byz_run_clear (&none);
  byz_run_clear (&all);
}

static void
test_signatures (void)
{
  ByzRun run;
  run_with ("byz-probe", "[{type: byzantine, agents: '0,1', strategy: inflate}]", 13, &run);
  /* Each agent offered its own signature as the next agent's at every proposal: refused. */
  g_assert_cmpfloat (byz_plugin_metric (&run, "probe_forged"), ==, 0.0);
  g_assert_cmpfloat (byz_plugin_metric (&run, "probe_bad_sig"), ==, 0.0);
  g_assert_cmpfloat (byz_plugin_metric (&run, "probe_verified"), >, 0.0);
  byz_run_clear (&run);
}

static void
test_accuse (void)
{
  ByzRun run;
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: inflate}]", 14, &run);
  const DmasMetrics *m = dmas_sim_metrics (run.sim);
  /* The probe accuses whoever bids 1.0: agents 1, 2 and 3 accuse agent 0, once each. */
  g_assert_cmpuint (m->byzantine_detected, ==, 3);
  g_assert_cmpuint (m->byzantine_false_accusations, ==, 0);
  byz_run_clear (&run);
}

static void
test_log (void)
{
  ByzRun run;
  run_with ("pbft", "[{type: byzantine, agents: '0,1', strategy: equivocate, at: 5s, for: 20s}]",
            15, &run);
  g_autofree gchar *jsonl = dmas_faults_to_jsonl (dmas_sim_faults (run.sim));
  g_auto (GStrv) lines = g_strsplit (jsonl, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* four events and the empty tail */
  /* Agent 0's twin B talks to agent 3; its fellow equivocator 1 and agent 2 to twin A. */
  g_assert_cmpstr (lines[0], ==, "{\"t\":5,\"fault\":\"byzantine\",\"agent\":0,"
                   "\"strategy\":\"equivocate\",\"split\":[[1,2],[3]],\"source\":\"byzantine#0\","
                   "\"agents\":\"0,1\",\"fraction\":0.5,\"at\":\"5s\",\"for\":\"20s\"}");
  g_assert_true (g_str_has_prefix (lines[1], "{\"t\":5,\"fault\":\"byzantine\",\"agent\":1,"
                                   "\"strategy\":\"equivocate\",\"split\":[[0,2],[3]]"));
  g_assert_true (g_str_has_prefix (lines[2], "{\"t\":25,\"fault\":\"byzantine_end\",\"agent\":0,"
                                   "\"strategy\":\"equivocate\""));
  g_assert_true (g_str_has_prefix (lines[3], "{\"t\":25,\"fault\":\"byzantine_end\",\"agent\":1"));
  g_assert_cmpuint (dmas_sim_metrics (run.sim)->byzantine_agents, ==, 2);
  g_assert_cmpuint (dmas_sim_metrics (run.sim)->faults_injected, ==, 2);
  byz_run_clear (&run);
}

static void
test_window (void)
{
  ByzRun base, run;
  run_with ("byz-probe", NULL, 16, &base);
  run_with ("byz-probe", "[{type: byzantine, agents: '0', strategy: silent, for: 15s}]", 16, &run);
  /* Silent for the first 15 s only, then correct again. */
  g_assert_cmpfloat (from (&run, 0), >, 0.0);
  g_assert_cmpfloat (from (&run, 0), <, from (&base, 0));
  byz_run_clear (&base);
  byz_run_clear (&run);
}

static void
test_deterministic (void)
{
  const gchar *faults = "[{type: byzantine, agents: 'random:2', strategy: equivocate, "
                        "split: random}, {type: byzantine, agents: '3', strategy: replay}]";
  ByzRun a, b;
  run_with ("tendermint", faults, 17, &a);
  run_with ("tendermint", faults, 17, &b);
  g_autofree gchar *ja = dmas_faults_to_jsonl (dmas_sim_faults (a.sim));
  g_autofree gchar *jb = dmas_faults_to_jsonl (dmas_sim_faults (b.sim));
  g_autofree gchar *da = dmas_engine_digest (dmas_sim_engine (a.sim));
  g_autofree gchar *db = dmas_engine_digest (dmas_sim_engine (b.sim));
  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpstr (da, ==, db);
  g_assert_cmpuint (dmas_sim_metrics (a.sim)->safety_violations, ==,
                    dmas_sim_metrics (b.sim)->safety_violations);
  byz_run_clear (&a);
  byz_run_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ByzEnv *e = byz_env_new ();
  env = e;
  g_test_add_func ("/byzantine/silent/sends-nothing", test_silent);
  g_test_add_func ("/byzantine/omit/fractions", test_omit);
  g_test_add_func ("/byzantine/inflate/wins-every-job", test_inflate);
  g_test_add_func ("/byzantine/inflate/cannot-fit-is-refused", test_inflate_cannot_fit);
  g_test_add_func ("/byzantine/hijack/captured-never-run", test_hijack);
  g_test_add_func ("/byzantine/replay/duplicates", test_replay);
  g_test_add_func ("/byzantine/signatures/no-forgery", test_signatures);
  g_test_add_func ("/byzantine/accuse/once-per-pair", test_accuse);
  g_test_add_func ("/byzantine/log/onset-end-split", test_log);
  g_test_add_func ("/byzantine/window/correct-again", test_window);
  g_test_add_func ("/byzantine/deterministic", test_deterministic);
  int status = g_test_run ();
  byz_env_free (e);
  return status;
}
