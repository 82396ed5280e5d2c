/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A resource agent: its cluster's queue, its plugin instances, and the job life cycle. */
#ifndef DMAS_AGENTS_AGENT_H
#define DMAS_AGENTS_AGENT_H

#include <glib.h>

#include <dmas/job.h>
#include "agents/host_api.h"
#include "net/network.h"
#include "world/localq.h"
#include "world/platform.h"

G_BEGIN_DECLS

/* What one agent knows about one job (a bit set, indexed by job id). */
enum {
  DMAS_AGENT_JOB_LEARNT = 1 << 0,      /* announced to this agent (or submitted to it) */
  DMAS_AGENT_JOB_BID_PENDING = 1 << 1, /* the bidder answered DMAS_PENDING */
  DMAS_AGENT_JOB_PROPOSED = 1 << 2,    /* handed to the consensus instance */
  DMAS_AGENT_JOB_DECIDED = 1 << 3,     /* this agent's instance decided the slot */
  DMAS_AGENT_JOB_QUEUED = 1 << 4,      /* won here and put in the local queue */
  DMAS_AGENT_JOB_FINISHED = 1 << 5     /* known to have ended (here or by a FINISH) */
};

struct DmasAgent {
  DmasSim *sim;
  DmasAgentId id;
  const DmasCluster *cluster;
  DmasLocalQueue *queue;
  DmasHostCtx *bidding;
  DmasHostCtx *consensus;
  guint8 *jobs;             /* flags above, index = job id (0 unused) */
  DmasAgentId *decided;     /* this agent's decided winner per job id */
};

/* Builds agent `id` of `sim`: its local queue and its two plugin instances.
 * Returns: (transfer full) the agent, or NULL with error set (a create() failed). */
DmasAgent *dmas_agent_new (DmasSim *sim, DmasAgentId id, GError **error);
/* Destroys the plugin instances first, then the queue. */
void dmas_agent_free (DmasAgent *agent);

/* A client submits `job` to this agent, its home (engine time = job->submit). */
void dmas_agent_submit (DmasAgent *agent, const DmasJob *job);
/* The network delivers a message for this agent (host or consensus channel). */
void dmas_agent_deliver (DmasAgent *agent, const DmasEnvelope *env, const guint8 *body);

/* The host calls of DmasHostApi that change the job life cycle. */
int dmas_agent_decide (DmasAgent *agent, const DmasSlot *slot, const DmasBid *bid);
int dmas_agent_bid_ready (DmasAgent *agent, const DmasBid *bid);

G_END_DECLS

#endif /* DMAS_AGENTS_AGENT_H */
