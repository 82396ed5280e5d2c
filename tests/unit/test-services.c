/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the host services: signatures, stable storage, validity and quorum availability. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/dmas.h>
#include "agents/host_api.h"
#include "agents/signature.h"
#include "agents/sim.h"
#include "agents/storage.h"
#include "metrics/metrics.h"
#include "metrics/summary.h"

/* ---- signatures, directly ---- */

static void
test_sign_round_trip (void)
{
  guint64 seed = g_test_rand_int ();
  g_autoptr (DmasSigner) signer = dmas_signer_new (seed, 3);
  const gchar data[] = "job 7 epoch 0 agent 1 score 0.5";
  guint8 sig[DMAS_SIG_SIZE], again[DMAS_SIG_SIZE], other[DMAS_SIG_SIZE];
  g_assert_cmpint (dmas_signer_sign (signer, 1, data, sizeof data, sig), ==, DMAS_OK);
  g_assert_cmpint (dmas_signer_verify (signer, 1, data, sizeof data, sig), ==, 1);
  /* Deterministic: the same agent signs the same bytes the same way. */
  g_assert_cmpint (dmas_signer_sign (signer, 1, data, sizeof data, again), ==, DMAS_OK);
  g_assert_cmpmem (sig, sizeof sig, again, sizeof again);
  /* Another agent's signature of the same data differs, and is not 1's. */
  g_assert_cmpint (dmas_signer_sign (signer, 2, data, sizeof data, other), ==, DMAS_OK);
  g_assert_true (memcmp (sig, other, sizeof sig) != 0);
  g_assert_cmpint (dmas_signer_verify (signer, 1, data, sizeof data, other), ==, 0);
  /* Empty data is signable too. */
  g_assert_cmpint (dmas_signer_sign (signer, 0, NULL, 0, again), ==, DMAS_OK);
  g_assert_cmpint (dmas_signer_verify (signer, 0, NULL, 0, again), ==, 1);
}

static void
test_sign_rejects (void)
{
  g_autoptr (DmasSigner) signer = dmas_signer_new (g_test_rand_int (), 3);
  guint8 data[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  guint8 sig[DMAS_SIG_SIZE];
  g_assert_cmpint (dmas_signer_sign (signer, 0, data, sizeof data, sig), ==, DMAS_OK);
  /* wrong signer */
  g_assert_cmpint (dmas_signer_verify (signer, 1, data, sizeof data, sig), ==, 0);
  /* modified data: every byte matters */
  for (guint i = 0; i < sizeof data; i++)
    {
      data[i] ^= 0x40;
      g_assert_cmpint (dmas_signer_verify (signer, 0, data, sizeof data, sig), ==, 0);
      data[i] ^= 0x40;
    }
  /* shorter data */
  g_assert_cmpint (dmas_signer_verify (signer, 0, data, sizeof data - 1, sig), ==, 0);
  /* modified signature */
  sig[DMAS_SIG_SIZE - 1] ^= 1;
  g_assert_cmpint (dmas_signer_verify (signer, 0, data, sizeof data, sig), ==, 0);
  sig[DMAS_SIG_SIZE - 1] ^= 1;
  g_assert_cmpint (dmas_signer_verify (signer, 0, data, sizeof data, sig), ==, 1);
  /* unknown signer */
  g_assert_cmpint (dmas_signer_verify (signer, 3, data, sizeof data, sig), ==, DMAS_ENOENT);
  g_assert_cmpint (dmas_signer_sign (signer, 3, data, sizeof data, sig), ==, DMAS_ENOENT);
}

/* The secrets come from the run seed: another seed, other signatures. */
static void
test_sign_seeded (void)
{
  guint64 seed = g_test_rand_int ();
  g_autoptr (DmasSigner) a = dmas_signer_new (seed, 2);
  g_autoptr (DmasSigner) b = dmas_signer_new (seed + 1, 2);
  guint8 sig[DMAS_SIG_SIZE];
  g_assert_cmpint (dmas_signer_sign (a, 0, "x", 1, sig), ==, DMAS_OK);
  g_assert_cmpint (dmas_signer_verify (b, 0, "x", 1, sig), ==, 0);
}

/* ---- storage, directly ---- */

static void
test_storage_put_get (void)
{
  g_autoptr (DmasStorage) st = dmas_storage_new ();
  gsize len = 99;
  g_assert_null (dmas_storage_get (st, "term", &len));
  g_assert_cmpuint (len, ==, 0);
  g_assert_cmpint (dmas_storage_put (st, "term", "\x03\x00", 2), ==, DMAS_OK);
  const guint8 *v = dmas_storage_get (st, "term", &len);
  g_assert_cmpmem (v, len, "\x03\x00", 2);
  /* replace */
  g_assert_cmpint (dmas_storage_put (st, "term", "abcd", 4), ==, DMAS_OK);
  v = dmas_storage_get (st, "term", &len);
  g_assert_cmpmem (v, len, "abcd", 4);
  /* an empty value is a value */
  g_assert_cmpint (dmas_storage_put (st, "vote", NULL, 0), ==, DMAS_OK);
  g_assert_nonnull (dmas_storage_get (st, "vote", &len));
  g_assert_cmpuint (len, ==, 0);
  /* other keys are untouched */
  v = dmas_storage_get (st, "term", &len);
  g_assert_cmpmem (v, len, "abcd", 4);
}

static void
test_storage_caps (void)
{
  g_autoptr (DmasStorage) st = dmas_storage_new ();
  g_autofree gchar *key_max = g_strnfill (DMAS_STORAGE_KEY_MAX, 'k');
  g_autofree gchar *key_long = g_strnfill (DMAS_STORAGE_KEY_MAX + 1, 'k');
  g_assert_cmpint (dmas_storage_put (st, key_max, "v", 1), ==, DMAS_OK);
  g_assert_cmpint (dmas_storage_put (st, key_long, "v", 1), ==, DMAS_EINVAL);
  g_assert_null (dmas_storage_get (st, key_long, NULL));
  g_assert_cmpint (dmas_storage_put (st, NULL, "v", 1), ==, DMAS_EINVAL);
  g_assert_cmpint (dmas_storage_put (st, "k", NULL, 1), ==, DMAS_EINVAL);
  /* The value cap is checked before anything is read: no 16 MB buffer needed for it. */
  g_assert_cmpint (dmas_storage_put (st, "k", "v", (gsize) DMAS_STORAGE_VALUE_MAX + 1), ==,
                   DMAS_EINVAL);
  g_assert_null (dmas_storage_get (st, "k", NULL));
  g_autofree guint8 *big = g_malloc0 (DMAS_STORAGE_VALUE_MAX);
  g_assert_cmpint (dmas_storage_put (st, "k", big, DMAS_STORAGE_VALUE_MAX), ==, DMAS_OK);
  gsize len = 0;
  g_assert_nonnull (dmas_storage_get (st, "k", &len));
  g_assert_cmpuint (len, ==, DMAS_STORAGE_VALUE_MAX);
}

static void
test_quorum_sizes (void)
{
  const struct { guint32 model; guint n, quorum; } cases[] = {
    { DMAS_FAULT_MODEL_NONE, 7, 1 },      { DMAS_FAULT_MODEL_CRASH, 1, 1 },
    { DMAS_FAULT_MODEL_CRASH, 2, 2 },     { DMAS_FAULT_MODEL_CRASH, 3, 2 },
    { DMAS_FAULT_MODEL_CRASH, 4, 3 },     { DMAS_FAULT_MODEL_CRASH, 7, 4 },
    { DMAS_FAULT_MODEL_BYZANTINE, 1, 1 }, { DMAS_FAULT_MODEL_BYZANTINE, 3, 1 },
    { DMAS_FAULT_MODEL_BYZANTINE, 4, 3 }, { DMAS_FAULT_MODEL_BYZANTINE, 6, 3 },
    { DMAS_FAULT_MODEL_BYZANTINE, 7, 5 }, { DMAS_FAULT_MODEL_BYZANTINE, 10, 7 },
    { 99, 5, 1 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (dmas_quorum_size (cases[i].model, cases[i].n), ==, cases[i].quorum);
  g_assert_cmpstr (dmas_fault_model_to_string (DMAS_FAULT_MODEL_NONE), ==, "none");
  g_assert_cmpstr (dmas_fault_model_to_string (DMAS_FAULT_MODEL_CRASH), ==, "crash");
  g_assert_cmpstr (dmas_fault_model_to_string (DMAS_FAULT_MODEL_BYZANTINE), ==, "byzantine");
}

/* ---- components compiled into the test ---- */

/* A bidder that fits or not, and persists the last job it bid for (as 1000 + id) to show that
 * the bidding and consensus storages of one agent are apart. */
static void *
keep_create (DmasCtx *ctx, DmasError *err)
{
  (void) err;
  size_t len = 0;
  const guint8 *v = ctx->api->restore (ctx, "last", &len);
  if (v != NULL)
    {
      g_assert_cmpuint (len, ==, 8);
      ctx->api->metric (ctx, "bidder_restored", (double) dmas_get_u64 (v));
    }
  return g_new0 (int, 1);
}

static void
keep_destroy (void *self)
{
  g_free (self);
}

static int
keep_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
          DmasBid *out, DmasError *err)
{
  (void) self, (void) err;
  guint8 v[8];
  dmas_put_u64 (v, 1000 + job->id);
  g_assert_cmpint (ctx->api->persist (ctx, "last", v, sizeof v), ==, DMAS_OK);
  out->score = job->cores <= cluster->cores_per_node ? 0.25 + 0.25 * cluster->agent : 0.0;
  return DMAS_OK;
}

static const DmasBiddingOps keep_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = keep_create, .destroy = keep_destroy, .bid = keep_bid,
};

static const DmasParamSpec no_params[] = { { NULL, 0, NULL, NULL } };

static const DmasComponentInfo keep_info = {
  .kind = DMAS_KIND_BIDDING, .name = "keep", .summary = "test", .plugin = "test",
  .version = "0", .file = "test", .api_major = 1, .api_minor = 1, .params = no_params,
  .ops = &keep_ops,
};

/* "home": the slot's home decides for its own bid and sends the decision, signed, to the
 * others, who verify it and decide the same.  With `lie`, the home names the next agent as
 * the winner with the home's own score: a bid that agent never placed. */
typedef struct {
  int lie;
} Home;

enum { HOME_DECIDED = 1, HOME_BODY = 28 };

static void *
home_create (DmasCtx *ctx, DmasError *err)
{
  (void) err;
  Home *self = g_new0 (Home, 1);
  g_assert_cmpint (ctx->api->param_bool (ctx, "lie", &self->lie), ==, DMAS_OK);
  size_t len = 0;
  const guint8 *v = ctx->api->restore (ctx, "last", &len);
  if (v != NULL)
    {
      g_assert_cmpuint (len, ==, 8);
      ctx->api->metric (ctx, "restored", (double) dmas_get_u64 (v));
    }
  g_assert_null (ctx->api->restore (ctx, "never-written", &len));
  g_assert_cmpuint (len, ==, 0);
  return self;
}

static void
home_destroy (void *self)
{
  g_free (self);
}

static void
home_encode (const DmasBid *bid, guint8 body[HOME_BODY])
{
  dmas_put_u64 (body, bid->job);
  dmas_put_u32 (body + 8, bid->agent);
  dmas_put_double (body + 12, bid->score);
  dmas_put_u32 (body + 20, 0);
  dmas_put_u32 (body + 24, 0);
}

static int
home_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Home *self = self_;
  guint8 v[8];
  dmas_put_u64 (v, slot->job);
  g_assert_cmpint (ctx->api->persist (ctx, "last", v, sizeof v), ==, DMAS_OK);
  if (slot->home != dmas_self (ctx))
    return DMAS_OK;
  DmasBid won = *bid;
  if (self->lie)
    won.agent = (bid->agent + 1) % dmas_n_agents (ctx);
  if (!(won.score > 0.0))
    won = (DmasBid){ .job = bid->job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  guint8 body[HOME_BODY + DMAS_SIG_SIZE];
  home_encode (&won, body);
  g_assert_cmpint (ctx->api->sign (ctx, body, HOME_BODY, body + HOME_BODY), ==, DMAS_OK);
  g_assert_cmpint (ctx->api->broadcast (ctx, HOME_DECIDED, body, sizeof body), ==, DMAS_OK);
  return ctx->api->decide (ctx, slot, &won);
}

static int
home_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body_,
                 size_t len)
{
  (void) self;
  guint8 body[HOME_BODY + DMAS_SIG_SIZE];
  g_assert_cmpuint (type, ==, HOME_DECIDED);
  g_assert_cmpuint (len, ==, sizeof body);
  memcpy (body, body_, sizeof body);
  const DmasAgentId others = (src + 1) % dmas_n_agents (ctx);
  ctx->api->metric (ctx, "sig_ok", ctx->api->verify (ctx, src, body, HOME_BODY,
                                                     body + HOME_BODY) == 1);
  ctx->api->metric (ctx, "sig_wrong_signer", ctx->api->verify (ctx, others, body, HOME_BODY,
                                                               body + HOME_BODY) == 1);
  ctx->api->metric (ctx, "sig_unknown_enoent",
                    ctx->api->verify (ctx, 99, body, HOME_BODY, body + HOME_BODY)
                        == DMAS_ENOENT);
  body[12] ^= 1;
  ctx->api->metric (ctx, "sig_tampered", ctx->api->verify (ctx, src, body, HOME_BODY,
                                                           body + HOME_BODY) == 1);
  body[12] ^= 1;
  /* Re-signing as ourselves gives a different signature: nobody can sign for src. */
  guint8 mine[DMAS_SIG_SIZE];
  g_assert_cmpint (ctx->api->sign (ctx, body, HOME_BODY, mine), ==, DMAS_OK);
  ctx->api->metric (ctx, "sig_forged", ctx->api->verify (ctx, src, body, HOME_BODY, mine) == 1);

  const DmasSlot slot = { .job = dmas_get_u64 (body), .epoch = 0, .home = src };
  const DmasBid won = { .job = slot.job, .agent = dmas_get_u32 (body + 8),
                        .score = dmas_get_double (body + 12) };
  return ctx->api->decide (ctx, &slot, &won);
}

static const DmasParamSpec home_params[] = {
  { "lie", DMAS_PARAM_BOOL, "false", "name the next agent as the winner" },
  { NULL, 0, NULL, NULL },
};

/* One info per fault model: the ops differ only there. */
typedef struct {
  DmasConsensusOps ops;
  DmasComponentInfo info;
} HomeComponent;

static void
home_component (HomeComponent *c, guint32 fault_model)
{
  c->ops = (DmasConsensusOps){
    .struct_size = sizeof (DmasConsensusOps),
    .create = home_create, .destroy = home_destroy, .propose = home_propose,
    .on_message = home_on_message, .fault_model = fault_model,
  };
  c->info = (DmasComponentInfo){
    .kind = DMAS_KIND_CONSENSUS, .name = "home", .summary = "test", .plugin = "test",
    .version = "0", .file = "test", .api_major = 1, .api_minor = 1, .params = home_params,
    .ops = &c->ops,
  };
}

/* ---- the run's config, written by hand ---- */

typedef struct {
  DmasConfig config;
  GArray *clusters;
} Setup;

static void
setup_init (Setup *s, guint jobs, guint n_clusters)
{
  memset (s, 0, sizeof *s);
  DmasConfig *c = &s->config;
  c->source = (gchar *) "test.yaml";
  c->name = (gchar *) "test";
  c->seed = g_test_rand_int ();
  c->horizon = 30 * DMAS_S;
  c->drain = TRUE;
  s->clusters = g_array_new (FALSE, TRUE, sizeof (DmasClusterSpec));
  static const gchar *const names[] = { "a", "b", "c", "d" };
  g_assert_cmpuint (n_clusters, <=, G_N_ELEMENTS (names));
  for (guint i = 0; i < n_clusters; i++)
    {
      const DmasClusterSpec spec = { (gchar *) names[i], (gchar *) "general", 1, 8, 16.0, 0,
                                     1.0 };
      g_array_append_val (s->clusters, spec);
    }
  c->platform.clusters = s->clusters;
  c->workload.generator = (gchar *) "constant";
  c->workload.jobs = jobs;
  c->workload.runtime = dmas_dist_constant (25 * DMAS_S);
  c->workload.walltime_factor = 1.0;
  c->workload.cores = dmas_dist_constant (4);
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
sim_new (const Setup *s, const HomeComponent *home, DmasNode *cons_params)
{
  g_autoptr (GError) error = NULL;
  DmasSim *sim = dmas_sim_new_with_components (&s->config, &keep_info, params (NULL, NULL),
                                               &home->info, cons_params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim);
  return sim;
}

/* Three jobs at 0, 10 and 20 s (homes 0, 1, 0) on two agents; each home decides for itself.
 * Every decision message is verified: right signer 1, wrong signer 0, unknown signer
 * DMAS_ENOENT, tampered data 0, the receiver's own signature passed off as the sender's 0.
 * Agent 1 crashes at 5 s (it proposed job 1 only) and restarts at 8 s: its new consensus
 * instance restores "last" = 1 and its new bidder 1001, each from its own kind's storage. */
static void
test_services_in_a_run (void)
{
  Setup s;
  setup_init (&s, 3, 2);
  HomeComponent home;
  home_component (&home, DMAS_FAULT_MODEL_NONE);
  g_autoptr (DmasSim) sim = sim_new (&s, &home, params (NULL, NULL));
  dmas_sim_schedule_crash (sim, 1, 5 * DMAS_S, 3 * DMAS_S);
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);

  const DmasMetrics *m = dmas_sim_metrics (sim);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (m->jobs[i].state, ==, DMAS_JOB_COMPLETED);
      g_assert_cmpuint (m->jobs[i].agent, ==, i % 2);
    }
  g_assert_cmpfloat (dmas_metrics_get (m, "sig_ok"), ==, 3.0);
  g_assert_cmpfloat (dmas_metrics_get (m, "sig_wrong_signer"), ==, 0.0);
  g_assert_cmpfloat (dmas_metrics_get (m, "sig_unknown_enoent"), ==, 3.0);
  g_assert_cmpfloat (dmas_metrics_get (m, "sig_tampered"), ==, 0.0);
  g_assert_cmpfloat (dmas_metrics_get (m, "sig_forged"), ==, 0.0);
  g_assert_cmpfloat (dmas_metrics_get (m, "restored"), ==, 1.0);
  g_assert_cmpfloat (dmas_metrics_get (m, "bidder_restored"), ==, 1001.0);
  /* Each agent's bidder and consensus persisted once per job: 12 values of 8 bytes. */
  g_assert_cmpuint (m->storage_writes, ==, 12);
  g_assert_cmpuint (m->storage_bytes, ==, 96);
  g_assert_cmpuint (m->safety_violations, ==, 0);
  g_assert_cmpuint (m->validity_violations, ==, 0);
  g_assert_cmpuint (m->decisions, ==, 3);
  g_array_unref (s.clusters);
}

/* A component of no agent (a fault's) can neither sign nor persist, but can verify. */
static void
test_services_unbound (void)
{
  Setup s;
  setup_init (&s, 1, 2);
  HomeComponent home;
  home_component (&home, DMAS_FAULT_MODEL_NONE);
  g_autoptr (DmasSim) sim = sim_new (&s, &home, params (NULL, NULL));
  DmasHostCtx *ctx = dmas_host_ctx_new_unbound (sim, &home.info, NULL, "test/unbound",
                                                "fault/test");
  const DmasHostApi *api = ctx->base.api;
  guint8 sig[DMAS_SIG_SIZE] = { 0 };
  g_assert_cmpint (api->sign (&ctx->base, "x", 1, sig), ==, DMAS_ESTATE);
  g_assert_cmpint (api->verify (&ctx->base, 0, "x", 1, sig), ==, 0);
  g_assert_cmpint (api->verify (&ctx->base, 2, "x", 1, sig), ==, DMAS_ENOENT);
  g_assert_cmpint (api->persist (&ctx->base, "k", "v", 1), ==, DMAS_ESTATE);
  size_t len = 5;
  g_assert_null (api->restore (&ctx->base, "k", &len));
  g_assert_cmpuint (len, ==, 0);
  dmas_host_ctx_free (ctx);
  g_array_unref (s.clusters);
}

/* A home that names the other agent with its own score: every slot is invalid, counted once
 * although both agents decide it; the decisions agree, so no safety violation. */
static void
test_validity_violations (void)
{
  Setup s;
  setup_init (&s, 3, 2);
  HomeComponent home;
  home_component (&home, DMAS_FAULT_MODEL_NONE);
  g_autoptr (DmasSim) sim = sim_new (&s, &home, params ("lie", "true"));
  dmas_sim_run (sim, 0.0, FALSE, NULL);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpuint (m->decisions, ==, 3);
  g_assert_cmpuint (m->validity_violations, ==, 3);
  g_assert_cmpuint (m->safety_violations, ==, 0);
  g_array_unref (s.clusters);
}

/* One job (home 0, on agent 0 from 1 ms to 25.001 s) on three agents; agent 1 is down from
 * 5 s to 15 s and agent 2 from 10 s to 20 s, so two agents are up except in [10 s, 15 s),
 * when only one is.  NONE needs one agent up: no outage.  CRASH needs floor(3/2)+1 = 2:
 * one outage, [10 s, 15 s).  BYZANTINE with n = 3 tolerates f = 0 and needs 1: no outage. */
static void
check_outages (guint32 model, guint expected_outages)
{
  Setup s;
  setup_init (&s, 1, 3);
  HomeComponent home;
  home_component (&home, model);
  g_autoptr (DmasSim) sim = sim_new (&s, &home, params (NULL, NULL));
  dmas_sim_schedule_crash (sim, 1, 5 * DMAS_S, 10 * DMAS_S);
  dmas_sim_schedule_crash (sim, 2, 10 * DMAS_S, 10 * DMAS_S);
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpuint (m->fault_model, ==, model);
  g_assert_cmpuint (m->service_outages->len, ==, expected_outages);
  DmasMetricsSummary sum;
  dmas_metrics_summarize (m, &sum);
  if (expected_outages == 1)
    {
      const DmasInterval *o = &g_array_index (m->service_outages, DmasInterval, 0);
      g_assert_cmpuint (o->start, ==, 10 * DMAS_S);
      g_assert_cmpuint (o->end, ==, 15 * DMAS_S);
      g_assert_cmpfloat (sum.service_outage_mean_s, ==, 5.0);
      g_assert_cmpfloat_with_epsilon (sum.availability,
                                      1.0 - 5.0 / dmas_time_to_s (m->run_end), 1e-12);
    }
  else
    {
      g_assert_cmpfloat (sum.availability, ==, 1.0);
      g_assert_cmpfloat (sum.service_outage_mean_s, ==, 0.0);
    }
  g_assert_cmpuint (sum.scheduler_failures, ==, expected_outages);
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_COMPLETED);

  const DmasSummaryInput in = { .status = DMAS_RUN_COMPLETE, .metrics = m };
  g_autofree gchar *json = dmas_summary_to_json (&in);
  g_autofree gchar *want = g_strdup_printf ("\"fault_model\" : \"%s\"",
                                            dmas_fault_model_to_string (model));
  g_assert_nonnull (strstr (json, want));
  g_assert_nonnull (strstr (json, "\"validity_violations\" : 0"));
  g_assert_nonnull (strstr (json, "\"storage_writes\" : "));
  g_array_unref (s.clusters);
}

static void
test_availability_none (void)
{
  check_outages (DMAS_FAULT_MODEL_NONE, 0);
}

static void
test_availability_crash (void)
{
  check_outages (DMAS_FAULT_MODEL_CRASH, 1);
}

static void
test_availability_byzantine (void)
{
  check_outages (DMAS_FAULT_MODEL_BYZANTINE, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/services/sign/round-trip", test_sign_round_trip);
  g_test_add_func ("/services/sign/rejects", test_sign_rejects);
  g_test_add_func ("/services/sign/seeded", test_sign_seeded);
  g_test_add_func ("/services/storage/put-get-replace", test_storage_put_get);
  g_test_add_func ("/services/storage/caps", test_storage_caps);
  g_test_add_func ("/services/quorum/sizes", test_quorum_sizes);
  g_test_add_func ("/services/run/sign-persist-crash", test_services_in_a_run);
  g_test_add_func ("/services/run/unbound-instance", test_services_unbound);
  g_test_add_func ("/services/run/validity-violations", test_validity_violations);
  g_test_add_func ("/services/availability/none", test_availability_none);
  g_test_add_func ("/services/availability/crash-quorum", test_availability_crash);
  g_test_add_func ("/services/availability/byzantine-quorum", test_availability_byzantine);
  return g_test_run ();
}
