/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the agents runtime and the host API, with components compiled into the test. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/dmas.h>
#include "agents/sim.h"
#include "metrics/metrics.h"

/* ---- a bidder: tighter fit scores higher; with `delay` > 0 it answers through bid_ready ---- */

typedef struct {
  DmasTime delay;
} FitBidder;

typedef struct {
  DmasBid bid;
} PendingBid;

static void *
fit_create (DmasCtx *ctx, DmasError *err)
{
  FitBidder *self = g_new0 (FitBidder, 1);
  if (ctx->api->param_duration (ctx, "delay", &self->delay) != DMAS_OK)
    {
      g_free (self);
      dmas_error_set (err, DMAS_EINVAL, "delay: not a duration");
      return NULL;
    }
  /* Bidders have no on_message: the host refuses to let them send. */
  g_assert_cmpint (ctx->api->broadcast (ctx, 1, "x", 1), ==, DMAS_ESTATE);
  return self;
}

static void
fit_destroy (void *self)
{
  g_free (self);
}

static void
bid_later (DmasCtx *ctx, void *data)
{
  PendingBid *p = data;
  g_assert_cmpint (ctx->api->bid_ready (ctx, &p->bid), ==, DMAS_OK);
  /* A second answer for the same job is refused. */
  g_assert_cmpint (ctx->api->bid_ready (ctx, &p->bid), ==, DMAS_ESTATE);
}

static int
fit_bid (void *self_, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
         DmasBid *out, DmasError *err)
{
  FitBidder *self = self_;
  (void) err;
  g_assert_cmpuint (out->job, ==, job->id);
  g_assert_cmpuint (out->agent, ==, dmas_self (ctx));
  gboolean fits = job->cores <= cluster->cores_per_node && job->nodes <= cluster->nodes;
  out->score = fits ? 1.0 / (1.0 + cluster->cores_per_node - job->cores) : 0.0;
  if (self->delay == 0)
    return DMAS_OK;
  PendingBid *p = g_new (PendingBid, 1);
  p->bid = *out;
  ctx->api->timer_add (ctx, self->delay, bid_later, p, g_free);
  return DMAS_PENDING;
}

static const DmasBiddingOps fit_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = fit_create,
  .destroy = fit_destroy,
  .bid = fit_bid,
};

static const DmasParamSpec fit_params[] = {
  { "delay", DMAS_PARAM_DURATION, "0s", "answer through bid_ready after this" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponentInfo fit_info = {
  .kind = DMAS_KIND_BIDDING, .name = "fit", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 1, .params = fit_params,
  .ops = &fit_ops,
};

/* ---- a consensus: everyone tells everyone its bid; each decides once it has all ---------- */

typedef struct {
  guint n_bids;
  DmasBid best;
  DmasSlot slot;
} Tally;

typedef struct {
  GHashTable *tallies; /* job id → Tally*; looked up only */
  int mute;            /* never decide (to make a deadlock) */
} AllToAll;

static void *
all_create (DmasCtx *ctx, DmasError *err)
{
  (void) err;
  AllToAll *self = g_new0 (AllToAll, 1);
  self->tallies = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_assert_cmpint (ctx->api->param_bool (ctx, "mute", &self->mute), ==, DMAS_OK);
  return self;
}

static void
all_destroy (void *self_)
{
  AllToAll *self = self_;
  g_hash_table_unref (self->tallies);
  g_free (self);
}

static void
all_count (AllToAll *self, DmasCtx *ctx, const DmasBid *bid)
{
  Tally *t = g_hash_table_lookup (self->tallies, &bid->job);
  if (t == NULL)
    {
      t = g_new0 (Tally, 1);
      t->best.job = bid->job;
      t->best.agent = DMAS_AGENT_NONE;
      t->slot.job = bid->job;
      g_hash_table_insert (self->tallies, g_memdup2 (&bid->job, sizeof bid->job), t);
    }
  t->n_bids++;
  if (bid->score > 0.0 && (t->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &t->best)))
    t->best = *bid;
  if (t->n_bids == dmas_n_agents (ctx) && !self->mute)
    g_assert_cmpint (ctx->api->decide (ctx, &t->slot, &t->best), ==, DMAS_OK);
}

static int
all_propose (void *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  uint8_t body[20];
  dmas_put_u64 (body, bid->job);
  dmas_put_u32 (body + 8, bid->agent);
  dmas_put_double (body + 12, bid->score);
  g_assert_cmpint (ctx->api->broadcast (ctx, 7, body, sizeof body), ==, DMAS_OK);
  all_count (self, ctx, bid);
  (void) slot;
  return DMAS_OK;
}

static int
all_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                size_t len)
{
  const uint8_t *p = body;
  g_assert_cmpuint (type, ==, 7);
  g_assert_cmpuint (len, ==, 20);
  DmasBid bid = { .job = dmas_get_u64 (p), .agent = dmas_get_u32 (p + 8),
                  .score = dmas_get_double (p + 12) };
  g_assert_cmpuint (bid.agent, ==, src);
  all_count (self, ctx, &bid);
  return DMAS_OK;
}

static const DmasConsensusOps all_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = all_create,
  .destroy = all_destroy,
  .propose = all_propose,
  .on_message = all_on_message,
};

static const DmasParamSpec all_params[] = {
  { "mute", DMAS_PARAM_BOOL, "false", "never decide" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponentInfo all_info = {
  .kind = DMAS_KIND_CONSENSUS, .name = "all-to-all", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 0, .params = all_params,
  .ops = &all_ops,
};

/* ---- the run's config, written by hand ---- */

typedef struct {
  DmasConfig config;
  GArray *clusters;
} Setup;

static void
setup_init (Setup *s, guint jobs, guint cores)
{
  memset (s, 0, sizeof *s);
  DmasConfig *c = &s->config;
  c->source = (gchar *) "test.yaml";
  c->name = (gchar *) "test";
  c->seed = 1;
  c->horizon = 30 * DMAS_S;
  c->drain = TRUE;
  s->clusters = g_array_new (FALSE, TRUE, sizeof (DmasClusterSpec));
  const DmasClusterSpec a = { (gchar *) "a", (gchar *) "general", 1, 8, 16.0, 0, 1.0 };
  const DmasClusterSpec b = { (gchar *) "b", (gchar *) "general", 1, 4, 8.0, 0, 1.0 };
  g_array_append_val (s->clusters, a);
  g_array_append_val (s->clusters, b);
  c->platform.clusters = s->clusters;
  c->workload.generator = (gchar *) "constant";
  c->workload.jobs = jobs;
  c->workload.runtime = dmas_dist_constant (25 * DMAS_S);
  c->workload.walltime_factor = 1.0;
  c->workload.cores = dmas_dist_constant (cores);
  c->workload.memory_gb = dmas_dist_constant (1.0);
  c->network.latency = DMAS_MS;
  c->scheduling.mode = (gchar *) "distributed";
  c->scheduling.local_policy = (gchar *) "fcfs";
}

static DmasNode *
params (const gchar *key, const gchar *value)
{
  DmasNode *map = dmas_node_new_map ("test", "/", 1, 1);
  if (key != NULL)
    dmas_node_set (map, key, dmas_node_new_scalar (value, "test", "/", 1, 1));
  return map;
}

static DmasSim *
sim_new (const Setup *s, DmasNode *bid_params, DmasNode *cons_params)
{
  g_autoptr (GError) error = NULL;
  DmasSim *sim = dmas_sim_new_with_components (&s->config, &fit_info, bid_params, &all_info,
                                               cons_params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim);
  return sim;
}

/* Hand computation (L = 1 ms).  The client's submission reaches the home agent at t + L
 * (agents/client.h), which acknowledges and announces it then.  Every agent sends its bid to
 * the other when it proposes and decides once it holds both bids.  b is the tighter fit and
 * wins every job.
 *   job 1 (home a, submitted 0): a accepts and proposes at 1 ms, its bid reaches b at 2 ms;
 *     b learns of the job at 2 ms too, so b decides at 2 ms (1 ms after the home accepted)
 *     and starts the job at once (a decides at 3 ms).
 *   job 2 (home b, 10 s): b accepts at 10.001 s, a learns at 10.002 s, its bid reaches b at
 *     10.003 s: b decides (2 ms after accepting); the job waits for job 1 to end at 25.002 s.
 *   job 3 (home a, 20 s): b decides at 20.002 s, starts when job 2 ends at 50.002 s. */
static void
test_all_to_all_start_times (void)
{
  Setup s;
  setup_init (&s, 3, 4);
  g_autoptr (DmasSim) sim = sim_new (&s, params (NULL, NULL), params (NULL, NULL));
  g_autofree gchar *diagnosis = NULL;
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, &diagnosis), ==, DMAS_RUN_COMPLETE);
  g_assert_null (diagnosis);

  const DmasMetrics *m = dmas_sim_metrics (sim);
  const DmasTime starts[] = { 2 * DMAS_MS, 25 * DMAS_S + 2 * DMAS_MS,
                               50 * DMAS_S + 2 * DMAS_MS };
  const DmasTime latency[] = { DMAS_MS, 2 * DMAS_MS, DMAS_MS };
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (m->jobs[i].state, ==, DMAS_JOB_COMPLETED);
      g_assert_cmpuint (m->jobs[i].agent, ==, 1);
      g_assert_cmpuint (m->jobs[i].start, ==, starts[i]);
      g_assert_cmpuint (m->jobs[i].end, ==, starts[i] + 25 * DMAS_S);
      g_assert_cmpuint (m->jobs[i].accepted, ==, m->jobs[i].submit + DMAS_MS);
      g_assert_cmpuint (m->jobs[i].decided, ==, m->jobs[i].accepted + latency[i]);
      g_assert_cmpuint (g_array_index (m->decision_latency, DmasTime, i), ==, latency[i]);
    }
  g_assert_cmpuint (m->decisions, ==, 3);
  g_assert_cmpuint (m->safety_violations, ==, 0);
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
  /* Each job: one bid each way; its submission and acknowledgement, one announcement and
   * one completion on the host channel. */
  g_assert_cmpuint (m->traffic[DMAS_KIND_CONSENSUS].messages, ==, 6);
  g_assert_cmpuint (m->traffic[DMAS_NET_HOST].messages, ==, 12);
  g_assert_cmpuint (m->submission_retries, ==, 0);
  g_assert_cmpuint (m->run_end, ==, 75 * DMAS_S + 3 * DMAS_MS); /* the last FINISH arrives */
  g_array_unref (s.clusters);
}

/* A bidder answering 5 ms late.  Job 1 (home a, which accepts it at 1 ms): a's bid is ready
 * at 6 ms and reaches b at 7 ms, when b's own bid (announced at 2 ms) is ready too: b, the
 * winner, decides and starts at 7 ms.  Job 2 (home b, accepted at 10.001 s): a learns at
 * 10.002 s, its bid is ready at 10.007 s and reaches b at 10.008 s. */
static void
test_pending_bids (void)
{
  Setup s;
  setup_init (&s, 3, 4);
  g_autoptr (DmasSim) sim = sim_new (&s, params ("delay", "5ms"), params (NULL, NULL));
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpuint (m->jobs[0].start, ==, 7 * DMAS_MS);
  g_assert_cmpuint (m->jobs[1].decided, ==, 10 * DMAS_S + 8 * DMAS_MS);
  g_assert_cmpint (m->jobs[2].state, ==, DMAS_JOB_COMPLETED);
  g_array_unref (s.clusters);
}

static void
test_deadlock_diagnosis (void)
{
  Setup s;
  setup_init (&s, 2, 4);
  g_autoptr (DmasSim) sim = sim_new (&s, params (NULL, NULL), params ("mute", "true"));
  g_autofree gchar *diagnosis = NULL;
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, &diagnosis), ==, DMAS_RUN_DEADLOCK);
  g_assert_nonnull (diagnosis);
  g_test_message ("diagnosis: %s", diagnosis);
  g_assert_nonnull (strstr (diagnosis, "2 job(s) unsettled"));
  g_assert_nonnull (strstr (diagnosis, "job 1 (home agent 0): never decided"));
  g_assert_nonnull (strstr (diagnosis, "job 2 (home agent 1): never decided"));
  g_assert_nonnull (strstr (diagnosis, "proposed, undecided: 0, 1"));
  DmasMetricsSummary sum;
  dmas_metrics_summarize (dmas_sim_metrics (sim), &sum);
  g_assert_cmpuint (sum.jobs_lost, ==, 2);
  g_array_unref (s.clusters);
}

/* 64 cores fit no cluster: rejected at submission (acknowledged), never announced, never
 * decided. */
static void
test_rejected_at_submission (void)
{
  Setup s;
  setup_init (&s, 3, 64);
  g_autoptr (DmasSim) sim = sim_new (&s, params (NULL, NULL), params (NULL, NULL));
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (m->jobs[i].state, ==, DMAS_JOB_REJECTED);
      g_assert_nonnull (strstr (m->jobs[i].reason, "no cluster fits"));
    }
  g_assert_cmpuint (m->decisions, ==, 0);
  g_assert_cmpuint (m->traffic[DMAS_NET_HOST].messages, ==, 6); /* 3 submissions, 3 acks */
  g_array_unref (s.clusters);
}

/* Jobs after the horizon are never submitted; without drain the run stops at the horizon. */
static void
test_horizon (void)
{
  Setup s;
  setup_init (&s, 3, 4);
  s.config.workload.span = 60 * DMAS_S; /* jobs at 0, 20, 40 s; horizon 30 s */
  s.config.drain = FALSE;
  g_autoptr (DmasSim) sim = sim_new (&s, params (NULL, NULL), params (NULL, NULL));
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_HORIZON);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  DmasMetricsSummary sum;
  dmas_metrics_summarize (m, &sum);
  g_assert_cmpuint (sum.jobs_submitted, ==, 2);
  g_assert_cmpuint (sum.jobs_completed, ==, 1);
  g_assert_cmpuint (sum.jobs_lost, ==, 1); /* job 2 still running at 30 s */
  g_assert_cmpint (m->jobs[2].state, ==, DMAS_JOB_UNSUBMITTED);
  g_assert_cmpuint (m->run_end, <=, 30 * DMAS_S);
  g_array_unref (s.clusters);
}

/* ---- host API: timers, identity, randomness, parameters, metrics ---- */

/* What the probe component saw; a test-file static because create() only gets a ctx. */
typedef struct {
  guint fired[4], freed[4];
  int self_cancel_status;
  guint64 rng[2];
  DmasAgentId members_seen;
} Probe;
static Probe probe;

typedef struct {
  DmasTimerId ids[4];
} ProbeSelf;

static void
probe_free (void *data)
{
  probe.freed[GPOINTER_TO_UINT (data)]++;
}

static void
probe_fire (DmasCtx *ctx, void *data)
{
  guint k = GPOINTER_TO_UINT (data);
  probe.fired[k]++;
  /* Timer k has id k + 1 (the host numbers an instance's timers from 1): timer 0 cancels
   * timer 1, timer 2 tries to cancel itself while it runs. */
  if (k == 0)
    g_assert_cmpint (ctx->api->timer_cancel (ctx, 2), ==, DMAS_OK);
  if (k == 2)
    probe.self_cancel_status = ctx->api->timer_cancel (ctx, 3);
  ctx->api->metric (ctx, "probe.fired", 1.0);
}

static void *
probe_create (DmasCtx *ctx, DmasError *err)
{
  (void) err;
  ProbeSelf *self = g_new0 (ProbeSelf, 1);
  const DmasHostApi *api = ctx->api;
  uint32_t n = 0;
  const DmasAgentId *members = api->members (ctx, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (members[0], ==, 0);
  g_assert_cmpuint (members[1], ==, 1);
  g_assert_cmpuint (api->n_agents (ctx), ==, 2);
  probe.rng[api->self_id (ctx)] = api->rng_u64 (ctx);

  int64_t i64;
  double d;
  int b;
  const char *str;
  DmasTime t;
  g_assert_cmpint (api->param_int (ctx, "count", &i64), ==, DMAS_OK);
  g_assert_cmpint (i64, ==, -3);
  g_assert_cmpint (api->param_double (ctx, "ratio", &d), ==, DMAS_OK);
  g_assert_cmpfloat (d, ==, 0.25);
  g_assert_cmpint (api->param_bool (ctx, "flag", &b), ==, DMAS_OK);
  g_assert_cmpint (b, ==, 1);
  g_assert_cmpint (api->param_string (ctx, "word", &str), ==, DMAS_OK);
  g_assert_cmpstr (str, ==, "hello");
  g_assert_cmpint (api->param_duration (ctx, "wait", &t), ==, DMAS_OK);
  g_assert_cmpuint (t, ==, 150 * DMAS_MS);
  g_assert_cmpint (api->param_int (ctx, "wait", &i64), ==, DMAS_EINVAL);
  g_assert_cmpint (api->param_int (ctx, "nope", &i64), ==, DMAS_ENOENT);

  if (api->self_id (ctx) == 0)
    for (guint k = 0; k < 4; k++)
      self->ids[k] = api->timer_add (ctx, (k + 1) * DMAS_S, probe_fire, GUINT_TO_POINTER (k),
                                     probe_free);
  return self;
}

static void
probe_destroy (void *self)
{
  g_free (self);
}

static int
probe_propose (void *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  (void) self, (void) ctx, (void) slot, (void) bid;
  return DMAS_OK;
}

static int
probe_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                  size_t len)
{
  (void) self, (void) ctx, (void) src, (void) type, (void) body, (void) len;
  return DMAS_OK;
}

static const DmasConsensusOps probe_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = probe_create,
  .destroy = probe_destroy,
  .propose = probe_propose,
  .on_message = probe_on_message,
};

static const DmasParamSpec probe_params[] = {
  { "count", DMAS_PARAM_INT, "-3", "" },
  { "ratio", DMAS_PARAM_DOUBLE, "0.25", "" },
  { "flag", DMAS_PARAM_BOOL, "false", "" },
  { "word", DMAS_PARAM_STRING, "hello", "" },
  { "wait", DMAS_PARAM_DURATION, "150ms", "" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponentInfo probe_info = {
  .kind = DMAS_KIND_CONSENSUS, .name = "probe", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 0, .params = probe_params,
  .ops = &probe_ops,
};

static DmasSim *
probe_sim (Setup *s)
{
  setup_init (s, 0, 4);
  g_autoptr (GError) error = NULL;
  /* "flag" is given; the others come from their declared defaults. */
  DmasSim *sim = dmas_sim_new_with_components (&s->config, &fit_info, params (NULL, NULL),
                                               &probe_info, params ("flag", "true"), &error);
  g_assert_no_error (error);
  return sim;
}

static void
test_timers_free_once (void)
{
  Setup s;
  memset (&probe, 0, sizeof probe);

  /* Never run: every timer is pending at destroy; each free_fn runs once, no fn at all. */
  DmasSim *sim = probe_sim (&s);
  guint64 rng0 = probe.rng[0], rng1 = probe.rng[1];
  g_assert_cmpuint (rng0, !=, rng1);
  dmas_sim_free (sim);
  g_array_unref (s.clusters);
  for (guint k = 0; k < 4; k++)
    {
      g_assert_cmpuint (probe.fired[k], ==, 0);
      g_assert_cmpuint (probe.freed[k], ==, 1);
    }

  /* Run: 0 fires and cancels 1; 2 fires and its self-cancel answers ENOENT; 3 fires. */
  memset (&probe, 0, sizeof probe);
  sim = probe_sim (&s);
  g_assert_cmpuint (probe.rng[0], ==, rng0); /* same seed, same stream */
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  const guint fired[] = { 1, 0, 1, 1 };
  for (guint k = 0; k < 4; k++)
    {
      g_assert_cmpuint (probe.fired[k], ==, fired[k]);
      g_assert_cmpuint (probe.freed[k], ==, 1);
    }
  g_assert_cmpint (probe.self_cancel_status, ==, DMAS_ENOENT);
  g_assert_cmpfloat (dmas_metrics_get (dmas_sim_metrics (sim), "probe.fired"), ==, 3.0);
  g_assert_cmpuint (dmas_engine_now (dmas_sim_engine (sim)), ==, 4 * DMAS_S);
  dmas_sim_free (sim);
  for (guint k = 0; k < 4; k++)
    g_assert_cmpuint (probe.freed[k], ==, 1);
  g_array_unref (s.clusters);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/agents/sim/all-to-all/start-times", test_all_to_all_start_times);
  g_test_add_func ("/agents/sim/pending-bids", test_pending_bids);
  g_test_add_func ("/agents/sim/deadlock-diagnosis", test_deadlock_diagnosis);
  g_test_add_func ("/agents/sim/rejected-at-submission", test_rejected_at_submission);
  g_test_add_func ("/agents/sim/horizon", test_horizon);
  g_test_add_func ("/agents/host-api/timers-free-once", test_timers_free_once);
  return g_test_run ();
}
