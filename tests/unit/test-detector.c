/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of crash semantics and the failure detector, with components compiled in. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/dmas.h>
#include "agents/sim.h"
#include "metrics/metrics.h"

/* What the components saw; a test-file static because create() only gets a ctx. */
typedef struct {
  DmasTime t;
  DmasAgentId agent, peer;
  int suspected;
} StatusCall;

typedef struct {
  GArray *status;          /* StatusCall, in call order */
  guint creates[4], destroys[4];
  guint fired[4], freed[4]; /* the instances' long timers, per agent */
  DmasTime timer;           /* delay of each instance's timer; 0: none */
  gboolean mute;            /* never decide */
} Seen;
static Seen seen;

static void
seen_reset (DmasTime timer, gboolean mute)
{
  if (seen.status != NULL)
    g_array_unref (seen.status);
  memset (&seen, 0, sizeof seen);
  seen.status = g_array_new (FALSE, FALSE, sizeof (StatusCall));
  seen.timer = timer;
  seen.mute = mute;
}

/* ---- a bidder: 1 when the job fits ---- */

static void *
one_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx, (void) err;
  return g_new0 (int, 1);
}

static int
one_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *c, DmasBid *out,
         DmasError *err)
{
  (void) self, (void) ctx, (void) err;
  out->score = job->nodes <= c->nodes && job->cores <= c->cores_per_node ? 1.0 : 0.0;
  return DMAS_OK;
}

static const DmasBiddingOps one_ops = {
  .struct_size = sizeof (DmasBiddingOps), .create = one_create, .destroy = g_free,
  .bid = one_bid,
};

static const DmasComponentInfo one_info = {
  .kind = DMAS_KIND_BIDDING, .name = "one", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 1, .ops = &one_ops,
};

/* ---- a consensus: the slot's home decides for itself at once, nobody else decides ---- */

typedef struct {
  DmasAgentId self;
} Local;

static void
local_fire (DmasCtx *ctx, void *data)
{
  (void) data;
  seen.fired[dmas_self (ctx)]++;
}

static void
local_free (void *data)
{
  seen.freed[GPOINTER_TO_UINT (data)]++;
}

static void *
local_create (DmasCtx *ctx, DmasError *err)
{
  (void) err;
  Local *self = g_new0 (Local, 1);
  self->self = dmas_self (ctx);
  seen.creates[self->self]++;
  if (seen.timer > 0)
    ctx->api->timer_add (ctx, seen.timer, local_fire, GUINT_TO_POINTER (self->self), local_free);
  return self;
}

static void
local_destroy (void *self_)
{
  Local *self = self_;
  seen.destroys[self->self]++;
  g_free (self);
}

static int
local_propose (void *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  (void) self;
  if (slot->home != dmas_self (ctx) || seen.mute)
    return DMAS_OK;
  return ctx->api->decide (ctx, slot, bid);
}

static int
local_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                  size_t len)
{
  (void) self, (void) ctx, (void) src, (void) type, (void) body, (void) len;
  return DMAS_OK;
}

static void
local_agent_status (void *self, DmasCtx *ctx, DmasAgentId agent, int suspected)
{
  (void) self;
  const StatusCall call = { dmas_now (ctx), dmas_self (ctx), agent, suspected };
  g_array_append_val (seen.status, call);
}

static const DmasConsensusOps local_ops = {
  .struct_size = sizeof (DmasConsensusOps), .create = local_create, .destroy = local_destroy,
  .propose = local_propose, .on_message = local_on_message,
  .agent_status = local_agent_status,
};

static const DmasComponentInfo local_info = {
  .kind = DMAS_KIND_CONSENSUS, .name = "local", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 0, .ops = &local_ops,
};

/* ---- runs ---- */

/* Three agents of one 8-core node, one job of `runtime` at time 0 (home agent 0), 1 ms
 * links.  Timeouts below 1 ms are written in ns ("4999999999ns"). */
static DmasConfig *
config_new (const gchar *runtime, const gchar *period, const gchar *timeout)
{
  g_autofree gchar *text = g_strdup_printf (
      "horizon: 10s\n"
      "platform:\n"
      "  clusters: [{name: a0}, {name: a1}, {name: a2}]\n"
      "workload:\n"
      "  generator: constant\n"
      "  jobs: 1\n"
      "  runtime: {dist: constant, value: %s}\n"
      "  cores: {dist: constant, value: 1}\n"
      "  memory_gb: {dist: constant, value: 1}\n"
      "  gpus: {fraction: 0, dist: constant, value: 1}\n"
      "network: {latency: 1ms}\n"
      "heartbeat: {period: %s, timeout: %s}\n",
      runtime, period, timeout);
  g_autoptr (GError) error = NULL;
  DmasConfig *config = dmas_config_load_string (text, "test.yaml", "/", NULL, &error);
  g_assert_no_error (error);
  return config;
}

static DmasSim *
sim_new (const DmasConfig *config)
{
  g_autoptr (GError) error = NULL;
  DmasNode *none = dmas_node_new_map ("test", "/", 1, 1);
  DmasNode *none2 = dmas_node_new_map ("test", "/", 1, 1);
  DmasSim *sim = dmas_sim_new_with_components (config, &one_info, none, &local_info, none2,
                                               &error);
  g_assert_no_error (error);
  return sim;
}

static gboolean
status_called (DmasTime t, DmasAgentId agent, DmasAgentId peer, int suspected)
{
  for (guint i = 0; i < seen.status->len; i++)
    {
      const StatusCall *c = &g_array_index (seen.status, StatusCall, i);
      if (c->t == t && c->agent == agent && c->peer == peer && c->suspected == suspected)
        return TRUE;
    }
  return FALSE;
}

/* Seconds with up to 3 decimals, as whole milliseconds (rounded: 40.001 * 1000 is not exact). */
#define S(x) ((DmasTime) ((x) * 1000 + 0.5) * DMAS_MS)

/* Agent 0 runs the job from 0.001 s (the client's message takes 1 ms) and crashes at 30 s for
 * good.  Its last heartbeat left at
 * 25 s (the crash, a fault event, comes before the 30 s heartbeat) and reached the others at
 * 25.001 s: both suspect it at 25.001 + 15 = 40.001 s.  Agent 1, suspecting every lower id,
 * is the coordinator: it re-announces the job (epoch 1, home 1) and, the home deciding at
 * once with this consensus, starts it at 40.001 s: mttr 10.001 s.  It ends at 140.001 s;
 * its FINISH reaches agent 2 at 140.002 s, the end of the run.
 * Heartbeats: agents 1 and 2 send 2 every 5 s from 0 to 140 s (29 rounds, 116 messages; the
 * detector stops when the job ends at 140.001 s), agent 0 from 0 to 25 s (6 rounds, 12). */
static void
test_suspect_after_timeout (void)
{
  seen_reset (0, FALSE);
  g_autoptr (DmasConfig) config = config_new ("100s", "5s", "15s");
  g_autoptr (DmasSim) sim = sim_new (config);
  dmas_sim_schedule_crash (sim, 0, S (30), DMAS_TIME_NONE);
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);

  g_assert_cmpuint (seen.status->len, ==, 2);
  g_assert_true (status_called (S (40.001), 1, 0, 1));
  g_assert_true (status_called (S (40.001), 2, 0, 1));

  const DmasMetrics *m = dmas_sim_metrics (sim);
  const DmasJobRecord *job = &m->jobs[0];
  g_assert_cmpint (job->state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpuint (job->agent, ==, 1);
  g_assert_cmpuint (job->start, ==, S (40.001));
  g_assert_cmpuint (job->end, ==, S (140.001));
  g_assert_cmpuint (job->starts, ==, 2);
  g_assert_cmpuint (m->run_end, ==, S (140.002));

  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (s.heartbeat_msgs, ==, 128);
  g_assert_cmpuint (s.heartbeat_bytes, ==, 128 * (16 + 24));
  /* The client's submission and its acknowledgement; announcement, re-announcement,
   * completion: 2 messages each.  Heartbeats are not in it. */
  g_assert_cmpuint (s.sched_msgs, ==, 2 + 6);
  g_assert_cmpuint (m->traffic[0].messages, ==, 2 + 6 + 128);
  /* At agent 0 after 30 s: 23 heartbeat rounds of 2, the re-announcement, the FINISH. */
  g_assert_cmpuint (s.msgs_dropped_down, ==, 48);
  g_assert_cmpuint (s.agent_failures, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.agent_downtime_mean_s, 110.002, 1e-9);
  g_assert_cmpuint (s.jobs_recovered, ==, 1);
  g_assert_cmpuint (s.recoveries, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.mttr_s, 10.001, 1e-9);
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
  g_assert_cmpfloat (s.availability, ==, 1.0);
  g_assert_cmpuint (s.scheduler_failures, ==, 0);
  g_assert_cmpuint (s.jobs_lost, ==, 0);
}

/* The same crash, with a restart at 60 s.  The job moved to agent 1 at 40.001 s; agent 0
 * comes back with new instances (create called twice in all, destroy once at the crash) and
 * heartbeats at once: the others stop suspecting it at 60.001 s and nothing is recovered
 * again (agent 1 holds the job). */
static void
test_restart_after_suspicion (void)
{
  seen_reset (500 * DMAS_S, FALSE);
  g_autoptr (DmasConfig) config = config_new ("100s", "5s", "15s");
  DmasSim *sim = sim_new (config);
  dmas_sim_schedule_crash (sim, 0, S (30), S (30));
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);

  g_assert_cmpuint (seen.status->len, ==, 4);
  g_assert_true (status_called (S (60.001), 1, 0, 0));
  g_assert_true (status_called (S (60.001), 2, 0, 0));
  g_assert_cmpuint (seen.creates[0], ==, 2);
  g_assert_cmpuint (seen.destroys[0], ==, 1);
  /* The first instance's timer died with it (free_fn once, never fired); the others' fired
   * at 500 s, the restarted instance's at 560 s. */
  const guint fired[] = { 1, 1, 1 };
  for (guint a = 0; a < 3; a++)
    {
      g_assert_cmpuint (seen.fired[a], ==, fired[a]);
      g_assert_cmpuint (seen.freed[a], ==, a == 0 ? 2 : 1);
    }

  const DmasMetrics *m = dmas_sim_metrics (sim);
  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (m->jobs[0].agent, ==, 1);
  g_assert_cmpuint (m->jobs[0].start, ==, S (40.001));
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
  g_assert_cmpuint (s.recoveries, ==, 1);
  g_assert_cmpfloat (s.agent_downtime_mean_s, ==, 30.0);
  g_assert_cmpuint (m->run_end, ==, S (560));
  dmas_sim_free (sim);
  g_assert_cmpuint (seen.destroys[0], ==, 2);
}

/* A heartbeat arriving at the very instant of the timeout is in time: with period = timeout
 * every heartbeat lands exactly on its deadline and nobody is ever suspected.  One
 * nanosecond less and every agent suspects both peers 1 ns before the 5 s heartbeats arrive
 * (heard at 0.001 s, + 4.999999999 s) and forgives them when they arrive at 5.001 s. */
static void
test_deadline_instant_in_time (void)
{
  seen_reset (0, FALSE);
  g_autoptr (DmasConfig) config = config_new ("7s", "5s", "5s");
  g_autoptr (DmasSim) sim = sim_new (config);
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (seen.status->len, ==, 0);
  g_assert_cmpuint (dmas_sim_metrics (sim)->duplicate_executions, ==, 0);

  seen_reset (0, FALSE);
  g_autoptr (DmasConfig) early = config_new ("7s", "5s", "4999999999ns");
  g_autoptr (DmasSim) sim2 = sim_new (early);
  g_assert_cmpint (dmas_sim_run (sim2, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  for (DmasAgentId a = 0; a < 3; a++)
    for (DmasAgentId p = 0; p < 3; p++)
      if (a != p)
        {
          g_assert_true (status_called (S (5.001) - 1, a, p, 1));
          g_assert_true (status_called (S (5.001), a, p, 0));
        }
}

/* The wrong suspicions above, followed to their end.  The heartbeats of 5 s are in flight
 * when the checks run at 5.000999999 s, in agent order:
 *   agent 0 suspects 1 and 2; it is the coordinator but the job's holder is itself;
 *   agent 1 suspects 0 and 2, is coordinator in its view, and sees the job (never decided
 *   there) held by its home 0: it re-announces it (epoch 1) and, home of that slot, decides
 *   for itself and starts it: a duplicate (agent 0 runs it);
 *   agent 2 does the same before agent 1's message reaches it: another duplicate, and a
 *   safety violation (slot (1, 1) decided for 1 and for 2).
 * Agent 0's run (from 0.001 s) ends first, at 7.001 s: the job's outcome.  The others end
 * 7 s after their start, at 12.000999999 s; their FINISH arrives 1 ms later, the end of the
 * run. */
static void
test_timeout_below_period_duplicates (void)
{
  seen_reset (0, FALSE);
  g_autoptr (DmasConfig) config = config_new ("7s", "5s", "4999999999ns");
  g_autoptr (DmasSim) sim = sim_new (config);
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (m->duplicate_executions, ==, 2);
  g_assert_cmpuint (m->safety_violations, ==, 1);
  g_assert_cmpuint (s.recoveries, ==, 2);
  g_assert_cmpuint (s.jobs_recovered, ==, 0); /* nothing was lost */
  g_assert_cmpuint (s.jobs_completed, ==, 1);
  g_assert_cmpuint (m->jobs[0].agent, ==, 0);
  g_assert_cmpuint (m->jobs[0].end, ==, S (7.001));
  g_assert_cmpuint (m->jobs[0].starts, ==, 3);
  g_assert_cmpuint (m->run_end, ==, S (12.002) - 1);
}

/* Without a detector nobody notices the crash: the job stays lost (not a deadlock), and no
 * heartbeat is sent. */
static void
test_disabled (void)
{
  seen_reset (0, FALSE);
  g_autoptr (DmasConfig) config = config_new ("100s", "5s", "15s");
  config->heartbeat.enabled = FALSE;
  g_autoptr (DmasSim) sim = sim_new (config);
  dmas_sim_schedule_crash (sim, 0, S (30), DMAS_TIME_NONE);
  g_autofree gchar *diagnosis = NULL;
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, &diagnosis), ==, DMAS_RUN_COMPLETE);
  g_assert_null (diagnosis);
  DmasMetricsSummary s;
  dmas_metrics_summarize (dmas_sim_metrics (sim), &s);
  g_assert_cmpuint (s.jobs_lost, ==, 1);
  g_assert_cmpuint (s.heartbeat_msgs, ==, 0);
  g_assert_cmpuint (s.recoveries, ==, 0);
  g_assert_cmpuint (dmas_sim_metrics (sim)->jobs[0].state, ==, DMAS_JOB_SUBMITTED);
  g_assert_cmpuint (dmas_sim_metrics (sim)->run_end, ==, S (30));
}

/* A consensus that never decides: only heartbeats are left after the announcements of
 * 0.002 s.  The detector stops at its first event 2 x (15 + 5) = 40 s after it last saw other
 * activity (the 5 s heartbeat round, its first event after those announcements), that is at
 * the 45 s round, which sends nothing: the run ends at 45 s with the deadlock report. */
static void
test_stall_still_deadlocks (void)
{
  seen_reset (0, TRUE);
  g_autoptr (DmasConfig) config = config_new ("100s", "5s", "15s");
  g_autoptr (DmasSim) sim = sim_new (config);
  g_autofree gchar *diagnosis = NULL;
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, &diagnosis), ==, DMAS_RUN_DEADLOCK);
  g_assert_nonnull (strstr (diagnosis, "job 1 (home agent 0): never decided"));
  g_assert_cmpuint (dmas_sim_metrics (sim)->run_end, ==, S (45));
}

/* Two identical runs give the same trace, crash and recovery included. */
static void
test_deterministic (void)
{
  gchar *digest[2] = { NULL, NULL };
  for (guint i = 0; i < 2; i++)
    {
      seen_reset (0, FALSE);
      g_autoptr (DmasConfig) config = config_new ("100s", "5s", "15s");
      g_autoptr (DmasSim) sim = sim_new (config);
      dmas_sim_schedule_crash (sim, 0, S (30), S (30));
      g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
      digest[i] = dmas_engine_digest (dmas_sim_engine (sim));
    }
  g_assert_cmpstr (digest[0], ==, digest[1]);
  g_free (digest[0]);
  g_free (digest[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/detector/suspect-after-timeout", test_suspect_after_timeout);
  g_test_add_func ("/detector/restart-after-suspicion", test_restart_after_suspicion);
  g_test_add_func ("/detector/deadline-instant-in-time", test_deadline_instant_in_time);
  g_test_add_func ("/detector/timeout-below-period-duplicates",
                   test_timeout_below_period_duplicates);
  g_test_add_func ("/detector/disabled", test_disabled);
  g_test_add_func ("/detector/stall-still-deadlocks", test_stall_still_deadlocks);
  g_test_add_func ("/detector/deterministic", test_deterministic);
  int status = g_test_run ();
  g_array_unref (seen.status);
  return status;
}
