/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the centralized controller and the clients, with components compiled in. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <dmas/dmas.h>
#include "agents/central.h"
#include "agents/sim.h"
#include "config/config.h"
#include "metrics/metrics.h"
#include "world/localq.h"
#include "world/workload.h"

/* ---- a bidder whose score depends on the cluster's state; `delay` answers late ---- */

/* What the probe bidder saw; a test-file static because create() only gets a ctx. */
typedef struct {
  guint calls;
  guint calls_per_agent[8];
} Probe;

static Probe probe;

typedef struct {
  DmasTime delay;
} ProbeBidder;

typedef struct {
  DmasBid bid;
} PendingBid;

static void *
probe_create (DmasCtx *ctx, DmasError *err)
{
  ProbeBidder *self = g_new0 (ProbeBidder, 1);
  if (ctx->api->param_duration (ctx, "delay", &self->delay) != DMAS_OK)
    {
      g_free (self);
      dmas_error_set (err, DMAS_EINVAL, "delay: not a duration");
      return NULL;
    }
  return self;
}

static void
probe_destroy (void *self)
{
  g_free (self);
}

static void
bid_later (DmasCtx *ctx, void *data)
{
  PendingBid *p = data;
  g_assert_cmpint (ctx->api->bid_ready (ctx, &p->bid), ==, DMAS_OK);
}

/* The formula both modes must share: free share of the cluster, divided by its queue. */
static gdouble
probe_score (const DmasJob *job, const DmasClusterView *c)
{
  if (job->nodes > c->nodes || job->cores > c->cores_per_node)
    return 0.0;
  return (1.0 + c->free_nodes) / (1.0 + c->nodes) / (1.0 + c->queued_jobs + c->running_jobs);
}

static int
probe_bid (void *self_, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
           DmasBid *out, DmasError *err)
{
  ProbeBidder *self = self_;
  (void) err;
  /* The controller's instance for a cluster answers for that cluster. */
  g_assert_cmpuint (out->agent, ==, dmas_self (ctx));
  g_assert_cmpuint (cluster->agent, ==, dmas_self (ctx));
  probe.calls++;
  if (cluster->agent < G_N_ELEMENTS (probe.calls_per_agent))
    probe.calls_per_agent[cluster->agent]++;
  out->score = probe_score (job, cluster);
  if (self->delay == 0)
    return DMAS_OK;
  PendingBid *p = g_new (PendingBid, 1);
  p->bid = *out;
  ctx->api->timer_add (ctx, self->delay, bid_later, p, g_free);
  return DMAS_PENDING;
}

static const DmasBiddingOps probe_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = probe_create,
  .destroy = probe_destroy,
  .bid = probe_bid,
};

static const DmasParamSpec probe_params[] = {
  { "delay", DMAS_PARAM_DURATION, "0s", "answer through bid_ready after this" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponentInfo probe_info = {
  .kind = DMAS_KIND_BIDDING, .name = "probe", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 1, .params = probe_params,
  .ops = &probe_ops,
};

/* ---- consensus "all": everyone tells everyone its bid; each decides once it has all ---- */

typedef struct {
  guint n_bids;
  DmasBid best;
  DmasSlot slot;
} Tally;

typedef struct {
  GHashTable *tallies; /* job id → Tally*; looked up only */
} AllToAll;

static void *
all_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  (void) err;
  AllToAll *self = g_new0 (AllToAll, 1);
  self->tallies = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
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
all_count (AllToAll *self, DmasCtx *ctx, const DmasBid *bid, const DmasSlot *slot)
{
  Tally *t = g_hash_table_lookup (self->tallies, &bid->job);
  if (t == NULL)
    {
      t = g_new0 (Tally, 1);
      t->best = (DmasBid){ .job = bid->job, .agent = DMAS_AGENT_NONE };
      t->slot = (DmasSlot){ .job = bid->job };
      g_hash_table_insert (self->tallies, g_memdup2 (&bid->job, sizeof bid->job), t);
    }
  if (slot != NULL)
    t->slot = *slot;
  t->n_bids++;
  if (bid->score > 0.0 && (t->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &t->best)))
    t->best = *bid;
  if (t->n_bids == dmas_n_agents (ctx))
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
  /* Plugins reach agents only: the clients' and controllers' endpoints are not theirs. */
  g_assert_cmpint (ctx->api->send (ctx, dmas_n_agents (ctx), 7, body, sizeof body), ==,
                   DMAS_ENOENT);
  all_count (self, ctx, bid, slot);
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
  all_count (self, ctx, &bid, NULL);
  return DMAS_OK;
}

static const DmasConsensusOps all_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = all_create,
  .destroy = all_destroy,
  .propose = all_propose,
  .on_message = all_on_message,
};

static const DmasComponentInfo all_info = {
  .kind = DMAS_KIND_CONSENSUS, .name = "all", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 0, .params = NULL,
  .ops = &all_ops,
};

/* ---- consensus "home": the home agent decides for itself at once ---- */

static void *
home_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  (void) err;
  return g_new0 (int, 1);
}

static void
home_destroy (void *self)
{
  g_free (self);
}

static int
home_propose (void *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  (void) self;
  if (slot->home == dmas_self (ctx))
    g_assert_cmpint (ctx->api->decide (ctx, slot, bid), ==, DMAS_OK);
  return DMAS_OK;
}

static int
home_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                 size_t len)
{
  (void) self, (void) ctx, (void) src, (void) type, (void) body, (void) len;
  return DMAS_OK;
}

static const DmasConsensusOps home_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = home_create,
  .destroy = home_destroy,
  .propose = home_propose,
  .on_message = home_on_message,
};

static const DmasComponentInfo home_info = {
  .kind = DMAS_KIND_CONSENSUS, .name = "home", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 0, .params = NULL,
  .ops = &home_ops,
};

/* ---- running a config ---- */

static DmasNode *
params_map (const gchar *key, const gchar *value)
{
  DmasNode *map = dmas_node_new_map ("test", "/", 1, 1);
  if (key != NULL)
    dmas_node_set (map, key, dmas_node_new_scalar (value, "test", "/", 1, 1));
  return map;
}

static DmasConfig *
load (const gchar *yaml, const gchar *dir)
{
  g_autoptr (GError) error = NULL;
  DmasConfig *config = dmas_config_load_string (yaml, "test.yaml", dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static DmasSim *
sim_new (const DmasConfig *config, const gchar *bid_delay, const DmasComponentInfo *consensus)
{
  g_autoptr (GError) error = NULL;
  memset (&probe, 0, sizeof probe);
  DmasSim *sim = dmas_sim_new_with_components (config, &probe_info,
                                               params_map ("delay", bid_delay), consensus,
                                               params_map (NULL, NULL), &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim);
  return sim;
}

static void
run_complete (DmasSim *sim)
{
  g_autofree gchar *diagnosis = NULL;
  DmasRunStatus status = dmas_sim_run (sim, 0.0, FALSE, &diagnosis);
  if (diagnosis != NULL)
    g_test_message ("diagnosis: %s", diagnosis);
  g_assert_cmpint (status, ==, DMAS_RUN_COMPLETE);
}

/* ---- zero latency: the centralized run is the plain trace simulation ---- */

/* A random SWF trace of `n` jobs on `procs` processors, arrivals often at the same second. */
static gchar *
random_swf (GRand *rng, guint n, guint procs)
{
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "; MaxProcs: %u\n", procs);
  guint t = 0;
  for (guint i = 1; i <= n; i++)
    {
      t += (guint) g_rand_int_range (rng, 0, 30);
      guint run = (guint) g_rand_int_range (rng, 1, 300);
      guint req = run * (guint) g_rand_int_range (rng, 1, 4);
      guint p = (guint) g_rand_int_range (rng, 1, (gint) procs + 1);
      g_string_append_printf (out, "%u %u -1 %u %u -1 -1 %u %u -1 1 1 1 1 1 1 -1 -1\n", i, t,
                              run, p, p, req);
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  DmasLocalQueue *queue;
  DmasWorkload *workload;
  guint next;
  DmasTime *start;
} Direct;

static void direct_submit (DmasEngine *engine, gpointer data);

/* Submissions chained one after the other, as the simulator's clients are. */
static void
direct_schedule (Direct *d, DmasEngine *engine)
{
  if (d->next < d->workload->n_jobs)
    dmas_engine_schedule (engine, d->workload->jobs[d->next].submit, DMAS_EV_TIMER, 1, 0,
                          direct_submit, d, NULL);
}

static void
direct_submit (DmasEngine *engine, gpointer data)
{
  Direct *d = data;
  const DmasJob *job = &d->workload->jobs[d->next++];
  direct_schedule (d, engine);
  g_assert_true (dmas_localq_submit (d->queue, job, NULL));
}

static void
direct_started (gpointer user_data, const DmasJob *job, DmasTime start)
{
  Direct *d = user_data;
  d->start[job->id] = start;
}

static void
direct_finished (gpointer user_data, const DmasJob *job, DmasTime start, DmasTime end,
                 gboolean killed)
{
  (void) user_data, (void) job, (void) start, (void) end, (void) killed;
}

/* With network.latency 0s and one cluster, the centralized mode (clients, controller,
 * dispatch, reports) starts every job exactly when the local policy run directly on the
 * trace does: no extra delay, and the same order of events within an instant. */
static void
test_zero_latency_equals_direct (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-central-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree gchar *swf_path = g_build_filename (dir, "t.swf", NULL);
  GRand *rng = g_rand_new_with_seed (g_test_rand_int ());
  g_autofree gchar *swf = random_swf (rng, 300, 16);
  g_rand_free (rng);
  g_assert_true (g_file_set_contents (swf_path, swf, -1, NULL));

  const gchar *const policies[] = { "fcfs", "easy", "conservative" };
  for (guint p = 0; p < G_N_ELEMENTS (policies); p++)
    {
      g_autofree gchar *yaml = g_strdup_printf (
          "platform: {from_trace: true}\n"
          "workload: {generator: swf, path: t.swf}\n"
          "network: {latency: 0s}\n"
          "heartbeat: {enabled: false}\n"
          "scheduling: {mode: centralized, local_policy: %s}\n", policies[p]);
      g_autoptr (DmasConfig) config = load (yaml, dir);
      g_autoptr (DmasSim) sim = sim_new (config, "0s", &all_info);
      run_complete (sim);
      const DmasMetrics *m = dmas_sim_metrics (sim);

      g_autoptr (DmasWorkload) workload = dmas_workload_generate (config, 1, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (workload->n_jobs, ==, m->n_jobs);
      g_autoptr (DmasEngine) engine = dmas_engine_new (1);
      g_autofree DmasTime *start = g_new0 (DmasTime, workload->n_jobs + 1);
      Direct d = { .workload = workload, .start = start };
      DmasLocalPolicy policy;
      g_assert_true (dmas_local_policy_from_string (policies[p], &policy, NULL));
      const DmasLocalQueueHooks hooks = { direct_started, direct_finished, NULL };
      d.queue = dmas_localq_new (engine, 0, policy, 16, 1.0, &hooks, &d);
      direct_schedule (&d, engine);
      while (dmas_engine_step (engine))
        ;
      guint differ = 0;
      for (guint i = 0; i < workload->n_jobs; i++)
        {
          g_assert_cmpint (m->jobs[i].state, ==, DMAS_JOB_COMPLETED);
          differ += m->jobs[i].start != start[i + 1];
        }
      g_test_message ("%s: %u of %u start times differ", policies[p], differ, workload->n_jobs);
      g_assert_cmpuint (differ, ==, 0);
      /* Every job: submission and acknowledgement, dispatch, two reports, one FINISH. */
      g_assert_cmpuint (m->traffic[0].messages, ==, 6 * (guint64) workload->n_jobs);
      dmas_localq_free (d.queue);
    }
  g_remove (swf_path);
  g_rmdir (dir);
}

/* ---- the same bidding formula in both modes ---- */

static const gchar *const three_clusters =
    "horizon: 2m\n"
    "platform:\n"
    "  clusters:\n"
    "    - {name: a, nodes: 2, cores: 8}\n"
    "    - {name: b, nodes: 4, cores: 8}\n"
    "    - {name: c, nodes: 1, cores: 4}\n"
    "workload: {generator: constant, jobs: 24, span: 1m, runtime: 25s, cores: 4,\n"
    "           memory_gb: 1, gpus: 0, walltime_factor: 1.0}\n"
    "network: {latency: 0s}\n"
    "heartbeat: {enabled: false}\n";

/* Every 2.5 s a job arrives that wants one node; each runs 25 s, so queues build up and the
 * scores (free share over queue length) change with every job.  With zero latency the
 * controller's view of each cluster is exact, and it evaluates the bidding component for
 * every cluster and keeps the best by dmas_bid_better: it must pick what the distributed
 * agents agree on, job by job, and the schedules must be the same. */
static void
test_same_bidder_formula (void)
{
  g_autofree gchar *dist_yaml = g_strconcat (three_clusters,
                                             "scheduling: {mode: distributed}\n", NULL);
  g_autofree gchar *cent_yaml = g_strconcat (three_clusters,
                                             "scheduling: {mode: centralized}\n", NULL);
  g_autoptr (DmasConfig) dist_config = load (dist_yaml, "/");
  g_autoptr (DmasConfig) cent_config = load (cent_yaml, "/");
  g_autoptr (DmasSim) dist = sim_new (dist_config, "0s", &all_info);
  run_complete (dist);
  const guint dist_calls = probe.calls;
  g_autoptr (DmasSim) cent = sim_new (cent_config, "0s", &all_info);
  run_complete (cent);
  const DmasMetrics *dm = dmas_sim_metrics (dist), *cm = dmas_sim_metrics (cent);

  /* One evaluation per cluster and job in both modes. */
  g_assert_cmpuint (dist_calls, ==, 3 * 24);
  g_assert_cmpuint (probe.calls, ==, 3 * 24);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpuint (probe.calls_per_agent[a], ==, 24);
  guint used[3] = { 0 };
  for (guint i = 0; i < 24; i++)
    {
      g_assert_cmpint (cm->jobs[i].state, ==, DMAS_JOB_COMPLETED);
      g_assert_cmpuint (cm->jobs[i].agent, ==, dm->jobs[i].agent);
      g_assert_cmpuint (cm->jobs[i].start, ==, dm->jobs[i].start);
      used[cm->jobs[i].agent]++;
    }
  /* The formula spreads the jobs: every cluster got some. */
  for (guint a = 0; a < 3; a++)
    g_assert_cmpuint (used[a], >, 0);
  g_assert_cmpuint (cm->decisions, ==, 24);
  g_assert_cmpuint (cm->safety_violations, ==, 0);
}

/* ---- controller crashes ---- */

static const gchar *const one_cluster =
    "horizon: 30s\n"
    "platform:\n"
    "  clusters:\n"
    "    - {name: a, nodes: 4, cores: 8}\n"
    "workload: {generator: constant, jobs: 3, span: 30s, runtime: 5s, cores: 1,\n"
    "           memory_gb: 1, gpus: 0, walltime_factor: 1.0}\n"
    "network: {latency: 1ms}\n"
    "heartbeat: {enabled: false}\n"
    "clients: {timeout: 5s, backoff: 1s, backoff_max: 1m}\n";

/* Jobs at 0, 10 and 20 s (5 s each) on one 4-node cluster; 1 ms links; the primary, alone,
 * crashes at 8 s and restarts at 40 s.
 *   job 1: reaches the controller at 0.001, dispatched, starts at 0.002.
 *   job 2 (10 s): its attempts at 10, 16 (10 + 5 + 1), 23 (16 + 5 + 2), 32 (23 + 5 + 4) reach a
 *     dead controller; the fifth leaves at 45 (32 + 5 + 8), is accepted at 45.001 and the job
 *     starts at 45.002.  4 retries.
 *   job 3 (20 s): attempts at 20, 26, 33 are lost; the fourth, at 42 (33 + 5 + 4), is
 *     accepted at 42.001: start 42.002.  3 retries.
 *   40: the controller restarts, takes charge (generation 2), asks the agent for a full
 *     report (HELLO at 40, answer at 40.002); nothing is pending.
 * The service is down over [8, 40): one outage of 32 s.  The run ends when job 2's end
 * (50.002) is reported, at 50.003. */
static void
test_crash_without_ha (void)
{
  g_autofree gchar *yaml = g_strconcat (one_cluster, "scheduling: {mode: centralized}\n", NULL);
  g_autoptr (DmasConfig) config = load (yaml, "/");
  g_autoptr (DmasSim) sim = sim_new (config, "0s", &all_info);
  DmasCentral *central = dmas_sim_central (sim);
  g_assert_nonnull (central);
  g_assert_cmpuint (dmas_central_n_replicas (central), ==, 1);
  dmas_central_schedule_crash (central, DMAS_CENTRAL_PRIMARY, 8 * DMAS_S, 32 * DMAS_S);
  run_complete (sim);
  const DmasMetrics *m = dmas_sim_metrics (sim);

  const DmasTime starts[] = { 2 * DMAS_MS, 45 * DMAS_S + 2 * DMAS_MS,
                              42 * DMAS_S + 2 * DMAS_MS };
  const DmasTime accepted[] = { DMAS_MS, 45 * DMAS_S + DMAS_MS, 42 * DMAS_S + DMAS_MS };
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (m->jobs[i].state, ==, DMAS_JOB_COMPLETED);
      g_assert_cmpuint (m->jobs[i].start, ==, starts[i]);
      g_assert_cmpuint (m->jobs[i].accepted, ==, accepted[i]);
      g_assert_cmpuint (m->jobs[i].decided, ==, accepted[i] + DMAS_MS);
    }
  g_assert_cmpuint (m->submission_retries, ==, 7);
  g_assert_cmpuint (m->submissions_given_up, ==, 0);
  g_assert_cmpuint (m->msgs_dropped_down, ==, 7); /* the 7 lost attempts */
  g_assert_cmpuint (m->decisions, ==, 3);
  g_assert_cmpuint (m->run_end, ==, 50 * DMAS_S + 3 * DMAS_MS);
  g_assert_true (dmas_central_in_charge (central, DMAS_CENTRAL_PRIMARY));

  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (s.scheduler_failures, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.service_outage_mean_s, 32.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.availability, 1.0 - 32.0 / 50.003, 1e-9);
  g_assert_cmpuint (s.jobs_completed, ==, 3);
  g_assert_cmpuint (s.jobs_lost, ==, 0);
}

/* The same jobs with a backup (takeover 30 s, heartbeats every 10 s) and a bidder that
 * answers 2 s late, so that a placement can be under way when the primary dies.
 *   job 1: accepted at 0.001, its bid is ready at 2.001: dispatched, starts at 2.002.
 *   job 2: accepted (and acknowledged) at 10.001; its bid would be ready at 12.001, but the
 *     primary crashes at 11: the bid being collected is lost, the job is in the stable store
 *     as pending.
 *   The backup last heard the primary at 10.001 (heartbeats leave at 0 and 10): it takes
 *     charge at 40.001, asks the agent for a full report (answered at 40.003), then places the
 *     pending job 2 without any new submission: its bid is ready at 42.003, start 42.004.
 *   job 3 (20 s): attempt 1 to the primary (dead), attempt 2 at 26 to the backup (standby: no
 *     answer), attempt 3 at 33 to the primary, attempt 4 at 42 to the backup, in charge:
 *     accepted 42.001, bid ready 44.001, start 44.002.  3 retries.
 *   60: the primary restarts; the store says the backup is in charge: it becomes the standby.
 * One outage, [11, 40.001). */
static void
test_crash_with_ha (void)
{
  g_autofree gchar *yaml = g_strconcat (one_cluster,
                                        "scheduling: {mode: centralized, ha: {backup: true, "
                                        "takeover: 30s, heartbeat: 10s}}\n", NULL);
  g_autoptr (DmasConfig) config = load (yaml, "/");
  g_autoptr (DmasSim) sim = sim_new (config, "2s", &all_info);
  DmasCentral *central = dmas_sim_central (sim);
  g_assert_cmpuint (dmas_central_n_replicas (central), ==, 2);
  dmas_central_schedule_crash (central, DMAS_CENTRAL_PRIMARY, 11 * DMAS_S, 49 * DMAS_S);
  run_complete (sim);
  const DmasMetrics *m = dmas_sim_metrics (sim);

  const DmasTime starts[] = { 2 * DMAS_S + 2 * DMAS_MS, 42 * DMAS_S + 4 * DMAS_MS,
                              44 * DMAS_S + 2 * DMAS_MS };
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (m->jobs[i].state, ==, DMAS_JOB_COMPLETED);
      g_assert_cmpuint (m->jobs[i].start, ==, starts[i]);
    }
  /* Job 2 was accepted once, by the primary: the store carried it across the takeover. */
  g_assert_cmpuint (m->jobs[1].accepted, ==, 10 * DMAS_S + DMAS_MS);
  g_assert_cmpuint (m->submission_retries, ==, 3);
  g_assert_cmpuint (m->decisions, ==, 3);
  g_assert_false (dmas_central_in_charge (central, DMAS_CENTRAL_PRIMARY));
  g_assert_true (dmas_central_is_up (central, DMAS_CENTRAL_PRIMARY));
  g_assert_true (dmas_central_in_charge (central, DMAS_CENTRAL_BACKUP));

  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (s.scheduler_failures, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.service_outage_mean_s, 29.001, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.availability, 1.0 - 29.001 / dmas_time_to_s (m->run_end),
                                  1e-9);
  g_assert_cmpuint (m->run_end, ==, 60 * DMAS_S);
}

/* An agent that crashes with work on it is suspected after heartbeat.timeout and its jobs
 * are placed elsewhere.  Two clusters a (4 nodes) and b (1 node), reports every 5 s, timeout
 * 15 s, 0 latency.  Job 1 (0 s, 40 s long) goes to a (score 5/5 against 2/2... both 1:
 * the tie-break decides, checked against dmas_bid_better below).  The agent that runs it
 * crashes at 10 s for good; its last report left at 5 s (the periodic one: nothing changed
 * since 0), so the controller suspects it at 20 s and re-places job 1 on the other agent,
 * where it starts at 20 s. */
static void
test_agent_crash_suspected (void)
{
  const gchar *yaml =
      "horizon: 1m\n"
      "platform:\n"
      "  clusters:\n"
      "    - {name: a, nodes: 1, cores: 8}\n"
      "    - {name: b, nodes: 1, cores: 8}\n"
      "workload: {generator: constant, jobs: 1, span: 1m, runtime: 40s, cores: 1,\n"
      "           memory_gb: 1, gpus: 0, walltime_factor: 1.0}\n"
      "network: {latency: 0s}\n"
      "heartbeat: {enabled: true, period: 5s, timeout: 15s}\n"
      "scheduling: {mode: centralized}\n";
  g_autoptr (DmasConfig) config = load (yaml, "/");
  g_autoptr (DmasSim) sim = sim_new (config, "0s", &all_info);
  /* Both clusters score 1 on an idle platform: the tie-break picks the first winner. */
  const DmasBid on_a = { .job = 1, .agent = 0, .score = 1.0 };
  const DmasBid on_b = { .job = 1, .agent = 1, .score = 1.0 };
  const DmasAgentId first = dmas_bid_better (&on_a, &on_b) ? 0 : 1;
  dmas_sim_schedule_crash (sim, first, 10 * DMAS_S, DMAS_TIME_NONE);
  run_complete (sim);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpuint (m->jobs[0].agent, ==, 1 - first);
  g_assert_cmpuint (m->jobs[0].start, ==, 20 * DMAS_S);
  g_assert_cmpuint (m->jobs[0].starts, ==, 2);
  g_assert_cmpuint (m->decisions, ==, 2);
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
}

static const gchar *const two_clusters =
    "horizon: 1m\n"
    "platform:\n"
    "  clusters:\n"
    "    - {name: a, nodes: 1, cores: 8}\n"
    "    - {name: b, nodes: 1, cores: 8}\n"
    "network: {latency: 0s}\n"
    "heartbeat: {enabled: false}\n"
    "scheduling: {mode: centralized}\n";

/* The agent both clusters tie for on an idle platform (score 1): the tie-break decides. */
static DmasAgentId
tie_winner (DmasJobId job)
{
  const DmasBid on_a = { .job = job, .agent = 0, .score = 1.0 };
  const DmasBid on_b = { .job = job, .agent = 1, .score = 1.0 };
  return dmas_bid_better (&on_a, &on_b) ? 0 : 1;
}

/* An agent restarts faster than any timeout could notice: its first report carries a higher
 * incarnation, the controller resynchronises it (HELLO, full report) and re-places the job it
 * no longer holds.  Job 1 (0 s, 40 s long, zero latency) runs on the tie-break's winner X,
 * which crashes at 10 s and restarts at 12 s: at 12 s X reports, answers the HELLO with an
 * empty queue, the job (dispatched before its restart) is re-placed, on X again (both
 * clusters idle, same tie-break), and starts at 12 s: one recovery, 2 s after the loss. */
static void
test_agent_restart_reconciled (void)
{
  g_autofree gchar *yaml = g_strconcat (two_clusters,
                                        "workload: {generator: constant, jobs: 1, span: 1m, "
                                        "runtime: 40s, cores: 1, memory_gb: 1, gpus: 0, "
                                        "walltime_factor: 1.0}\n", NULL);
  g_autoptr (DmasConfig) config = load (yaml, "/");
  g_autoptr (DmasSim) sim = sim_new (config, "0s", &all_info);
  const DmasAgentId x = tie_winner (1);
  dmas_sim_schedule_crash (sim, x, 10 * DMAS_S, 2 * DMAS_S);
  run_complete (sim);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpuint (m->jobs[0].starts, ==, 2);
  g_assert_cmpuint (m->jobs[0].agent, ==, x);
  g_assert_cmpuint (m->jobs[0].start, ==, 12 * DMAS_S);
  g_assert_cmpuint (m->jobs[0].end, ==, 52 * DMAS_S);
  g_assert_cmpuint (m->decisions, ==, 2);
  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (s.jobs_recovered, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.mttr_s, 2.0, 1e-9);
  g_assert_cmpuint (m->duplicate_executions, ==, 0);
}

/* What survives a controller crash, exactly: a FINISH that reaches no controller is lost,
 * but the resynchronisation at restart finds the job done (the agent received its dispatch
 * in its current incarnation and no longer holds it).  Job 1 (0 s, 5 s) runs on X; the
 * controller is down over [2, 10) so X's FINISH at 5 s is dropped; at 10 s the controller
 * takes charge again and X's full report shows the job gone: done.  When X crashes at 20 s
 * and restarts at 21 s, nothing is re-placed: the job ran once.  (Were the job still
 * "placed" in the store, X's restart would make the controller run it again.) */
static void
test_lost_finish_reconciled (void)
{
  g_autofree gchar *yaml = g_strconcat (two_clusters,
                                        "workload: {generator: constant, jobs: 1, span: 1m, "
                                        "runtime: 5s, cores: 1, memory_gb: 1, gpus: 0, "
                                        "walltime_factor: 1.0}\n", NULL);
  g_autoptr (DmasConfig) config = load (yaml, "/");
  g_autoptr (DmasSim) sim = sim_new (config, "0s", &all_info);
  const DmasAgentId x = tie_winner (1);
  dmas_central_schedule_crash (dmas_sim_central (sim), DMAS_CENTRAL_PRIMARY, 2 * DMAS_S,
                               8 * DMAS_S);
  dmas_sim_schedule_crash (sim, x, 20 * DMAS_S, DMAS_S);
  run_complete (sim);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpuint (m->jobs[0].starts, ==, 1);
  g_assert_cmpuint (m->jobs[0].end, ==, 5 * DMAS_S);
  g_assert_cmpuint (m->decisions, ==, 1);
  g_assert_cmpuint (m->msgs_dropped_down, >=, 1); /* the FINISH, at least */
  g_assert_cmpuint (m->run_end, ==, 21 * DMAS_S);
}

/* ---- clients in distributed mode ---- */

/* Agent 0, home of job 1, is down from 0 s.  The client's submission at 0 is lost; after the
 * 5 s timeout and 1 s backoff it retries at the next agent, 1, which accepts at 6.001 s,
 * becomes the job's home and (consensus "home") decides for itself: start 6.001 s. */
static void
test_client_retries_next_agent (void)
{
  const gchar *yaml =
      "horizon: 1m\n"
      "platform:\n"
      "  clusters:\n"
      "    - {name: a, nodes: 1, cores: 8}\n"
      "    - {name: b, nodes: 1, cores: 8}\n"
      "workload: {generator: constant, jobs: 1, span: 1m, runtime: 10s, cores: 1,\n"
      "           memory_gb: 1, gpus: 0, walltime_factor: 1.0}\n"
      "network: {latency: 1ms}\n"
      "heartbeat: {enabled: false}\n"
      "clients: {timeout: 5s, backoff: 1s}\n"
      "scheduling: {mode: distributed}\n";
  g_autoptr (DmasConfig) config = load (yaml, "/");
  g_autoptr (DmasSim) sim = sim_new (config, "0s", &home_info);
  dmas_sim_schedule_crash (sim, 0, 0, DMAS_TIME_NONE);
  run_complete (sim);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpuint (m->jobs[0].agent, ==, 1);
  g_assert_cmpuint (m->jobs[0].accepted, ==, 6 * DMAS_S + DMAS_MS);
  g_assert_cmpuint (m->jobs[0].start, ==, 6 * DMAS_S + DMAS_MS);
  g_assert_cmpuint (m->submission_retries, ==, 1);
  g_assert_cmpuint (m->submissions_given_up, ==, 0);
}

/* Both agents down for good: attempts at 0 (agent 0) and 6 s (agent 1) go unanswered; after
 * the second timeout (11 s) the next attempt would leave at 13 s, past give_up (10 s): the
 * client gives up.  The job is lost, never silently: counted and explained. */
static void
test_client_gives_up (void)
{
  const gchar *yaml =
      "horizon: 1m\n"
      "platform:\n"
      "  clusters:\n"
      "    - {name: a, nodes: 1, cores: 8}\n"
      "    - {name: b, nodes: 1, cores: 8}\n"
      "workload: {generator: constant, jobs: 1, span: 1m, runtime: 10s, cores: 1,\n"
      "           memory_gb: 1, gpus: 0, walltime_factor: 1.0}\n"
      "network: {latency: 1ms}\n"
      "heartbeat: {enabled: false}\n"
      "clients: {timeout: 5s, backoff: 1s, give_up: 10s}\n"
      "scheduling: {mode: distributed}\n";
  g_autoptr (DmasConfig) config = load (yaml, "/");
  g_autoptr (DmasSim) sim = sim_new (config, "0s", &home_info);
  dmas_sim_schedule_crash (sim, 0, 0, DMAS_TIME_NONE);
  dmas_sim_schedule_crash (sim, 1, 0, DMAS_TIME_NONE);
  run_complete (sim);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_SUBMITTED);
  g_assert_nonnull (strstr (m->jobs[0].reason, "client gave up after 2"));
  g_assert_cmpuint (m->submission_retries, ==, 1);
  g_assert_cmpuint (m->submissions_given_up, ==, 1);
  g_assert_cmpuint (m->run_end, ==, 11 * DMAS_S);
  DmasMetricsSummary s;
  dmas_metrics_summarize (m, &s);
  g_assert_cmpuint (s.jobs_submitted, ==, 1);
  g_assert_cmpuint (s.jobs_lost, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/central/zero-latency-equals-direct", test_zero_latency_equals_direct);
  g_test_add_func ("/central/same-bidder-formula", test_same_bidder_formula);
  g_test_add_func ("/central/crash/without-ha", test_crash_without_ha);
  g_test_add_func ("/central/crash/with-ha", test_crash_with_ha);
  g_test_add_func ("/central/agent-crash/suspected", test_agent_crash_suspected);
  g_test_add_func ("/central/agent-crash/restart-reconciled", test_agent_restart_reconciled);
  g_test_add_func ("/central/crash/lost-finish-reconciled", test_lost_finish_reconciled);
  g_test_add_func ("/clients/distributed/retry-next-agent", test_client_retries_next_agent);
  g_test_add_func ("/clients/gives-up", test_client_gives_up);
  return g_test_run ();
}
