/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Byzantine agents, host side: per-agent behaviour and the hooks of agent.c and host_api.c. */
#ifndef DMAS_AGENTS_BYZANTINE_HOOKS_H
#define DMAS_AGENTS_BYZANTINE_HOOKS_H

#include <glib.h>

#include <dmas/host.h>
#include "agents/agent.h"
#include "agents/host_api.h"
#include "agents/storage.h"

G_BEGIN_DECLS

/* What the host knows of one agent's Byzantine side (agent->byz), allocated on first need (a
 * behaviour set on the agent, or an accusation it makes) and freed with the agent.  It
 * survives the agent's crashes: a behaviour is a property of the agent, not of its instance. */
typedef struct DmasByzAgent {
  DmasByzantineStrategy strategy;  /* DMAS_BYZ_NONE while correct */
  gdouble fraction;
  guint64 split;                   /* EQUIVOCATE: bit i = agent i talks to twin B */
  gboolean ever;                   /* Byzantine at some point so far (accusations' truth) */
  GRand *rng;                      /* the engine's "agent/<id>/byzantine": omit and replay */
  /* EQUIVOCATE: twin B, a second consensus instance under the agent's identity, with its own
   * stable storage; NULL otherwise and while the agent is down. */
  DmasHostCtx *twin;
  DmasStorage *twin_storage;
  guint8 *accused;                 /* per agent id: this agent accused it already */
  guint8 *captured;                /* per job id: decided for this agent while Byzantine */
} DmasByzAgent;

/* Frees agent->byz's contents (its twin instance first).  NULL-safe. */
void dmas_byz_agent_free (DmasByzAgent *byz);

/* TRUE while some agent has a Byzantine behaviour. */
gboolean dmas_byz_any (const DmasSim *sim);
/* TRUE when some agent has had a Byzantine behaviour at some point of the run so far. */
gboolean dmas_byz_seen (const DmasSim *sim);
/* The strategy in force on `agent` (DMAS_BYZ_NONE for a correct one). */
DmasByzantineStrategy dmas_byz_strategy (const DmasAgent *agent);

/* ---- agent.c hooks ---- */

/* The score `agent` proposes instead of `score`: 1.0, the maximum, under inflate and hijack. */
gdouble dmas_byz_score (const DmasAgent *agent, gdouble score);
/* Hands the proposal to twin B too (no-op without one). */
void dmas_byz_twin_propose (DmasAgent *agent, const DmasSlot *slot, const DmasBid *bid);
/* The agent's own instance decided that it won job `id`.  Returns TRUE when the host must not
 * queue the job (hijack: captured and never run; inflate: a job its cluster cannot fit, lost
 * there): the job is then given up and counted in jobs_lost. */
gboolean dmas_byz_keeps_job (DmasAgent *agent, const DmasJob *job);
/* The safety checker's first decision of a slot named `winner`: counts jobs_captured_byzantine
 * once per job and Byzantine winner. */
void dmas_byz_note_decision (DmasSim *sim, DmasJobId id, DmasAgentId winner);
/* Job `id` completed for the first time: counts jobs_completed_byzantine if it was captured. */
void dmas_byz_note_completion (DmasSim *sim, DmasJobId id);
/* Twin B dies with the agent's crash, and comes back at its restart while it equivocates. */
void dmas_byz_agent_crashed (DmasAgent *agent);
void dmas_byz_agent_restarted (DmasAgent *agent);
/* The consensus instance a consensus message from `src` goes to: twin B when `agent`
 * equivocates and src is in half B, the agent's own instance otherwise. */
DmasHostCtx *dmas_byz_route (DmasAgent *agent, DmasAgentId src);

/* The failure detector's news for `agent`'s consensus instance, for twin B too (detector.c). */
void dmas_byz_twin_agent_status (DmasAgent *agent, DmasAgentId peer, gboolean suspected);

/* ---- host_api.c hooks ---- */

/* A consensus send from instance `h` to `to`, through the agent's behaviour: silent drops it,
 * omit drops it with probability fraction, a twin reaches only its own half (its own sends to
 * itself come back to it), replay may send a copy again later.  Returns what
 * dmas_network_send returns (DMAS_OK for a message the behaviour swallowed). */
int dmas_byz_send (DmasHostCtx *h, DmasAgentId to, guint32 type, const void *body, gsize len);
/* TRUE for twin B's context. */
gboolean dmas_byz_is_twin (const DmasHostCtx *h);
/* Twin B decided: recorded in the log, kept out of the agent's assignment log and of the
 * safety checker's agreement (the agent is Byzantine).  Returns DMAS_OK. */
int dmas_byz_twin_decide (DmasHostCtx *h, const DmasSlot *slot, const DmasBid *bid);
/* The stable storage of an instance: twin B has its own. */
DmasStorage *dmas_byz_storage (DmasHostCtx *h);

G_END_DECLS

#endif /* DMAS_AGENTS_BYZANTINE_HOOKS_H */
