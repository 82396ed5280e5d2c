/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of bidding/llm (pending bids, fallbacks, specialisations), scripted model. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "mock-host.h"

/* The mock host answers llm_request with DMAS_ESTATE (no model configured).  To drive the
 * bidder through a model, each test that needs one points its instances' contexts at a copy of
 * the mock's table whose llm_request records the request and waits: the test then answers it
 * (script_answer), as the real host does after the answer's virtual latency, or frees it
 * unanswered (script_drop: the instance was destroyed first).  Each request's free_fn runs
 * exactly once either way, like the real host's. */

typedef struct Script Script;

typedef struct {
  DmasCtx *ctx;
  DmasLlmReplyFn fn;
  void *data;
  DmasFreeFn free_fn;
  DmasAgentId agent;         /* the instance that asked (the cluster view's agent) */
  DmasJobId job;
  guint32 ask_size;
  gchar *template_name;
  gchar *specialisation;
  gboolean has_vars;
} Request;

struct Script {
  DmasHostApi api;           /* first: ctx->api points here, so the callbacks find the script */
  const DmasHostApi *mock;   /* the mock's own table */
  int request_status;        /* what llm_request answers: DMAS_OK queues the request */
  int bid_ready_status;      /* DMAS_OK: the mock's bid_ready; else answered without it */
  GPtrArray *pending;        /* Request*, in request order */
  guint n_requests;
  guint n_bid_ready_refused;
};

static Script *
script_of (DmasCtx *ctx)
{
  return (Script *) ctx->api;
}

static void
request_free (Request *r)
{
  g_free (r->template_name);
  g_free (r->specialisation);
  g_free (r);
}

static int
script_llm_request (DmasCtx *ctx, const DmasLlmAsk *ask, DmasLlmReplyFn fn, void *data,
                    DmasFreeFn free_fn)
{
  Script *s = script_of (ctx);
  s->n_requests++;
  if (s->request_status != DMAS_OK)
    return s->request_status;
  Request *r = g_new0 (Request, 1);
  r->ctx = ctx;
  r->fn = fn;
  r->data = data;
  r->free_fn = free_fn;
  r->agent = ask->cluster->agent;
  r->job = ask->job->id;
  r->ask_size = ask->struct_size;
  r->template_name = g_strdup (ask->template_name);
  r->specialisation = g_strdup (ask->specialisation);
  r->has_vars = ask->vars != NULL;
  g_ptr_array_add (s->pending, r);
  return DMAS_OK;
}

static int
script_bid_ready (DmasCtx *ctx, const DmasBid *bid)
{
  Script *s = script_of (ctx);
  if (s->bid_ready_status == DMAS_OK)
    return s->mock->bid_ready (ctx, bid);
  s->n_bid_ready_refused++;
  return s->bid_ready_status;
}

/* Points every bidding instance of `host` at the script's table (a copy of the mock's). */
static Script *
script_attach (MockHost *host)
{
  Script *s = g_new0 (Script, 1);
  DmasCtx *first = mock_host_ctx (host, 0, DMAS_KIND_BIDDING);
  g_assert_nonnull (first);
  s->mock = first->api;
  s->api = *first->api;
  s->api.llm_request = script_llm_request;
  s->api.bid_ready = script_bid_ready;
  s->pending = g_ptr_array_new ();
  for (guint a = 0; a < mock_host_n_agents (host); a++)
    mock_host_ctx (host, a, DMAS_KIND_BIDDING)->api = &s->api;
  return s;
}

static void
script_free (Script *s)
{
  g_assert_cmpuint (s->pending->len, ==, 0); /* every test answers or drops what it asked */
  g_ptr_array_unref (s->pending);
  g_free (s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Script, script_free)

/* Answers the oldest pending request with `result` (status, score, message), then frees it. */
static void
script_answer (Script *s, int status, double score, const char *message)
{
  g_assert_cmpuint (s->pending->len, >, 0);
  Request *r = g_ptr_array_steal_index (s->pending, 0);
  const DmasLlmResult result = {
    .struct_size = sizeof (DmasLlmResult),
    .status = status,
    .message = status == DMAS_OK ? "" : message,
    .job = status == DMAS_OK ? r->job : 0,
    .cluster = status == DMAS_OK ? "c" : NULL,
    .nodes = status == DMAS_OK ? 1 : 0,
    .score = status == DMAS_OK ? score : 0.0,
    .reasoning = status == DMAS_OK ? "fits" : NULL,
    .content = NULL,
  };
  r->fn (r->ctx, r->data, &result);
  if (r->free_fn != NULL)
    r->free_fn (r->data);
  request_free (r);
}

/* Frees every pending request unanswered, as the host does after destroying an instance. */
static void
script_drop_all (Script *s)
{
  while (s->pending->len > 0)
    {
      Request *r = g_ptr_array_steal_index (s->pending, 0);
      if (r->free_fn != NULL)
        r->free_fn (r->data);
      request_free (r);
    }
}

static const Request *
script_request (Script *s, guint i)
{
  g_assert_cmpuint (i, <, s->pending->len);
  return g_ptr_array_index (s->pending, i);
}

/* --- fixtures ------------------------------------------------------------------------------ */

static const DmasComponent *
component (const gchar *plugin, const gchar *name)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_BIDDING, plugin, name, &error);
  g_assert_no_error (error);
  return c;
}

static MockHost *
start (guint n, const gchar *const *params)
{
  g_autoptr (GError) error = NULL;
  MockHost *host = mock_host_new (n, 1);
  mock_host_start (host, component ("llm", "llm"), params, &error);
  g_assert_no_error (error);
  return host;
}

static DmasClusterView
cluster (DmasAgentId agent, DmasClusterType type, uint32_t cores, double memory_gb,
         uint32_t gpus)
{
  return (DmasClusterView){
    .agent = agent, .type = type, .nodes = 4, .cores_per_node = cores,
    .memory_gb_per_node = memory_gb, .gpus_per_node = gpus, .speed = 1.0, .free_nodes = 4,
  };
}

static DmasJob
job (DmasJobId id, uint32_t cores, double memory_gb, uint32_t gpus)
{
  return (DmasJob){
    .id = id, .nodes = 1, .cores = cores, .memory_gb = memory_gb, .gpus = gpus,
    .walltime = 60 * DMAS_S, .runtime = 30 * DMAS_S, .type = DMAS_JOB_HPC,
  };
}

static int
bid (MockHost *host, DmasAgentId agent, DmasJob j, DmasClusterView c, double *score)
{
  DmasBid b = { 0 };
  DmasError err = { 0, "" };
  int rc = mock_host_bid (host, agent, &j, &c, &b, &err);
  g_assert_cmpstr (err.message, ==, "");
  g_assert_cmpuint (b.job, ==, j.id);
  g_assert_cmpuint (b.agent, ==, agent);
  if (score != NULL)
    *score = b.score;
  return rc;
}

/* bidding/heuristic's score for the same job and cluster: the fallback must be its bits. */
static double
heuristic_score (DmasJob j, DmasClusterView c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MockHost) host = mock_host_new (c.agent + 1, 1);
  mock_host_start (host, component ("heuristic", "heuristic"), NULL, &error);
  g_assert_no_error (error);
  double score;
  g_assert_cmpint (bid (host, c.agent, j, c, &score), ==, DMAS_OK);
  return score;
}

static guint
log_count (MockHost *host, const gchar *needle)
{
  const GPtrArray *log = mock_host_log (host);
  guint n = 0;
  for (guint i = 0; i < log->len; i++)
    n += strstr (g_ptr_array_index (log, i), needle) != NULL;
  return n;
}

static const DmasBid *
ready (MockHost *host, DmasAgentId agent, guint i)
{
  const GArray *bids = mock_host_bids_ready (host, agent);
  g_assert_cmpuint (i, <, bids->len);
  return &g_array_index (bids, DmasBid, i);
}

/* --- tests --------------------------------------------------------------------------------- */

/* bid() asks and returns DMAS_PENDING; the answer's score arrives through bid_ready. */
static void
test_pending_flow (void)
{
  g_autoptr (MockHost) host = start (3, NULL);
  g_autoptr (Script) s = script_attach (host);
  DmasClusterView c = cluster (2, DMAS_CLUSTER_HPC, 16, 64.0, 0);
  g_assert_cmpint (bid (host, 2, job (7, 4, 8.0, 0), c, NULL), ==, DMAS_PENDING);
  g_assert_cmpint (bid (host, 2, job (8, 8, 8.0, 0), c, NULL), ==, DMAS_PENDING);
  g_assert_cmpuint (s->pending->len, ==, 2);
  const Request *r = script_request (s, 0);
  g_assert_cmpuint (r->job, ==, 7);
  g_assert_cmpuint (r->agent, ==, 2);
  g_assert_cmpuint (r->ask_size, ==, sizeof (DmasLlmAsk));
  g_assert_cmpstr (r->template_name, ==, "bid");
  g_assert_cmpstr (r->specialisation, ==, "compute");
  g_assert_false (r->has_vars);
  g_assert_cmpuint (mock_host_bids_ready (host, 2)->len, ==, 0);

  script_answer (s, DMAS_OK, 0.73, NULL);
  script_answer (s, DMAS_OK, 0.0, NULL); /* the model declines: a bid of 0, not a fallback */
  g_assert_cmpuint (mock_host_bids_ready (host, 2)->len, ==, 2);
  g_assert_cmpuint (ready (host, 2, 0)->job, ==, 7);
  g_assert_cmpuint (ready (host, 2, 0)->agent, ==, 2);
  g_assert_cmpfloat (ready (host, 2, 0)->score, ==, 0.73);
  g_assert_cmpuint (ready (host, 2, 1)->job, ==, 8);
  g_assert_cmpfloat (ready (host, 2, 1)->score, ==, 0.0);
  g_assert_cmpuint (mock_host_bids_ready (host, 0)->len, ==, 0);
  g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 0.0);
}

/* An invalid or failed answer: the heuristic's score, bit for bit, counted and logged with the
 * host's reason; fallback=zero bids 0. */
static void
test_fallback_on_bad_answer (void)
{
  const DmasJob j = job (11, 4, 8.0, 0);
  const DmasClusterView c = cluster (0, DMAS_CLUSTER_GPU, 8, 16.0, 2);
  const double expected = heuristic_score (j, c);
  g_assert_cmpfloat_with_epsilon (expected, 0.4 * 0.5 + 0.3 * 0.5 + 0.3 * 0.0, 1e-12);
  {
    g_autoptr (MockHost) host = start (1, NULL);
    g_autoptr (Script) s = script_attach (host);
    g_assert_cmpint (bid (host, 0, j, c, NULL), ==, DMAS_PENDING);
    g_assert_cmpint (bid (host, 0, j, c, NULL), ==, DMAS_PENDING);
    g_assert_cmpint (bid (host, 0, j, c, NULL), ==, DMAS_PENDING);
    script_answer (s, DMAS_EINVAL, 0.0, "score 1.5 is above the schema's maximum 1");
    script_answer (s, DMAS_EFAIL, 0.0, "HTTP 503 after 4 attempts");
    script_answer (s, DMAS_OK, 0.9, NULL);
    g_assert_cmpfloat (ready (host, 0, 0)->score, ==, expected);
    g_assert_cmpfloat (ready (host, 0, 1)->score, ==, expected);
    g_assert_cmpfloat (ready (host, 0, 2)->score, ==, 0.9);
    g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 2.0);
    g_assert_true (mock_host_log_contains (host, "info: llm: job 11: no usable answer (status "
                                                 "-1: score 1.5 is above the schema's maximum"));
    g_assert_true (mock_host_log_contains (host, "HTTP 503 after 4 attempts"));
  }
  {
    const gchar *const params[] = { "fallback=zero", NULL };
    g_autoptr (MockHost) host = start (1, params);
    g_autoptr (Script) s = script_attach (host);
    g_assert_cmpint (bid (host, 0, j, c, NULL), ==, DMAS_PENDING);
    script_answer (s, DMAS_EINVAL, 0.0, "not JSON");
    g_assert_cmpfloat (ready (host, 0, 0)->score, ==, 0.0);
    g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 1.0);
    g_assert_true (mock_host_log_contains (host, "zero fallback bid 0"));
  }
}

/* No model configured (the mock's own llm_request: DMAS_ESTATE): the fallback at once, each
 * bid counted, one warning per agent however many bids. */
static void
test_fallback_without_model (void)
{
  g_autoptr (MockHost) host = start (2, NULL);
  const DmasJob j = job (3, 2, 4.0, 0);
  const DmasClusterView c0 = cluster (0, DMAS_CLUSTER_GENERAL, 8, 32.0, 0);
  const DmasClusterView c1 = cluster (1, DMAS_CLUSTER_GENERAL, 4, 8.0, 0);
  double score;
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (bid (host, 0, j, c0, &score), ==, DMAS_OK);
      g_assert_cmpfloat (score, ==, heuristic_score (j, c0));
    }
  g_assert_cmpint (bid (host, 1, j, c1, &score), ==, DMAS_OK);
  g_assert_cmpfloat (score, ==, heuristic_score (j, c1));
  g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 4.0);
  g_assert_cmpuint (log_count (host, "warning: llm: no model answers"), ==, 2);
  g_assert_true (mock_host_log_contains (host, "configure one in the llm: section"));
  g_assert_cmpuint (mock_host_bids_ready (host, 0)->len, ==, 0);

  /* A request the host refuses for another reason falls back the same way. */
  g_autoptr (Script) s = script_attach (host);
  s->request_status = DMAS_EINVAL;
  g_assert_cmpint (bid (host, 1, j, c1, &score), ==, DMAS_OK);
  g_assert_cmpfloat (score, ==, heuristic_score (j, c1));
  g_assert_cmpuint (s->n_requests, ==, 1);
  g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 5.0);
  g_assert_cmpuint (log_count (host, "warning: llm: no model answers"), ==, 2);
}

/* auto: the specialisation follows the cluster type at each bid. */
static void
test_specialisation_auto (void)
{
  static const struct {
    DmasClusterType type;
    const char *expected;
  } cases[] = {
    { DMAS_CLUSTER_GPU, "gpu" },         { DMAS_CLUSTER_AI, "gpu" },
    { DMAS_CLUSTER_MEMORY, "memory" },   { DMAS_CLUSTER_STORAGE, "storage" },
    { DMAS_CLUSTER_HPC, "compute" },     { DMAS_CLUSTER_HYBRID, "general" },
    { DMAS_CLUSTER_GENERAL, "general" },
  };
  const gchar *const params[] = { "specialisation=auto", NULL };
  g_autoptr (MockHost) host = start (1, params);
  g_autoptr (Script) s = script_attach (host);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DmasClusterView c = cluster (0, cases[i].type, 8, 16.0, 1);
      g_assert_cmpint (bid (host, 0, job (i + 1, 1, 1.0, 0), c, NULL), ==, DMAS_PENDING);
      g_assert_cmpstr (script_request (s, 0)->specialisation, ==, cases[i].expected);
      script_answer (s, DMAS_OK, 0.5, NULL);
    }
}

/* One name for all agents; a comma list, the i-th for agent i (spaces allowed, auto allowed). */
static void
test_specialisation_lists (void)
{
  static const struct {
    const char *param;
    const char *expected[5];
  } cases[] = {
    { "specialisation=network", { "network", "network", "network", "network", "network" } },
    { "specialisation=gpu,memory,compute,storage,general",
      { "gpu", "memory", "compute", "storage", "general" } },
    { "specialisation= general , auto,network,gpu,memory",
      { "general", "storage", "network", "gpu", "memory" } },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const gchar *const params[] = { cases[k].param, NULL };
      g_autoptr (MockHost) host = start (5, params);
      g_autoptr (Script) s = script_attach (host);
      for (DmasAgentId a = 0; a < 5; a++)
        {
          DmasClusterView c = cluster (a, DMAS_CLUSTER_STORAGE, 8, 16.0, 0);
          g_assert_cmpint (bid (host, a, job (1, 1, 1.0, 0), c, NULL), ==, DMAS_PENDING);
          g_assert_cmpstr (script_request (s, 0)->specialisation, ==, cases[k].expected[a]);
          script_answer (s, DMAS_OK, 0.5, NULL);
        }
    }
}

/* Bad parameters: create() fails and names the parameter and what to write instead. */
static void
test_bad_parameters (void)
{
  const gchar *const cases[][2] = {
    { "specialisation=gpux", "parameter specialisation: entry 1 of \"gpux\" is not a "
                             "specialisation; use auto, gpu, memory" },
    { "specialisation=gpu,memory", "parameter specialisation \"gpu,memory\" lists 2 names for 3 "
                                   "agents" },
    { "specialisation=gpu,,memory", "entry 2 of \"gpu,,memory\"" },
    { "specialisation=", "entry 1 of \"\"" },
    { "specialisation=GPU", "entry 1 of \"GPU\"" },
    { "template=../bid", "parameter template \"../bid\" is not a template name" },
    { "template=", "parameter template \"\" is not a template name" },
    { "template=bid_with_a_name_of_sixty_five_characters_which_is_one_too_long_xy",
      "(at most 64 letters" },
    { "fallback=random", "parameter fallback \"random\" is not a fallback; use heuristic" },
  };
  g_autoptr (GError) error = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MockHost) host = mock_host_new (3, 1);
      const gchar *const params[] = { cases[i][0], NULL };
      g_assert_false (mock_host_start (host, component ("llm", "llm"), params, &error));
      g_assert_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_CREATE);
      if (strstr (error->message, cases[i][1]) == NULL)
        g_error ("case %s: \"%s\" does not contain \"%s\"", cases[i][0], error->message,
                 cases[i][1]);
      g_clear_error (&error);
    }
}

/* A host older than ABI 1.3 has no llm_request: create() refuses it before reading anything. */
static void
test_old_host (void)
{
  g_autoptr (MockHost) host = start (1, NULL);
  DmasCtx *ctx = mock_host_ctx (host, 0, DMAS_KIND_BIDDING);
  const DmasHostApi *real = ctx->api;
  const DmasBiddingOps *ops = component ("llm", "llm")->ops;

  DmasHostApi old = *real;
  old.abi_minor = 2;
  old.llm_request = NULL;
  ctx->api = &old;
  DmasError err = { 0, "" };
  g_assert_null (ops->create (ctx, &err));
  g_assert_cmpint (err.code, ==, DMAS_ESTATE);
  g_assert_nonnull (strstr (err.message, "needs a dmas host with ABI >= 1.3 (this one has "
                                         "1.2)"));

  /* A table that claims 1.3 but ends before llm_request is refused too. */
  old = *real;
  old.struct_size = (uint32_t) offsetof (DmasHostApi, llm_request);
  err = (DmasError){ 0, "" };
  g_assert_null (ops->create (ctx, &err));
  g_assert_nonnull (strstr (err.message, "needs a dmas host with ABI >= 1.3"));
  ctx->api = real;
}

/* The instance is destroyed while its model thinks: the request's data is freed once,
 * afterwards, without the instance (AddressSanitizer builds check the "without"). */
static void
test_destroy_in_flight (void)
{
  g_autoptr (MockHost) host = start (2, NULL);
  g_autoptr (Script) s = script_attach (host);
  DmasClusterView c = cluster (1, DMAS_CLUSTER_MEMORY, 8, 512.0, 0);
  g_assert_cmpint (bid (host, 1, job (5, 4, 256.0, 0), c, NULL), ==, DMAS_PENDING);
  g_assert_cmpint (bid (host, 0, job (5, 4, 256.0, 0), c, NULL), ==, DMAS_PENDING);
  g_assert_nonnull (script_request (s, 0)->free_fn);
  mock_host_stop (host, DMAS_KIND_BIDDING);
  script_drop_all (s);
  g_assert_cmpuint (mock_host_bids_ready (host, 0)->len, ==, 0);
  g_assert_cmpuint (mock_host_bids_ready (host, 1)->len, ==, 0);
  g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 0.0);
}

/* A job the cluster can never fit: 0 at once, no call; ask_infeasible=true asks anyway, and a
 * (compromised) model's claim is passed on as it is: the host already decided to trust it. */
static void
test_infeasible (void)
{
  const DmasJob gpu_job = job (9, 4, 8.0, 1);
  const DmasJob big_job = job (10, 64, 8.0, 0);
  const DmasClusterView c = cluster (0, DMAS_CLUSTER_STORAGE, 16, 64.0, 0);
  {
    g_autoptr (MockHost) host = start (1, NULL);
    g_autoptr (Script) s = script_attach (host);
    double score = -1.0;
    g_assert_cmpint (bid (host, 0, gpu_job, c, &score), ==, DMAS_OK);
    g_assert_cmpfloat (score, ==, 0.0);
    g_assert_cmpint (bid (host, 0, big_job, c, &score), ==, DMAS_OK);
    g_assert_cmpfloat (score, ==, 0.0);
    g_assert_cmpuint (s->n_requests, ==, 0);
    g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 0.0);
  }
  {
    const gchar *const params[] = { "ask_infeasible=true", NULL };
    g_autoptr (MockHost) host = start (1, params);
    g_autoptr (Script) s = script_attach (host);
    g_assert_cmpint (bid (host, 0, gpu_job, c, NULL), ==, DMAS_PENDING);
    g_assert_cmpint (bid (host, 0, big_job, c, NULL), ==, DMAS_PENDING);
    script_answer (s, DMAS_OK, 1.0, NULL);               /* a lie the host let through */
    script_answer (s, DMAS_EINVAL, 0.0, "nodes exceed"); /* fallback: still 0 when infeasible */
    g_assert_cmpfloat (ready (host, 0, 0)->score, ==, 1.0);
    g_assert_cmpfloat (ready (host, 0, 1)->score, ==, 0.0);
    g_assert_cmpfloat (mock_host_metric (host, "llm_fallbacks"), ==, 1.0);
  }
}

/* bid_ready answering DMAS_ESTATE (the slot moved on) is expected, not an error. */
static void
test_slot_moved_on (void)
{
  g_autoptr (MockHost) host = start (1, NULL);
  g_autoptr (Script) s = script_attach (host);
  DmasClusterView c = cluster (0, DMAS_CLUSTER_HPC, 8, 16.0, 0);
  g_assert_cmpint (bid (host, 0, job (4, 2, 2.0, 0), c, NULL), ==, DMAS_PENDING);
  g_assert_cmpint (bid (host, 0, job (5, 2, 2.0, 0), c, NULL), ==, DMAS_PENDING);
  s->bid_ready_status = DMAS_ESTATE;
  script_answer (s, DMAS_OK, 0.4, NULL);
  s->bid_ready_status = DMAS_ENOENT;
  script_answer (s, DMAS_OK, 0.4, NULL);
  g_assert_cmpuint (s->n_bid_ready_refused, ==, 2);
  g_assert_cmpuint (log_count (host, "bid_ready refused"), ==, 1);
  g_assert_true (mock_host_log_contains (host, "llm: job 5: bid_ready refused the bid (status "
                                               "-3)"));
}

/* Invalid input is refused like every shipped bidder refuses it, without a call. */
static void
test_invalid_input (void)
{
  g_autoptr (MockHost) host = start (1, NULL);
  g_autoptr (Script) s = script_attach (host);
  DmasJob j = job (6, 1, 1.0, 0);
  j.nodes = 0;
  DmasClusterView c = cluster (0, DMAS_CLUSTER_HPC, 8, 16.0, 0);
  DmasBid b = { 0 };
  DmasError err = { 0, "" };
  g_assert_cmpint (mock_host_bid (host, 0, &j, &c, &b, &err), ==, DMAS_EINVAL);
  g_assert_nonnull (strstr (err.message, "llm: job 6 has an invalid request"));
  g_assert_cmpuint (s->n_requests, ==, 0);
}

/* The shipped prompt templates (configs/prompts, owned with this bidder): every placeholder
 * is one the host fills, and bid.txt has the two lines the loopback mock server's default
 * responder reads (tests/llm/mock-replies.c). */
static void
test_shipped_prompts (void)
{
  static const char *const known[] = {
    "job_id", "job_nodes", "job_cores", "job_memory_gb", "job_gpus", "job_walltime_s",
    "job_type", "cluster_name", "cluster_type", "cluster_nodes", "cluster_cores",
    "cluster_memory_gb", "cluster_gpus", "cluster_speed", "free_nodes", "queued_jobs",
    "running_jobs", "used_cores", "specialisation", "schema",
  };
  static const char *const files[] = { "system.txt", "bid.txt", "compromised.txt" };
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");
  if (srcdir == NULL || *srcdir == '\0')
    srcdir = DMAS_ABS_SRCDIR;
  g_autoptr (GRegex) placeholder = g_regex_new ("{{ *([A-Za-z0-9_]*) *}}", 0, 0, NULL);
  guint seen_schema = 0;
  for (gsize f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree gchar *path = g_build_filename (srcdir, "configs", "prompts", files[f], NULL);
      g_autofree gchar *text = NULL;
      g_autoptr (GError) error = NULL;
      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_autoptr (GMatchInfo) m = NULL;
      guint n = 0;
      for (g_regex_match (placeholder, text, 0, &m); g_match_info_matches (m);
           g_match_info_next (m, NULL))
        {
          g_autofree gchar *name = g_match_info_fetch (m, 1);
          gboolean ok = FALSE;
          for (gsize k = 0; k < G_N_ELEMENTS (known); k++)
            ok |= strcmp (name, known[k]) == 0;
          if (!ok)
            g_error ("%s: unknown placeholder {{%s}}", path, name);
          seen_schema += strcmp (name, "schema") == 0;
          n++;
        }
      /* Every "{{" opens a placeholder the pattern above matched (the host refuses others). */
      guint opens = 0;
      for (const gchar *p = strstr (text, "{{"); p != NULL; p = strstr (p + 2, "{{"))
        opens++;
      g_assert_cmpuint (opens, ==, n);
      if (strcmp (files[f], "bid.txt") == 0)
        {
          g_assert_nonnull (strstr (text, "\nJob id: {{job_id}}\n"));
          g_assert_nonnull (strstr (text, "\nYour cluster: {{cluster_name}}\n"));
          g_assert_nonnull (strstr (text, "{{specialisation}}"));
        }
    }
  g_assert_cmpuint (seen_schema, ==, 1); /* the system message carries the schema */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/llm-bidder/pending/bid-ready", test_pending_flow);
  g_test_add_func ("/llm-bidder/fallback/bad-answer", test_fallback_on_bad_answer);
  g_test_add_func ("/llm-bidder/fallback/no-model", test_fallback_without_model);
  g_test_add_func ("/llm-bidder/specialisation/auto", test_specialisation_auto);
  g_test_add_func ("/llm-bidder/specialisation/lists", test_specialisation_lists);
  g_test_add_func ("/llm-bidder/api/bad-parameters", test_bad_parameters);
  g_test_add_func ("/llm-bidder/api/old-host", test_old_host);
  g_test_add_func ("/llm-bidder/destroy/in-flight", test_destroy_in_flight);
  g_test_add_func ("/llm-bidder/infeasible/short-cut", test_infeasible);
  g_test_add_func ("/llm-bidder/bid-ready/slot-moved-on", test_slot_moved_on);
  g_test_add_func ("/llm-bidder/api/invalid-input", test_invalid_input);
  g_test_add_func ("/llm-bidder/prompts/placeholders", test_shipped_prompts);
  return g_test_run ();
}
