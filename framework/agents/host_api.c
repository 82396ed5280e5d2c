/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DmasHostApi table over the engine, the network and the metrics, and the op wrappers. */
#include "config.h"

#include <string.h>

#include <dmas/plugin.h>

#include "agents/byzantine-hooks.h"
#include "agents/faults.h"
#include "agents/host-llm.h"
#include "agents/host_api.h"
#include "agents/sim-private.h"
#include "agents/signature.h"
#include "agents/storage.h"
#include "world/events.h"

static inline DmasHostCtx *
host (DmasCtx *ctx)
{
  return (DmasHostCtx *) ctx;
}

/* The agent an instance belongs to; DMAS_AGENT_NONE for a fault component's. */
static inline DmasAgentId
ctx_agent (const DmasHostCtx *h)
{
  return h->agent != NULL ? h->agent->id : DMAS_AGENT_NONE;
}

/* ---- identity ---- */

static DmasAgentId
api_self_id (DmasCtx *ctx)
{
  return ctx_agent (host (ctx));
}

static uint32_t
api_n_agents (DmasCtx *ctx)
{
  return host (ctx)->sim->n_agents;
}

static const DmasAgentId *
api_members (DmasCtx *ctx, uint32_t *n_out)
{
  DmasSim *sim = host (ctx)->sim;
  if (n_out != NULL)
    *n_out = sim->n_agents;
  return sim->members;
}

/* ---- time and timers ---- */

static DmasTime
api_now (DmasCtx *ctx)
{
  return dmas_engine_now (host (ctx)->sim->engine);
}

typedef struct {
  DmasHostCtx *ctx;
  DmasTimerId id;
  DmasEventId event;
  DmasTimerFn fn;
  void *data;
  DmasFreeFn free_fn;
  GList link; /* in ctx->timers */
} Timer;

static void
timer_forget (DmasHostCtx *ctx, Timer *timer)
{
  g_queue_unlink (&ctx->timers, &timer->link);
  g_hash_table_remove (ctx->timer_index, &timer->id);
}

static void
timer_release (Timer *timer)
{
  if (timer->free_fn != NULL)
    timer->free_fn (timer->data);
  g_free (timer);
}

/* The engine event carries the Timer but has no free function: the context owns pending
 * timers, so that cancel and destroy can run free_fn right away rather than at pop time. */
static void
on_timer (DmasEngine *engine, gpointer data)
{
  Timer *timer = data;
  DmasHostCtx *ctx = timer->ctx;
  (void) engine;

  /* Forgotten before the callback: cancelling itself from inside fn answers DMAS_ENOENT. */
  timer_forget (ctx, timer);
  timer->fn (&ctx->base, timer->data);
  timer_release (timer);
}

static DmasTimerId
api_timer_add (DmasCtx *ctx, DmasTime delay, DmasTimerFn fn, void *data, DmasFreeFn free_fn)
{
  DmasHostCtx *h = host (ctx);
  DmasEngine *engine = h->sim->engine;
  g_return_val_if_fail (fn != NULL, 0);

  DmasTime now = dmas_engine_now (engine);
  DmasTime at = delay > G_MAXUINT64 - now ? G_MAXUINT64 - 1 : now + delay;
  Timer *timer = g_new0 (Timer, 1);
  timer->ctx = h;
  timer->id = ++h->next_timer;
  timer->fn = fn;
  timer->data = data;
  timer->free_fn = free_fn;
  timer->link.data = timer;
  /* A fault's timer runs before the messages and timers of its instant: a crash at t hides
   * from the crashed agent whatever would have reached it at t. */
  DmasEventClass cls = h->kind == DMAS_KIND_FAULT ? DMAS_EV_FAULT : DMAS_EV_TIMER;
  timer->event = dmas_engine_schedule (engine, at, cls, DMAS_WEV_TIMER, ctx_agent (h), on_timer,
                                       timer, NULL);
  g_queue_push_tail_link (&h->timers, &timer->link);
  g_hash_table_insert (h->timer_index, &timer->id, &timer->link);
  return timer->id;
}

static int
api_timer_cancel (DmasCtx *ctx, DmasTimerId id)
{
  DmasHostCtx *h = host (ctx);
  GList *link = g_hash_table_lookup (h->timer_index, &id);
  if (link == NULL)
    return DMAS_ENOENT;
  Timer *timer = link->data;
  dmas_engine_cancel (h->sim->engine, timer->event);
  timer_forget (h, timer);
  timer_release (timer);
  return DMAS_OK;
}

/* ---- messages ---- */

/* Only kinds with an on_message op can receive, so only they may send. */
static int
check_sender (DmasHostCtx *h)
{
  if (h->kind != DMAS_KIND_CONSENSUS)
    {
      dmas_sim_log (h->sim, ctx_agent (h), "%s: send refused: only consensus components "
                    "exchange messages", h->label);
      return DMAS_ESTATE;
    }
  return DMAS_OK;
}

static int
api_send (DmasCtx *ctx, DmasAgentId to, uint32_t type, const void *body, size_t len)
{
  DmasHostCtx *h = host (ctx);
  int status = check_sender (h);
  if (status != DMAS_OK)
    return status;
  /* The network has endpoints after the agents (clients, controllers): not for plugins. */
  if (to >= h->sim->n_agents)
    return DMAS_ENOENT;
  return dmas_byz_send (h, to, type, body, len);
}

static int
api_multicast (DmasCtx *ctx, const DmasAgentId *to, uint32_t n, uint32_t type, const void *body,
               size_t len)
{
  DmasHostCtx *h = host (ctx);
  int status = check_sender (h);
  if (status != DMAS_OK)
    return status;
  /* All or nothing: a bad id anywhere sends to nobody. */
  for (uint32_t i = 0; i < n; i++)
    if (to[i] >= h->sim->n_agents)
      return DMAS_ENOENT;
  for (uint32_t i = 0; i < n && status == DMAS_OK; i++)
    status = dmas_byz_send (h, to[i], type, body, len);
  return status;
}

static int
api_broadcast (DmasCtx *ctx, uint32_t type, const void *body, size_t len)
{
  DmasHostCtx *h = host (ctx);
  int status = check_sender (h);
  for (DmasAgentId to = 0; to < h->sim->n_agents && status == DMAS_OK; to++)
    if (to != h->agent->id)
      status = dmas_byz_send (h, to, type, body, len);
  return status;
}

/* ---- outcomes ---- */

static int
api_decide (DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  DmasHostCtx *h = host (ctx);
  if (h->kind != DMAS_KIND_CONSENSUS || slot == NULL || bid == NULL)
    return h->kind != DMAS_KIND_CONSENSUS ? DMAS_ESTATE : DMAS_EINVAL;
  if (dmas_byz_is_twin (h))
    return dmas_byz_twin_decide (h, slot, bid);
  return dmas_agent_decide (h->agent, slot, bid);
}

static int
api_bid_ready (DmasCtx *ctx, const DmasBid *bid)
{
  DmasHostCtx *h = host (ctx);
  if (h->kind != DMAS_KIND_BIDDING || bid == NULL)
    return h->kind != DMAS_KIND_BIDDING ? DMAS_ESTATE : DMAS_EINVAL;
  /* In centralized mode the bidders are the controller's, one per cluster. */
  if (h->sim->central != NULL && dmas_central_owns_ctx (h->sim->central, h))
    return dmas_central_bid_ready (h->sim->central, h, bid);
  return dmas_agent_bid_ready (h->agent, bid);
}

/* ---- randomness ---- */

static uint64_t
api_rng_u64 (DmasCtx *ctx)
{
  GRand *rng = host (ctx)->rng;
  guint64 hi = g_rand_int (rng);
  return (hi << 32) | g_rand_int (rng);
}

static double
api_rng_double (DmasCtx *ctx)
{
  return g_rand_double (host (ctx)->rng);
}

/* ---- observability ---- */

static void
api_log (DmasCtx *ctx, DmasLogLevel level, const char *message)
{
  static const gchar *const names[] = { "error", "warning", "info", "debug" };
  DmasHostCtx *h = host (ctx);
  const gchar *name = (guint) level < G_N_ELEMENTS (names) ? names[level] : "debug";
  /* Errors and warnings are for the user; info and debug only on request. */
  GLogLevelFlags glevel = level <= DMAS_LOG_WARNING ? G_LOG_LEVEL_MESSAGE : G_LOG_LEVEL_DEBUG;
  dmas_sim_log_at (h->sim, glevel, ctx_agent (h), "%s: %s: %s", h->label, name,
                   message != NULL ? message : "(null)");
}

static void
api_metric (DmasCtx *ctx, const char *name, double value)
{
  if (name == NULL || *name == '\0')
    return;
  dmas_metrics_add (host (ctx)->sim->metrics, name, value);
}

/* ---- parameters ---- */

/* The value of declared parameter `name` if its declared type is `type`. */
static int
param_text (DmasHostCtx *h, const char *name, DmasParamType type, const gchar **out)
{
  const DmasParamSpec *spec = NULL;
  for (const DmasParamSpec *p = h->info->params; p != NULL && p->name != NULL; p++)
    if (strcmp (p->name, name) == 0)
      spec = p;
  if (spec == NULL)
    return DMAS_ENOENT;
  if (spec->type != type)
    return DMAS_EINVAL;
  const DmasNode *node = h->params != NULL ? dmas_node_get (h->params, name) : NULL;
  /* The registry resolved every declared parameter; the default covers a missing node. */
  *out = node != NULL && node->kind == DMAS_NODE_SCALAR ? node->scalar : spec->default_value;
  return *out != NULL ? DMAS_OK : DMAS_EINVAL;
}

static int
api_param_int (DmasCtx *ctx, const char *name, int64_t *out)
{
  const gchar *text;
  int status = param_text (host (ctx), name, DMAS_PARAM_INT, &text);
  gint64 v;
  if (status != DMAS_OK)
    return status;
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
    return DMAS_EINVAL;
  *out = v;
  return DMAS_OK;
}

static int
api_param_double (DmasCtx *ctx, const char *name, double *out)
{
  const gchar *text;
  int status = param_text (host (ctx), name, DMAS_PARAM_DOUBLE, &text);
  gchar *end = NULL;
  if (status != DMAS_OK)
    return status;
  gdouble v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return DMAS_EINVAL;
  *out = v;
  return DMAS_OK;
}

static int
api_param_bool (DmasCtx *ctx, const char *name, int *out)
{
  static const gchar *const yes[] = { "true", "yes", "on", "1" };
  static const gchar *const no[] = { "false", "no", "off", "0" };
  const gchar *text;
  int status = param_text (host (ctx), name, DMAS_PARAM_BOOL, &text);
  if (status != DMAS_OK)
    return status;
  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        return (*out = 1), DMAS_OK;
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        return (*out = 0), DMAS_OK;
    }
  return DMAS_EINVAL;
}

static int
api_param_string (DmasCtx *ctx, const char *name, const char **out)
{
  return param_text (host (ctx), name, DMAS_PARAM_STRING, out);
}

static int
api_param_duration (DmasCtx *ctx, const char *name, DmasTime *out)
{
  const gchar *text;
  int status = param_text (host (ctx), name, DMAS_PARAM_DURATION, &text);
  guint64 ns;
  if (status != DMAS_OK)
    return status;
  if (!dmas_parse_duration (text, &ns, NULL))
    return DMAS_EINVAL;
  *out = ns;
  return DMAS_OK;
}

/* ---- faults (the checks and the work are in faults.c) ---- */

static int
api_fault_crash (DmasCtx *ctx, DmasAgentId agent)
{
  return dmas_faults_crash (host (ctx), agent);
}

static int
api_fault_restart (DmasCtx *ctx, DmasAgentId agent)
{
  return dmas_faults_restart (host (ctx), agent);
}

static int
api_agent_up (DmasCtx *ctx, DmasAgentId agent)
{
  return dmas_faults_agent_up (host (ctx), agent);
}

static int
api_fault_link_add (DmasCtx *ctx, const DmasLinkFault *fault, uint64_t *id_out)
{
  return dmas_faults_link_add (host (ctx), fault, (guint64 *) id_out);
}

static int
api_fault_link_remove (DmasCtx *ctx, uint64_t id)
{
  return dmas_faults_link_remove (host (ctx), id);
}

static int
api_fault_partition (DmasCtx *ctx, const uint8_t *reach, uint32_t n, DmasAgentId with,
                     uint64_t *id_out)
{
  return dmas_faults_partition (host (ctx), reach, n, with, (guint64 *) id_out);
}

static int
api_fault_heal (DmasCtx *ctx, uint64_t id)
{
  return dmas_faults_heal (host (ctx), id);
}

static int
api_fault_degrade (DmasCtx *ctx, DmasAgentId agent, double factor)
{
  return dmas_faults_degrade (host (ctx), agent, factor);
}

static int
api_fault_byzantine (DmasCtx *ctx, DmasAgentId agent, const DmasByzantine *behaviour)
{
  return dmas_faults_byzantine (host (ctx), agent, behaviour);
}

static int
api_accuse (DmasCtx *ctx, DmasAgentId agent)
{
  return dmas_host_accuse (host (ctx), agent);
}

static int
api_bid_plausible (DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  return dmas_host_bid_plausible (host (ctx), slot, bid);
}

/* ---- signatures and stable storage (agents/signature.h, agents/storage.h) ---- */

/* The agent whose identity and storage an instance uses: none for a fault component's, nor
 * for the centralized controller's bidders (they act for the controller, not the cluster
 * they evaluate). */
static DmasAgent *
acting_agent (const DmasHostCtx *h)
{
  if (h->agent == NULL || g_strcmp0 (h->sim->config->scheduling.mode, "centralized") == 0)
    return NULL;
  return h->agent;
}

static int
api_sign (DmasCtx *ctx, const void *data, size_t len, uint8_t sig[DMAS_SIG_SIZE])
{
  DmasHostCtx *h = host (ctx);
  DmasAgent *agent = acting_agent (h);
  if (agent == NULL)
    return DMAS_ESTATE;
  if ((data == NULL && len > 0) || sig == NULL)
    return DMAS_EINVAL;
  return dmas_signer_sign (h->sim->signer, agent->id, data, len, sig);
}

static int
api_verify (DmasCtx *ctx, DmasAgentId signer, const void *data, size_t len,
            const uint8_t sig[DMAS_SIG_SIZE])
{
  DmasHostCtx *h = host (ctx);
  if (signer >= h->sim->n_agents)
    return DMAS_ENOENT;
  if ((data == NULL && len > 0) || sig == NULL)
    return DMAS_EINVAL;
  return dmas_signer_verify (h->sim->signer, signer, data, len, sig);
}

static int
api_persist (DmasCtx *ctx, const char *key, const void *data, size_t len)
{
  DmasHostCtx *h = host (ctx);
  DmasAgent *agent = acting_agent (h);
  if (agent == NULL)
    return DMAS_ESTATE;
  int status = dmas_storage_put (dmas_byz_storage (h), key, data, len);
  if (status == DMAS_OK)
    {
      h->sim->metrics->storage_writes++;
      h->sim->metrics->storage_bytes += len;
    }
  return status;
}

static const void *
api_restore (DmasCtx *ctx, const char *key, size_t *len_out)
{
  DmasHostCtx *h = host (ctx);
  DmasAgent *agent = acting_agent (h);
  gsize len = 0;
  const void *data = agent != NULL ? dmas_storage_get (dmas_byz_storage (h), key, &len) : NULL;
  if (len_out != NULL)
    *len_out = len;
  return data;
}

static const DmasHostApi host_api = {
  .struct_size = sizeof (DmasHostApi),
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .self_id = api_self_id,
  .n_agents = api_n_agents,
  .members = api_members,
  .now = api_now,
  .timer_add = api_timer_add,
  .timer_cancel = api_timer_cancel,
  .send = api_send,
  .multicast = api_multicast,
  .broadcast = api_broadcast,
  .decide = api_decide,
  .bid_ready = api_bid_ready,
  .rng_u64 = api_rng_u64,
  .rng_double = api_rng_double,
  .log = api_log,
  .metric = api_metric,
  .param_int = api_param_int,
  .param_double = api_param_double,
  .param_bool = api_param_bool,
  .param_string = api_param_string,
  .param_duration = api_param_duration,
  .fault_crash = api_fault_crash,
  .fault_restart = api_fault_restart,
  .agent_up = api_agent_up,
  .sign = api_sign,
  .verify = api_verify,
  .persist = api_persist,
  .restore = api_restore,
  .fault_link_add = api_fault_link_add,
  .fault_link_remove = api_fault_link_remove,
  .fault_partition = api_fault_partition,
  .fault_heal = api_fault_heal,
  .fault_degrade = api_fault_degrade,
  .fault_byzantine = api_fault_byzantine,
  .accuse = api_accuse,
  .llm_request = dmas_host_llm_request,
  .secret = dmas_host_secret,
  .bid_plausible = api_bid_plausible,
};

const DmasHostApi *
dmas_host_api (void)
{
  return &host_api;
}

/* ---- contexts ---- */

DmasHostCtx *
dmas_host_ctx_new (DmasSim *sim, DmasAgent *agent, const DmasComponentInfo *info,
                   const DmasNode *params)
{
  DmasHostCtx *ctx = g_new0 (DmasHostCtx, 1);
  ctx->base.api = &host_api;
  ctx->sim = sim;
  ctx->agent = agent;
  ctx->kind = info->kind;
  ctx->info = info;
  ctx->label = g_strdup_printf ("%s/%s", dmas_kind_to_string (info->kind), info->name);
  ctx->params = params;
  /* Named by agent and kind, not component: swapping the consensus protocol leaves the
   * bidders' streams, and every other agent's, untouched. */
  g_autofree gchar *stream = g_strdup_printf ("agent/%u/%s", agent->id,
                                              dmas_kind_to_string (info->kind));
  ctx->rng = dmas_engine_rng (sim->engine, stream);
  g_queue_init (&ctx->timers);
  ctx->timer_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  return ctx;
}

void
dmas_host_ctx_cancel_timers (DmasHostCtx *ctx)
{
  Timer *timer;
  while ((timer = g_queue_peek_head (&ctx->timers)) != NULL)
    {
      dmas_engine_cancel (ctx->sim->engine, timer->event);
      timer_forget (ctx, timer);
      timer_release (timer);
    }
}

DmasHostCtx *
dmas_host_ctx_new_unbound (DmasSim *sim, const DmasComponentInfo *info, const DmasNode *params,
                           const gchar *stream, const gchar *label)
{
  DmasHostCtx *ctx = g_new0 (DmasHostCtx, 1);
  ctx->base.api = &host_api;
  ctx->sim = sim;
  ctx->agent = NULL;
  ctx->kind = info->kind;
  ctx->info = info;
  ctx->label = g_strdup (label);
  ctx->params = params;
  ctx->rng = dmas_engine_world_rng (sim->engine, stream);
  g_queue_init (&ctx->timers);
  ctx->timer_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  return ctx;
}

static void
ctx_destroy_instance (DmasHostCtx *ctx)
{
  if (ctx->self == NULL)
    return;
  gpointer self = g_steal_pointer (&ctx->self);
  if (ctx->kind == DMAS_KIND_BIDDING)
    ((const DmasBiddingOps *) ctx->info->ops)->destroy (self);
  else if (ctx->kind == DMAS_KIND_FAULT)
    ((const DmasFaultOps *) ctx->info->ops)->destroy (self);
  else if (ctx->kind == DMAS_KIND_LLM)
    ((const DmasLlmOps *) ctx->info->ops)->destroy (self);
  else
    ((const DmasConsensusOps *) ctx->info->ops)->destroy (self);
}

void
dmas_host_ctx_free (DmasHostCtx *ctx)
{
  if (ctx == NULL)
    return;
  ctx_destroy_instance (ctx);
  /* Pending timers die with their instance: cancelled in the engine, free_fn run once. */
  dmas_host_ctx_cancel_timers (ctx);
  g_hash_table_unref (ctx->timer_index);
  g_free (ctx->label);
  g_free (ctx);
}

const gchar *
dmas_host_ctx_name (const DmasHostCtx *ctx)
{
  return ctx->label;
}

/* ---- wrappers ---- */

static gboolean
created (DmasHostCtx *ctx, gpointer self, const DmasError *err, GError **error)
{
  if (self != NULL)
    {
      ctx->self = self;
      return TRUE;
    }
  g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_INIT,
               "agent %u: %s: create failed: %s", ctx->agent->id, ctx->label,
               err->message[0] != '\0' ? err->message : "(no message)");
  return FALSE;
}

gboolean
dmas_bidding_create (DmasHostCtx *ctx, GError **error)
{
  DmasError err = { 0 };
  const DmasBiddingOps *ops = ctx->info->ops;
  return created (ctx, ops->create (&ctx->base, &err), &err, error);
}

int
dmas_bidding_bid (DmasHostCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
                  DmasBid *out, DmasError *err)
{
  const DmasBiddingOps *ops = ctx->info->ops;
  return ops->bid (ctx->self, &ctx->base, job, cluster, out, err);
}

void
dmas_bidding_job_finished (DmasHostCtx *ctx, const DmasJob *job, DmasTime start, DmasTime end)
{
  const DmasBiddingOps *ops = ctx->info->ops;
  if (ops->job_finished != NULL)
    ops->job_finished (ctx->self, &ctx->base, job, start, end);
}

gboolean
dmas_consensus_create (DmasHostCtx *ctx, GError **error)
{
  DmasError err = { 0 };
  const DmasConsensusOps *ops = ctx->info->ops;
  return created (ctx, ops->create (&ctx->base, &err), &err, error);
}

int
dmas_consensus_propose (DmasHostCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  const DmasConsensusOps *ops = ctx->info->ops;
  return ops->propose (ctx->self, &ctx->base, slot, bid);
}

int
dmas_consensus_on_message (DmasHostCtx *ctx, DmasAgentId src, guint32 type, const void *body,
                           gsize len)
{
  const DmasConsensusOps *ops = ctx->info->ops;
  return ops->on_message (ctx->self, &ctx->base, src, type, body, len);
}

void
dmas_consensus_agent_status (DmasHostCtx *ctx, DmasAgentId agent, gboolean suspected)
{
  const DmasConsensusOps *ops = ctx->info->ops;
  if (ops->agent_status != NULL)
    ops->agent_status (ctx->self, &ctx->base, agent, suspected ? 1 : 0);
}
