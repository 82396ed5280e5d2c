/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Byzantine agents on the wire: silent, omit and replay sends, and the Twins of equivocation. */
#include "config.h"

#include <string.h>

#include "agents/byzantine-hooks.h"
#include "agents/sim-private.h"
#include "world/events.h"

/* Replayed copies come back uniformly within this window after the original: late enough to
 * reach slots and rounds that have moved on, soon enough to land inside short runs. */
#define BYZ_REPLAY_WINDOW (30 * DMAS_S)

static gboolean
in_half_b (const DmasByzAgent *byz, DmasAgentId peer)
{
  return peer < 64 && (byz->split >> peer) & 1;
}

gboolean
dmas_byz_is_twin (const DmasHostCtx *h)
{
  return h->twin;
}

/* ---- twin B's life ---- */

void
dmas_byz_agent_crashed (DmasAgent *agent)
{
  DmasByzAgent *byz = agent->byz;
  if (byz == NULL || byz->twin == NULL)
    return;
  /* Its pending timers die with it (free_fn once), like the agent's own instance's. */
  dmas_host_ctx_free (g_steal_pointer (&byz->twin));
}

void
dmas_byz_agent_restarted (DmasAgent *agent)
{
  DmasSim *sim = agent->sim;
  DmasByzAgent *byz = agent->byz;
  if (byz == NULL || byz->strategy != DMAS_BYZ_EQUIVOCATE || byz->twin != NULL || !agent->up
      || sim->central != NULL)
    return;
  /* Twin B is a fresh instance of the agent's consensus component: same identity and key,
   * its own stream (so the agent's own draws are not shifted) and its own stable storage,
   * which it keeps across the agent's crashes like the agent keeps its own. */
  if (byz->twin_storage == NULL)
    byz->twin_storage = dmas_storage_new ();
  DmasHostCtx *twin = dmas_host_ctx_new (sim, agent, sim->consensus, sim->consensus_params);
  g_autofree gchar *stream = g_strdup_printf ("agent/%u/consensus/twin", agent->id);
  twin->rng = dmas_engine_rng (sim->engine, stream);
  twin->twin = TRUE;
  g_free (twin->label);
  twin->label = g_strdup_printf ("consensus/%s (twin B)", sim->consensus->name);
  g_autoptr (GError) error = NULL;
  if (!dmas_consensus_create (twin, &error))
    {
      dmas_sim_log_at (sim, G_LOG_LEVEL_MESSAGE, agent->id, "no twin B: %s", error->message);
      dmas_host_ctx_free (twin);
      return;
    }
  byz->twin = twin;
}

void
dmas_byz_twin_propose (DmasAgent *agent, const DmasSlot *slot, const DmasBid *bid)
{
  if (agent->byz == NULL || agent->byz->twin == NULL)
    return;
  /* Both twins bid for the same cluster with the same bid: the lie is in the protocol. */
  int status = dmas_consensus_propose (agent->byz->twin, slot, bid);
  if (status < 0)
    dmas_sim_log (agent->sim, agent->id, "%s: propose(job %" G_GUINT64_FORMAT ") failed with "
                  "%d", dmas_host_ctx_name (agent->byz->twin), slot->job, status);
}

void
dmas_byz_twin_agent_status (DmasAgent *agent, DmasAgentId peer, gboolean suspected)
{
  if (agent->byz != NULL && agent->byz->twin != NULL)
    dmas_consensus_agent_status (agent->byz->twin, peer, suspected);
}

DmasHostCtx *
dmas_byz_route (DmasAgent *agent, DmasAgentId src)
{
  const DmasByzAgent *byz = agent->byz;
  if (byz != NULL && byz->twin != NULL && src != agent->id && in_half_b (byz, src))
    return byz->twin;
  return agent->consensus;
}

int
dmas_byz_twin_decide (DmasHostCtx *h, const DmasSlot *slot, const DmasBid *bid)
{
  /* Recorded, not acted upon: the host runs what the agent's own instance decides. */
  dmas_sim_log (h->sim, h->agent->id, "%s decided job %" G_GUINT64_FORMAT " epoch %u for %d",
                h->label, slot->job, slot->epoch,
                bid->score > 0.0 ? (gint) bid->agent : -1);
  return DMAS_OK;
}

DmasStorage *
dmas_byz_storage (DmasHostCtx *h)
{
  if (h->twin && h->agent->byz != NULL && h->agent->byz->twin_storage != NULL)
    return h->agent->byz->twin_storage;
  return dmas_agent_storage (h->agent, h->kind);
}

/* ---- sends ---- */

/* A twin's message that does not go through the network: to itself (the network could not
 * tell the twins apart at the receiving end), or to the same twin of a fellow equivocator
 * (colluding twins talk to each other in both halves, as in the Twins model: twin A of one to
 * twin A of the other, B to B).  It arrives after the link's latency at the very instance it
 * is meant for; being Byzantine collusion, it is not counted as network traffic. */
typedef struct {
  DmasAgent *dst;
  DmasAgentId src;
  gboolean to_twin;
  guint32 incarnation;
  guint32 type;
  gsize len;
  guint8 body[];
} TwinMessage;

static void
on_twin_message (DmasEngine *engine, gpointer data)
{
  TwinMessage *m = data;
  DmasAgent *dst = m->dst;
  (void) engine;
  if (!dst->up || dst->incarnation != m->incarnation)
    return;
  DmasHostCtx *ctx = m->to_twin ? (dst->byz != NULL ? dst->byz->twin : NULL) : dst->consensus;
  if (ctx == NULL || ctx->self == NULL)
    return;
  dmas_consensus_on_message (ctx, m->src, m->type, m->body, m->len);
}

static int
send_to_twin (DmasHostCtx *h, DmasAgent *dst, guint32 type, const void *body, gsize len)
{
  DmasSim *sim = h->sim;
  TwinMessage *m = g_malloc (sizeof *m + len);
  m->dst = dst;
  m->src = h->agent->id;
  m->to_twin = h->twin;
  m->incarnation = dst->incarnation;
  m->type = type;
  m->len = len;
  if (len > 0)
    memcpy (m->body, body, len);
  const DmasTime at = dmas_engine_now (sim->engine)
                      + dmas_network_link (sim->network, h->agent->id, dst->id)->latency;
  dmas_engine_schedule (sim->engine, at, DMAS_EV_DELIVER, DMAS_WEV_DELIVER, dst->id,
                        on_twin_message, m, g_free);
  return DMAS_OK;
}

/* An old message, sent again. */
typedef struct {
  DmasAgent *agent;
  DmasAgentId to;
  guint32 channel, type;
  gsize len;
  guint8 body[];
} Replay;

static void
on_replay (DmasEngine *engine, gpointer data)
{
  Replay *r = data;
  (void) engine;
  /* Only while the agent still replays and is up: a correct or crashed agent sends nothing
   * it did not mean to. */
  if (!r->agent->up || dmas_byz_strategy (r->agent) != DMAS_BYZ_REPLAY)
    return;
  dmas_metrics_add (r->agent->sim->metrics, "byzantine_msgs_replayed", 1.0);
  dmas_network_send (r->agent->sim->network, r->agent->id, r->to, r->channel, r->type, r->body,
                     r->len);
}

static void
schedule_replay (DmasHostCtx *h, DmasAgentId to, guint32 type, const void *body, gsize len)
{
  DmasSim *sim = h->sim;
  DmasByzAgent *byz = h->agent->byz;
  if (!(g_rand_double (byz->rng) < byz->fraction))
    return;
  const DmasTime delay = 1 + (DmasTime) (g_rand_double (byz->rng) * (gdouble) BYZ_REPLAY_WINDOW);
  Replay *r = g_malloc (sizeof *r + len);
  r->agent = h->agent;
  r->to = to;
  r->channel = (guint32) h->kind;
  r->type = type;
  r->len = len;
  if (len > 0)
    memcpy (r->body, body, len);
  dmas_engine_schedule (sim->engine, dmas_engine_now (sim->engine) + delay, DMAS_EV_TIMER,
                        DMAS_WEV_TIMER, h->agent->id, on_replay, r, g_free);
}

int
dmas_byz_send (DmasHostCtx *h, DmasAgentId to, guint32 type, const void *body, gsize len)
{
  DmasSim *sim = h->sim;
  DmasAgent *agent = h->agent;
  DmasByzAgent *byz = agent->byz;
  const DmasByzantineStrategy s = byz != NULL ? byz->strategy : DMAS_BYZ_NONE;

  switch (s)
    {
    case DMAS_BYZ_SILENT:
      dmas_metrics_add (sim->metrics, "byzantine_msgs_omitted", 1.0);
      return DMAS_OK;
    case DMAS_BYZ_OMIT:
      if (g_rand_double (byz->rng) < byz->fraction)
        {
          dmas_metrics_add (sim->metrics, "byzantine_msgs_omitted", 1.0);
          return DMAS_OK;
        }
      break;
    case DMAS_BYZ_EQUIVOCATE:
      if (byz->twin == NULL)
        break;
      if (to == agent->id
          || (sim->agents[to]->byz != NULL && sim->agents[to]->byz->twin != NULL))
        return send_to_twin (h, sim->agents[to], type, body, len);
      /* Each twin talks to its own half only. */
      if (in_half_b (byz, to) != h->twin)
        return DMAS_OK;
      break;
    default:
      break;
    }
  int status = dmas_network_send (sim->network, agent->id, to, (guint32) h->kind, type, body,
                                  len);
  if (s == DMAS_BYZ_REPLAY && status == DMAS_OK)
    schedule_replay (h, to, type, body, len);
  return status;
}
