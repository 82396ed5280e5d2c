/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host side of the plugin ABI: per-instance contexts, the DmasHostApi table, and the
 * wrappers through which the framework calls plugin ops (callers never touch an ops struct). */
#ifndef DMAS_AGENTS_HOST_API_H
#define DMAS_AGENTS_HOST_API_H

#include <glib.h>

#include <dmas/bidding.h>
#include <dmas/consensus.h>
#include "config/node.h"
#include "plugin/registry.h"

G_BEGIN_DECLS

typedef struct DmasSim DmasSim;
typedef struct DmasAgent DmasAgent;

/* One plugin instance's context.  `base` comes first: the plugin receives &ctx->base and the
 * host gets its context back with a cast. */
typedef struct DmasHostCtx {
  DmasCtx base;
  DmasSim *sim;
  DmasAgent *agent;        /* NULL for an instance of no agent (faults) */
  DmasKind kind;
  const DmasComponentInfo *info;
  gchar *label;            /* "consensus/auction", for logs and errors */
  const DmasNode *params;  /* resolved parameters (a MAP), borrowed from the sim */
  GRand *rng;              /* the engine's "agent/<id>/<kind>" stream */
  gpointer self;           /* what ops->create() returned; NULL before and after */
  GQueue timers;           /* pending timers, in creation order */
  GHashTable *timer_index; /* DmasTimerId → its GList link in `timers`; lookups only */
  DmasTimerId next_timer;
  /* Appended (faults): TRUE for twin B of an equivocating agent (agents/byzantine-twins.c):
   * same identity and signing key as the agent, its own state, half of the network. */
  gboolean twin;
} DmasHostCtx;

/* Returns: (transfer none) the host function table every context points to. */
const DmasHostApi *dmas_host_api (void);

/* A context for `info`'s component on `agent`.  Creates no instance yet.
 * Returns: (transfer full). */
DmasHostCtx *dmas_host_ctx_new (DmasSim *sim, DmasAgent *agent, const DmasComponentInfo *info,
                                const DmasNode *params);
/* Destroys the instance if there is one (its ops->destroy()), then cancels the timers it
 * left pending, running each one's free_fn exactly once, and frees the context. */
void dmas_host_ctx_free (DmasHostCtx *ctx);

/* Host-side wrappers.  The create wrappers set ctx->self or fail with the plugin's message
 * (DMAS_PLUGIN_ERROR_INIT naming agent and component). */
gboolean dmas_bidding_create (DmasHostCtx *ctx, GError **error);
int dmas_bidding_bid (DmasHostCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
                      DmasBid *out, DmasError *err);
/* Calls the optional job_finished op when the component has it. */
void dmas_bidding_job_finished (DmasHostCtx *ctx, const DmasJob *job, DmasTime start,
                                DmasTime end);

gboolean dmas_consensus_create (DmasHostCtx *ctx, GError **error);
int dmas_consensus_propose (DmasHostCtx *ctx, const DmasSlot *slot, const DmasBid *bid);
int dmas_consensus_on_message (DmasHostCtx *ctx, DmasAgentId src, guint32 type,
                               const void *body, gsize len);
/* Calls the optional agent_status op when the component has it. */
void dmas_consensus_agent_status (DmasHostCtx *ctx, DmasAgentId agent, gboolean suspected);

/* "bidding/heuristic": the component's kind and name.  Returns: (transfer none). */
const gchar *dmas_host_ctx_name (const DmasHostCtx *ctx);

/* Appended (faults).  A context for an instance that belongs to no agent: a fault
 * component's, one per `faults:` entry.  self_id() answers DMAS_AGENT_NONE, its timers are
 * fault-class engine events (before the messages and timers of their instant), its randomness
 * is the engine's world stream `stream` (dmas_engine_world_rng: a campaign's paired runs share
 * the fault schedule), and `label` names it in logs.  Creates no instance.
 * Returns: (transfer full). */
DmasHostCtx *dmas_host_ctx_new_unbound (DmasSim *sim, const DmasComponentInfo *info,
                                        const DmasNode *params, const gchar *stream,
                                        const gchar *label);
/* Appended (faults).  Cancels every timer the instance has pending, running each free_fn
 * once; the instance lives on. */
void dmas_host_ctx_cancel_timers (DmasHostCtx *ctx);

G_END_DECLS

#endif /* DMAS_AGENTS_HOST_API_H */
