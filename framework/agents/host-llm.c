/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host's LLM calls (llm_request, secret) and the run's llm provider. */
#include "config.h"

#include "agents/host-llm.h"
#include "agents/sim-private.h"
#include "llm/service.h"

static inline DmasHostCtx *
host (DmasCtx *ctx)
{
  return (DmasHostCtx *) ctx;
}

/* ---- the provider instance ---- */

gboolean
dmas_sim_llm_setup (DmasSim *sim, DmasRegistry *registry, GError **error)
{
  if (registry == NULL)
    return TRUE; /* components compiled into a test program: no provider to find */
  /* Only runs with an LLM bidder talk to a model: the others never load a template or a
   * provider (their llm_request answers DMAS_ESTATE). */
  if (dmas_config_llm_provider (sim->config) == NULL || !dmas_config_wants_llm (sim->config))
    return TRUE;
  if (!dmas_llm_settings_from_config (sim->config, &sim->llm_settings, error))
    return FALSE;
  sim->llm_secrets = dmas_llm_secrets_load (NULL, NULL, error);
  if (sim->llm_secrets == NULL)
    return FALSE;

  DmasNode *params = NULL;
  const DmasComponentInfo *info = dmas_registry_resolve (registry, sim->config, DMAS_KIND_LLM,
                                                         sim->llm_settings.provider, &params,
                                                         error);
  if (info == NULL)
    return FALSE;
  sim->llm_params = params;
  g_autofree gchar *label = g_strdup_printf ("llm/%s", info->name);
  /* The provider draws nothing itself (requests carry their seed), but a context needs a
   * stream: a world stream of its own, so it can never shift another one. */
  sim->llm_ctx = dmas_host_ctx_new_unbound (sim, info, params, "llm/provider", label);
  const DmasLlmOps *ops = info->ops;
  DmasError err = { 0 };
  sim->llm_ctx->self = ops->create (&sim->llm_ctx->base, &err);
  if (sim->llm_ctx->self == NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_INIT, "%s: %s: create failed: %s",
                   sim->config->source, label,
                   err.message[0] != '\0' ? err.message : "(no message)");
      return FALSE;
    }
  /* The service borrows the provider for the whole run: it lives in the sim, not here. */
  sim->llm_provider = (DmasLlmProvider){
    .name = info->name, .ops = ops, .self = sim->llm_ctx->self, .ctx = &sim->llm_ctx->base,
  };
  sim->llm = dmas_llm_service_new (&sim->llm_settings, &sim->llm_provider, error);
  if (sim->llm == NULL)
    return FALSE;
  dmas_llm_service_set_observer (sim->llm, dmas_sim_observe_llm, sim);
  return TRUE;
}

void
dmas_sim_llm_teardown (DmasSim *sim)
{
  g_clear_pointer (&sim->llm, dmas_llm_service_free);
  g_clear_pointer (&sim->llm_ctx, dmas_host_ctx_free);
  g_clear_pointer (&sim->llm_secrets, dmas_llm_secrets_free);
  if (sim->llm_params != NULL)
    dmas_node_free (g_steal_pointer (&sim->llm_params));
  dmas_llm_settings_clear (&sim->llm_settings);
}

void
dmas_sim_observe_llm (gpointer data, const DmasLlmCall *call, const DmasLlmOutcome *outcome)
{
  DmasSim *sim = data;
  if (sim->observer != NULL && sim->observer->llm != NULL)
    sim->observer->llm (sim->observer_data, dmas_engine_now (sim->engine), call, outcome);
}

/* ---- llm_request ---- */

typedef struct {
  DmasLlmOutcome outcome;
  DmasLlmReplyFn fn;
  void *data;
  DmasFreeFn free_fn;
} Pending;

static void
pending_deliver (DmasCtx *ctx, void *data)
{
  Pending *p = data;
  p->fn (ctx, p->data, &p->outcome.result);
}

static void
pending_free (void *data)
{
  Pending *p = data;
  if (p->free_fn != NULL)
    p->free_fn (p->data);
  dmas_llm_outcome_clear (&p->outcome);
  g_free (p);
}

int
dmas_host_llm_request (DmasCtx *ctx, const DmasLlmAsk *ask, DmasLlmReplyFn fn, void *data,
                       DmasFreeFn free_fn)
{
  DmasHostCtx *h = host (ctx);
  DmasSim *sim = h->sim;
  if (h->kind != DMAS_KIND_BIDDING || h->agent == NULL || sim->llm == NULL)
    return DMAS_ESTATE;
  if (ask == NULL || fn == NULL || ask->struct_size < sizeof (DmasLlmAsk)
      || ask->template_name == NULL || ask->job == NULL || ask->cluster == NULL)
    return DMAS_EINVAL;

  const DmasAgentId agent = h->agent->id;
  /* Its own stream: asking a model never shifts the bidder's or anyone else's draws. */
  g_autofree gchar *stream = g_strdup_printf ("agent/%u/llm", agent);
  const DmasLlmCall call = {
    .agent = agent,
    .agent_name = dmas_sim_agent_name (sim, agent),
    .ask = ask,
    .compromised = !dmas_sim_agent_correct (sim, agent),
    .rng = dmas_engine_rng (sim->engine, stream),
  };
  Pending *p = g_new0 (Pending, 1);
  p->fn = fn;
  p->data = data;
  p->free_fn = free_fn;
  dmas_llm_service_call (sim->llm, &call, &p->outcome);
  /* The answer reaches the agent after its virtual latency, as a timer of the bidder's:
   * a crash of the agent destroys the instance and the pending answer with it. */
  ctx->api->timer_add (ctx, p->outcome.latency, pending_deliver, p, pending_free);
  return DMAS_OK;
}

/* ---- secrets ---- */

const char *
dmas_host_secret (DmasCtx *ctx, const char *name)
{
  DmasHostCtx *h = host (ctx);
  if (h->kind != DMAS_KIND_LLM || name == NULL || h->sim->llm_secrets == NULL)
    return NULL;
  return dmas_llm_secrets_get (h->sim->llm_secrets, name);
}
