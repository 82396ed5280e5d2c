/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A resource agent: its cluster's queue, its plugin instances, and the job life cycle. */
#ifndef DMAS_AGENTS_AGENT_H
#define DMAS_AGENTS_AGENT_H

#include <glib.h>

#include <dmas/job.h>
#include "agents/host_api.h"
#include "agents/storage.h"
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
  DMAS_AGENT_JOB_FINISHED = 1 << 5,    /* known to have ended (here or by a FINISH) */
  DMAS_AGENT_JOB_RUNNING = 1 << 6,     /* started here, not ended yet */
  DMAS_AGENT_JOB_ENDED = 1 << 7        /* its execution here ended (QUEUED stays set) */
};

/* An agent's incarnation before it has heard from a peer since its own (re)start. */
#define DMAS_INCARNATION_UNKNOWN G_MAXUINT32

struct DmasAgent {
  DmasSim *sim;
  DmasAgentId id;
  const DmasCluster *cluster;
  DmasLocalQueue *queue;
  DmasHostCtx *bidding;
  DmasHostCtx *consensus;
  guint8 *jobs;             /* flags above, index = job id (0 unused) */
  DmasAgentId *decided;     /* this agent's decided winner per job id */
  /* Crash and recovery (agents/recovery.h).  The arrays below, with `jobs` and `decided`,
   * are the agent's assignment log: volatile, wiped by a crash. */
  gboolean up;
  guint32 incarnation;      /* restarts so far: kept across crashes, like a boot counter */
  guint32 *epoch;           /* latest slot epoch known, per job id */
  DmasAgentId *slot_home;   /* that slot's home: job->home in epoch 0, else its recoverer */
  DmasAgentId *holder;      /* who holds the job in that epoch: the winner once decided,
                             * until then the slot's home (the agent that announced it) */
  guint32 *holder_inc;      /* the holder's incarnation as known when recorded */
  DmasTime *opened_at;      /* when that slot was opened: the job's submit time in epoch 0,
                             * the re-announcement's time after (DMAS_TIME_NONE: not heard) */
  /* Appended (services): stable storage per component kind (agents/storage.h), kept across
   * crashes; [kind] for DMAS_KIND_BIDDING and DMAS_KIND_CONSENSUS, the rest NULL. */
  DmasStorage *storage[DMAS_KIND_CONSENSUS + 1];
  /* Appended (faults): the agent's Byzantine side (agents/byzantine-hooks.h), NULL until a
   * behaviour is set on it or it accuses someone.  While it has a behaviour, the safety
   * checker ignores its decisions (dmas_sim_agent_correct). */
  struct DmasByzAgent *byz;
  /* Appended (llm): per agent id, this agent caught it lying (accused it) since its last
   * restart: with scheduling.reputation, its later bids count as implausible here.
   * Volatile: a crash forgets it. */
  guint8 *distrusted;
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

/* Crash and restart (fault injection, engine time = the fault instant).
 * dmas_agent_crash: the agent stops at once: its running and queued jobs are lost (loss time
 * recorded, agents/recovery.h), its timers die (each free_fn runs once), its bidding and
 * consensus instances are destroyed, its assignment log is wiped; until restarted it sends
 * nothing and messages arriving for it are dropped (msgs_dropped_down).  No-op on an agent
 * already down.  Not to be called from inside a callback of the agent's own plugins.
 * dmas_agent_restart: incarnation + 1, new plugin instances, an empty cluster and log,
 * heartbeats again at once; no-op on an agent that is up.  A create() failure at restart
 * leaves the agent down (logged). */
void dmas_agent_crash (DmasAgent *agent);
void dmas_agent_restart (DmasAgent *agent);
/* TRUE while the agent is up (never crashed, or restarted since). */
gboolean dmas_agent_is_up (const DmasAgent *agent);

/* The agent learns of slot (job, epoch) with `home`, opened at `opened`: a newer epoch than
 * it knew replaces its state for the job's older slot; then it bids and proposes (once per
 * slot). */
void dmas_agent_learn_slot (DmasAgent *agent, const DmasJob *job, guint32 epoch,
                            DmasAgentId home, DmasTime opened);

/* Appended (services).  Returns: (transfer none) the agent's stable storage for `kind`
 * (bidding or consensus), which outlives its crashes. */
DmasStorage *dmas_agent_storage (DmasAgent *agent, DmasKind kind);

G_END_DECLS

#endif /* DMAS_AGENTS_AGENT_H */
