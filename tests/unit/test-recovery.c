/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hand-computed crash-and-recover scenarios with the shipped auction and a test bidder. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/dmas.h>
#include "agents/sim.h"
#include "metrics/metrics.h"
#include "plugin/registry.h"

/* ---- a bidder with a fixed preference: free clusters first, then the higher id ----------
 *   score = 1 + 0.1 (id + 1) when a node is free, 0.1 (id + 1) when the cluster is busy. */

static void *
pref_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx, (void) err;
  return g_new0 (int, 1);
}

static int
pref_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *c, DmasBid *out,
          DmasError *err)
{
  (void) self, (void) ctx, (void) err, (void) job;
  out->score = (c->free_nodes > 0 ? 1.0 : 0.0) + 0.1 * (c->agent + 1);
  return DMAS_OK;
}

static const DmasBiddingOps pref_ops = {
  .struct_size = sizeof (DmasBiddingOps), .create = pref_create, .destroy = g_free,
  .bid = pref_bid,
};

static const DmasComponentInfo pref_info = {
  .kind = DMAS_KIND_BIDDING, .name = "pref", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 1, .ops = &pref_ops,
};

/* ---- runs ---- */

/* Three agents a0 a1 a2 of one node each, `jobs` jobs of 100 s over a 10 s span (one job:
 * at 0 s, home a0; two: at 0 s and 5 s, homes a0 and a1), auction with a 100 ms deadline,
 * heartbeats every 5 s, suspicion after 15 s; `extra` (YAML, nullable) is appended, by default
 * 1 ms links.  With `jobs` 0, `extra` gives the horizon, platform and workload as well. */
static DmasConfig *
config_new (guint jobs, const gchar *extra)
{
  g_autofree gchar *world = NULL;
  if (jobs > 0)
    world = g_strdup_printf ("horizon: 10s\n"
                             "platform:\n"
                             "  clusters: [{name: a0}, {name: a1}, {name: a2}]\n"
                             "workload:\n"
                             "  generator: constant\n"
                             "  jobs: %u\n"
                             "  runtime: {dist: constant, value: 100s}\n"
                             "  cores: {dist: constant, value: 1}\n"
                             "  memory_gb: {dist: constant, value: 1}\n"
                             "  gpus: {fraction: 0, dist: constant, value: 1}\n",
                             jobs);
  g_autofree gchar *text = g_strconcat (world != NULL ? world : "",
                                        "heartbeat: {period: 5s, timeout: 15s}\n"
                                        "params: {auction: {deadline: 100ms}}\n",
                                        extra != NULL ? extra : "network: {latency: 1ms}\n",
                                        NULL);
  g_autoptr (GError) error = NULL;
  DmasConfig *config = dmas_config_load_string (text, "test.yaml", "/", NULL, &error);
  g_assert_no_error (error);
  return config;
}

typedef struct {
  DmasRegistry *registry;
  DmasConfig *config;
  DmasSim *sim;
} Run;

static void
run_init (Run *run, guint jobs, const gchar *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_build_filename (DMAS_ABS_BUILDDIR, "plugins", "consensus", ".libs",
                                            NULL);
  const gchar *const dirs[] = { dir, NULL };
  run->registry = dmas_registry_new ();
  g_assert_cmpuint (dmas_registry_scan (run->registry, dirs, NULL), >=, 1);
  run->config = config_new (jobs, extra);
  DmasNode *auction_params = NULL;
  const DmasComponentInfo *auction
      = dmas_registry_resolve (run->registry, run->config, DMAS_KIND_CONSENSUS, "auction",
                               &auction_params, &error);
  g_assert_no_error (error);
  run->sim = dmas_sim_new_with_components (run->config, &pref_info,
                                           dmas_node_new_map ("test", "/", 1, 1), auction,
                                           auction_params, &error);
  g_assert_no_error (error);
}

static void
run_clear (Run *run)
{
  dmas_sim_free (run->sim);
  dmas_config_free (run->config);
  dmas_registry_free (run->registry);
}

static const DmasMetrics *
run_complete (Run *run, DmasMetricsSummary *s)
{
  g_autofree gchar *diagnosis = NULL;
  DmasRunStatus status = dmas_sim_run (run->sim, 0.0, FALSE, &diagnosis);
  if (diagnosis != NULL)
    g_test_message ("%s", diagnosis);
  g_assert_cmpint (status, ==, DMAS_RUN_COMPLETE);
  g_assert_null (diagnosis);
  const DmasMetrics *m = dmas_sim_metrics (run->sim);
  dmas_metrics_summarize (m, s);
  return m;
}

/* Seconds with up to 3 decimals, as whole milliseconds (rounded: 40.001 * 1000 is not exact). */
#define S(x) ((DmasTime) ((x) * 1000 + 0.5) * DMAS_MS)
#define EPS 1e-9

/* The hand case (L = 1 ms, deadline D = 100 ms, period 5 s, timeout 15 s).
 * Job 1, submitted at 0: the client's message reaches a0 at 1 ms; a1 and a2 learn at 2 ms,
 * their bids (1.2, 1.3; a0's own 1.1) are at a0 at 3 ms, a0 awards a2, which starts the job
 * at 4 ms.
 * a2 crashes at 30 s: the job is lost at 30 s.  Its last heartbeat left at 25 s (the crash is
 * a fault event: before the 30 s heartbeat) and reached a0 and a1 at 25.001 s, so both
 * suspect a2 at t_detect = 25.001 + 15 = 40.001 s.  a0, suspecting no lower id, is the
 * coordinator: it re-announces the job (slot (1, 1), home a0) and bids 1.1 at once; the
 * announcement reaches a1 at 40.002 s, a1's bid (1.2) is back at 40.003 s; a2 never answers,
 * so a0 awards at its deadline, 40.001 + 0.100 = 40.101 s, to a1, which hears it and starts
 * the job at 40.102 s = t_detect + D + L.  mttr = 40.102 - 30 = 10.102 s.
 * The job ends at 140.102 s; a1's FINISH reaches a0 at 140.103 s, the end of the run. */
static void
test_crash_no_restart (void)
{
  Run run;
  run_init (&run, 1, NULL);
  dmas_sim_schedule_crash (run.sim, 2, S (30), DMAS_TIME_NONE);
  DmasMetricsSummary s;
  const DmasMetrics *m = run_complete (&run, &s);

  const DmasJobRecord *job = &m->jobs[0];
  g_assert_cmpint (job->state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpuint (job->agent, ==, 1);
  g_assert_cmpuint (job->start, ==, S (40.102));
  g_assert_cmpuint (job->end, ==, S (140.102));
  g_assert_cmpuint (job->starts, ==, 2); /* 4 ms at a2 (lost), 40.102 s at a1: never twice */
  g_assert_cmpuint (m->run_end, ==, S (140.103));

  g_assert_cmpuint (m->duplicate_executions, ==, 0);
  g_assert_cmpuint (m->safety_violations, ==, 0);
  g_assert_cmpuint (s.jobs_completed, ==, 1);
  g_assert_cmpuint (s.jobs_lost, ==, 0);
  g_assert_cmpuint (s.jobs_recovered, ==, 1);
  g_assert_cmpuint (s.recoveries, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.mttr_s, 10.102, EPS);
  g_assert_cmpuint (s.decisions, ==, 2);
  /* Slot (1, 0): 2 bids, 2 awards; slot (1, 1): 1 bid, 2 awards. */
  g_assert_cmpuint (m->traffic[DMAS_KIND_CONSENSUS].messages, ==, 7);
  g_assert_cmpfloat_with_epsilon (s.msgs_per_decision, 3.5, EPS);
  /* The client's submission and its acknowledgement; announcement, re-announcement and
   * FINISH, 2 each; heartbeats apart. */
  g_assert_cmpuint (s.sched_msgs, ==, 2 + 6);
  /* a0, a1: 29 rounds (0 .. 140 s) of 2; a2: 6 rounds (0 .. 25 s) of 2. */
  g_assert_cmpuint (s.heartbeat_msgs, ==, 128);
  /* At a2 after 30 s: 23 heartbeat rounds of 2, the re-announcement, the award, the FINISH. */
  g_assert_cmpuint (s.msgs_dropped_down, ==, 49);

  g_assert_cmpuint (s.agent_failures, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.agent_downtime_mean_s, 140.103 - 30.0, EPS);
  g_assert_cmpfloat (s.availability, ==, 1.0);
  g_assert_cmpfloat (s.service_outage_mean_s, ==, 0.0);
  g_assert_cmpuint (s.scheduler_failures, ==, 0);
  /* 50 x 1 + 0.2 x (100 - 2 x 1) + 0.3 x (100 - 0) */
  g_assert_cmpfloat_with_epsilon (s.fault_tolerance_score, 99.6, EPS);
  run_clear (&run);
}

/* a2 crashes at 30 s and is back at 35 s, before anyone suspects it.  It heartbeats at once
 * with incarnation 1; a0 hears it at 35.001 s, knows a2 lost its queue, and, coordinator,
 * re-announces the job.  This time every agent bids: a1 (1.2) and the restarted, empty a2
 * (1.3) answer at 35.003 s, completing the auction: a2 wins again and restarts the job at
 * 35.004 s.  mttr 5.004 s, no duplicate, nobody suspected. */
static void
test_restart_before_timeout (void)
{
  Run run;
  run_init (&run, 1, NULL);
  dmas_sim_schedule_crash (run.sim, 2, S (30), S (5));
  DmasMetricsSummary s;
  const DmasMetrics *m = run_complete (&run, &s);

  g_assert_cmpuint (m->jobs[0].agent, ==, 2);
  g_assert_cmpuint (m->jobs[0].start, ==, S (35.004));
  g_assert_cmpuint (m->jobs[0].end, ==, S (135.004));
  g_assert_cmpuint (m->run_end, ==, S (135.005));
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
  g_assert_cmpuint (s.recoveries, ==, 1);
  g_assert_cmpuint (s.jobs_recovered, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.mttr_s, 5.004, EPS);
  g_assert_cmpfloat_with_epsilon (s.agent_downtime_mean_s, 5.0, EPS);
  g_assert_cmpuint (s.jobs_completed, ==, 1);
  run_clear (&run);
}

/* a2 crashes at 30 s and comes back at 60 s: the job moved to a1 at 40.102 s as in the hand
 * case; a2's return (heard at 60.001 s, incarnation 1) recovers nothing more, since a1 holds
 * the job.  Heartbeats: a2 sent 6 rounds before the crash and 17 from 60 s to 140 s. */
static void
test_restart_after_timeout (void)
{
  Run run;
  run_init (&run, 1, NULL);
  dmas_sim_schedule_crash (run.sim, 2, S (30), S (30));
  DmasMetricsSummary s;
  const DmasMetrics *m = run_complete (&run, &s);

  g_assert_cmpuint (m->jobs[0].agent, ==, 1);
  g_assert_cmpuint (m->jobs[0].start, ==, S (40.102));
  g_assert_cmpuint (m->jobs[0].starts, ==, 2);
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
  g_assert_cmpuint (s.recoveries, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.mttr_s, 10.102, EPS);
  g_assert_cmpfloat_with_epsilon (s.agent_downtime_mean_s, 30.0, EPS);
  g_assert_cmpuint (s.heartbeat_msgs, ==, 116 + 2 * (6 + 17));
  run_clear (&run);
}

/* The job is lost twice.  As in the hand case it moves to a1 at 40.102 s (epoch 1); a1
 * crashes at 50 s, its last heartbeat having reached a0 at 45.001 s: a0 suspects it at
 * 60.001 s and re-announces the job in epoch 2, for the new loss only (the loss of 30 s is
 * settled).  Nobody else is up to bid, so a0 awards itself at its deadline and starts the job
 * at 60.101 s.  mttr = mean(10.102, 10.101). */
static void
test_second_loss (void)
{
  Run run;
  run_init (&run, 1, NULL);
  dmas_sim_schedule_crash (run.sim, 2, S (30), DMAS_TIME_NONE);
  dmas_sim_schedule_crash (run.sim, 1, S (50), DMAS_TIME_NONE);
  DmasMetricsSummary s;
  const DmasMetrics *m = run_complete (&run, &s);

  g_assert_cmpuint (m->jobs[0].agent, ==, 0);
  g_assert_cmpuint (m->jobs[0].start, ==, S (60.101));
  g_assert_cmpuint (m->jobs[0].starts, ==, 3);
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
  g_assert_cmpuint (s.recoveries, ==, 2);
  g_assert_cmpuint (s.jobs_recovered, ==, 2);
  g_assert_cmpfloat_with_epsilon (s.mttr_s, (10.102 + 10.101) / 2.0, EPS);
  g_assert_cmpuint (s.decisions, ==, 3);
  run_clear (&run);
}

/* The coordinator goes down with the job's agent: a0 and a2 crash at 30 s.  a1 suspects both
 * at 40.001 s; suspecting every lower id, it is now the coordinator, re-announces the job
 * (home a1), hears no bid and awards itself at 40.101 s, starting the job at once. */
static void
test_coordinator_down (void)
{
  Run run;
  run_init (&run, 1, NULL);
  dmas_sim_schedule_crash (run.sim, 0, S (30), DMAS_TIME_NONE);
  dmas_sim_schedule_crash (run.sim, 2, S (30), DMAS_TIME_NONE);
  DmasMetricsSummary s;
  const DmasMetrics *m = run_complete (&run, &s);

  g_assert_cmpuint (m->jobs[0].agent, ==, 1);
  g_assert_cmpuint (m->jobs[0].start, ==, S (40.101));
  g_assert_cmpuint (s.recoveries, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.mttr_s, 10.101, EPS);
  g_assert_cmpuint (s.agent_failures, ==, 2);
  g_assert_cmpfloat (s.availability, ==, 1.0);
  run_clear (&run);
}

/* Every agent down at once: the service is out.  The job (at a2 from 4 ms to 100.004 s)
 * has ended before the crashes; a0 and a1 crash at 110 s, a2 at 120 s, so nobody is up from
 * 120 s to a2's restart at 125 s: one outage of 5 s.  The run ends with a0's restart at
 * 150 s; a1, never restarted, counts as down until then. */
static void
test_outage (void)
{
  Run run;
  run_init (&run, 1, NULL);
  dmas_sim_schedule_crash (run.sim, 0, S (110), S (40));        /* down 110 .. 150 s */
  dmas_sim_schedule_crash (run.sim, 1, S (110), DMAS_TIME_NONE); /* down 110 s .. end */
  dmas_sim_schedule_crash (run.sim, 2, S (120), S (5));         /* down 120 .. 125 s */
  DmasMetricsSummary s;
  const DmasMetrics *m = run_complete (&run, &s);
  g_assert_cmpuint (m->run_end, ==, S (150));
  g_assert_cmpuint (s.agent_failures, ==, 3);
  g_assert_cmpuint (s.scheduler_failures, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.service_outage_mean_s, 5.0, EPS);
  g_assert_cmpfloat_with_epsilon (s.availability, 1.0 - 5.0 / 150.0, EPS);
  g_assert_cmpfloat_with_epsilon (s.agent_downtime_mean_s, (40.0 + 40.0 + 5.0) / 3.0, EPS);
  /* 50 x 1 + 0.2 x (100 - 6) + 0.3 x (100 - 10) */
  g_assert_cmpfloat_with_epsilon (s.fault_tolerance_score, 95.8, EPS);
  g_assert_cmpuint (s.jobs_completed, ==, 1);
  run_clear (&run);
}

/* A wrong suspicion: a2 is alive but its link to a0 takes 20 s, so a0 hears nothing from a2
 * until 20 s and suspects it at 0 + 15 = 15 s.
 * Every submission reaches its home 1 ms after the submit time (the client's message).
 * Job 1 (0 s, home a0): a2's bid is 20 s late, a0 awards at its 100 ms deadline (0.101 s) to
 * a1 (1.2 against its own 1.1), which runs it from 0.102 s.
 * Job 2 (5 s, home a1): all bids are at a1 at 5.003 s (a0 1.1, a2 1.3, a1 busy 0.2); a2 wins
 * and starts at 5.004 s.
 * At 15 s a0, coordinator, re-announces job 2 (held by the suspected a2): a1 answers 0.2 at
 * 15.002 s, a2's answer is 20 s away, so a0 awards itself (1.1) at 15.100 s and starts the
 * job: a duplicate execution, counted.  a2's heartbeats reach a0 from 20 s on and the
 * suspicion ends.  a2's run ends first (105.004 s) and is the job's outcome; a0's copy ends at
 * 115.100 s; the last message is a2's FINISH, 20 s late at a0: 125.004 s. */
static void
test_wrong_suspicion_duplicate (void)
{
  Run run;
  run_init (&run, 2,
            "network:\n"
            "  latency: 1ms\n"
            "  links: [{from: a2, to: a0, latency: 20s, symmetric: false}]\n");
  DmasMetricsSummary s;
  const DmasMetrics *m = run_complete (&run, &s);

  g_assert_cmpuint (m->jobs[0].agent, ==, 1);
  g_assert_cmpuint (m->jobs[0].start, ==, S (0.102));
  g_assert_cmpuint (m->jobs[1].agent, ==, 2);
  g_assert_cmpuint (m->jobs[1].start, ==, S (5.004));
  g_assert_cmpuint (m->jobs[1].end, ==, S (105.004));
  g_assert_cmpuint (m->jobs[1].starts, ==, 2);
  g_assert_cmpuint (m->duplicate_executions, ==, 1);
  g_assert_cmpuint (m->safety_violations, ==, 0);
  g_assert_cmpuint (s.recoveries, ==, 1);
  g_assert_cmpuint (s.jobs_recovered, ==, 0); /* nothing was lost */
  g_assert_cmpuint (s.agent_failures, ==, 0);
  g_assert_cmpuint (s.jobs_completed, ==, 2);
  g_assert_cmpfloat (dmas_metrics_get (m, "late_bids"), ==, 2.0);
  g_assert_cmpuint (m->run_end, ==, S (125.004));
  run_clear (&run);
}

/* Random crashes (seeded from the test seed), with a detector that never suspects a live
 * agent wrongly (timeout 15 s > period 5 s + latency): whatever the schedule, the run ends
 * without deadlock, no job runs twice, no slot is decided two ways, every job either completes
 * with its full runtime or is counted lost, and a second run gives the same trace.
 * Schedule: each of 4 agents crashes with probability 3/4 at U(0, 80 s); 1 in 4 never comes
 * back, the others restart after U(1 ms, 40 s) and crash once more 3 s (+ 1 s per id) after
 * that restart, for half as long. */
static void
test_random_crashes (void)
{
  typedef struct {
    DmasTime at, after; /* after: DMAS_TIME_NONE = never restarts */
  } Crash;
  Crash crashes[4][2];
  guint n_crashes[4];
  GRand *rng = g_rand_new_with_seed (g_test_rand_int ());
  for (guint a = 0; a < 4; a++)
    {
      gboolean crashes_at_all = g_rand_int_range (rng, 0, 4) != 0;
      DmasTime at = (DmasTime) g_rand_int_range (rng, 1, 80000) * DMAS_MS;
      DmasTime after = g_rand_int_range (rng, 0, 4) == 0
                           ? DMAS_TIME_NONE
                           : (DmasTime) g_rand_int_range (rng, 1, 40000) * DMAS_MS;
      n_crashes[a] = 0;
      if (!crashes_at_all)
        continue;
      crashes[a][n_crashes[a]++] = (Crash){ at, after };
      if (after != DMAS_TIME_NONE)
        crashes[a][n_crashes[a]++] = (Crash){ at + after + (3 + a) * DMAS_S, after / 2 + 1 };
      for (guint k = 0; k < n_crashes[a]; k++)
        g_test_message ("agent %u crashes at %.3f s, restarts after %.6f s (-1: never)", a,
                        (gdouble) crashes[a][k].at / DMAS_S,
                        crashes[a][k].after == DMAS_TIME_NONE
                            ? -1.0 : (gdouble) crashes[a][k].after / DMAS_S);
    }
  g_rand_free (rng);

  gchar *digest[2] = { NULL, NULL };
  for (guint round = 0; round < 2; round++)
    {
      Run run;
      run_init (&run, 0,
                "network: {latency: 1ms}\n"
                "platform:\n"
                "  clusters: [{name: a0}, {name: a1}, {name: a2}, {name: a3}]\n"
                "workload:\n"
                "  generator: constant\n"
                "  jobs: 30\n"
                "  span: 60s\n"
                "  runtime: {dist: constant, value: 20s}\n"
                "  cores: {dist: constant, value: 1}\n"
                "  memory_gb: {dist: constant, value: 1}\n"
                "  gpus: {fraction: 0, dist: constant, value: 1}\n"
                "horizon: 60s\n");
      for (guint a = 0; a < 4; a++)
        for (guint k = 0; k < n_crashes[a]; k++)
          dmas_sim_schedule_crash (run.sim, a, crashes[a][k].at, crashes[a][k].after);
      DmasMetricsSummary s;
      const DmasMetrics *m = run_complete (&run, &s);
      g_assert_cmpuint (m->duplicate_executions, ==, 0);
      g_assert_cmpuint (m->safety_violations, ==, 0);
      g_assert_cmpuint (s.jobs_submitted, ==, 30);
      g_assert_cmpuint (s.jobs_completed + s.jobs_lost, ==, 30);
      for (guint i = 0; i < m->n_jobs; i++)
        if (m->jobs[i].state == DMAS_JOB_COMPLETED)
          g_assert_cmpuint (m->jobs[i].end - m->jobs[i].start, ==, 20 * DMAS_S);
      g_assert_cmpuint (s.jobs_recovered, ==, m->recovery_times->len);
      if (round == 0)
        g_test_message ("%" G_GUINT64_FORMAT " completed, %" G_GUINT64_FORMAT " lost, %"
                        G_GUINT64_FORMAT " recovered", s.jobs_completed, s.jobs_lost,
                        s.jobs_recovered);
      digest[round] = dmas_engine_digest (dmas_sim_engine (run.sim));
      run_clear (&run);
    }
  g_assert_cmpstr (digest[0], ==, digest[1]);
  g_free (digest[0]);
  g_free (digest[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/recovery/auction/crash-no-restart", test_crash_no_restart);
  g_test_add_func ("/recovery/auction/restart-before-timeout", test_restart_before_timeout);
  g_test_add_func ("/recovery/auction/restart-after-timeout", test_restart_after_timeout);
  g_test_add_func ("/recovery/auction/second-loss", test_second_loss);
  g_test_add_func ("/recovery/auction/coordinator-down", test_coordinator_down);
  g_test_add_func ("/recovery/auction/outage", test_outage);
  g_test_add_func ("/recovery/auction/wrong-suspicion-duplicate",
                   test_wrong_suspicion_duplicate);
  g_test_add_func ("/recovery/auction/random-crashes", test_random_crashes);
  return g_test_run ();
}
