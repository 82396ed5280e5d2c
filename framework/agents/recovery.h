/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lost jobs: what a crash takes away, the recovery coordinator that re-announces it, and the
 * per-job bookkeeping behind duplicates, mttr and the safety checker's recovery slots. */
#ifndef DMAS_AGENTS_RECOVERY_H
#define DMAS_AGENTS_RECOVERY_H

#include <glib.h>

#include <dmas/job.h>
#include "agents/sched_msg.h"

G_BEGIN_DECLS

typedef struct DmasSim DmasSim;
typedef struct DmasAgent DmasAgent;
typedef struct DmasRecovery DmasRecovery;

/* A re-announcement on the DMAS_NET_HOST channel: the job's announcement (sched_msg.h
 * layout), then the new epoch (u32), the failed holder (u32) and the time the slot was opened
 * (u64 ns), little endian. */
#define DMAS_SCHED_RECOVER 17u
#define DMAS_RECOVER_LEN (DMAS_SCHED_ANNOUNCE_LEN + 16u)

/* The rules.
 *
 * Assignment log.  Each agent records, per job, the latest slot epoch it knows and the
 * job's holder in that epoch: the slot's home (who announced it) until the agent's instance
 * decides, then the winner; and the holder's incarnation as the agent knew it then.  A FINISH
 * marks the job done.  The log is volatile: a crash wipes it.
 *
 * Held by a failed agent, in agent A's view: A knows the job, it is not done, its holder H is
 * another agent, and A suspects H or has since heard H's heartbeat with a higher incarnation
 * (H crashed and came back, its queue empty).
 *
 * Coordinator.  Every slot has an opening time T: the job's submit time for epoch 0, the
 * re-announcement's time for a recovery slot (it travels in RECOVER).  A witness of the job,
 * in A's view, is an agent A does not suspect whose current incarnation began no later than T
 * (heartbeats say when), so it heard of the slot; a peer A has not heard from since its own
 * restart counts as a witness until A hears from it (and then looks again).  The job's coordinator in A's view is the
 * lowest-id witness, or, when A sees no witness at all, the lowest-id agent A does not
 * suspect.  With no restart that is the lowest-id unsuspected agent; a restarted agent, whose
 * log is empty, never stands in for agents that know the job, and since T is the same for
 * everyone, agents that agree on who is suspected agree on the coordinator.  Whenever A's view changes
 * (a new suspicion, a restart noticed) it re-announces, in job id order, every job held by a
 * failed agent that it coordinates; and when A records a decision for an agent that has
 * failed in its view, it re-announces that job if it coordinates it.
 * Re-announcing a job of epoch e opens slot (job, e + 1) with A as its home: A sends
 * RECOVER to every other agent, then learns the slot itself; every agent that learns a newer
 * epoch forgets its state for the old slot and bids again, and the normal bid/decide path
 * places the job.  Since A then holds the job (as home of the new slot), it is not re-announced
 * twice for the same loss: recovery is idempotent per (job, epoch).
 *
 * Losses.  A crash loses every job queued or running at the agent.  When no other agent holds
 * the job (queued or running) and it has not completed, the loss time is recorded (a job lost
 * again before it restarted keeps its first loss time); the next start of the job anywhere
 * ends the loss: one jobs_recovered, one mttr sample (start - loss).
 *
 * Duplicates.  A start while the job is already running elsewhere, or after it completed, is
 * a duplicate execution (counted, never suppressed).  The first completion (or walltime kill)
 * is the job's outcome; later ones change nothing but the count of executions.
 *
 * Given up.  A job stays lost (jobs_lost) when a recovery slot is decided with no winner while
 * nothing holds it (no live agent can run it), or when its home agent was down at submission. */

DmasRecovery *dmas_recovery_new (DmasSim *sim);
void dmas_recovery_free (DmasRecovery *recovery);

/* ---- the job's fate, from agents/agent.c ---- */

/* `agent` put job `id` in its local queue. */
void dmas_recovery_job_queued (DmasAgent *agent, DmasJobId id);
/* `agent` started `job` at `start`: counts duplicates, ends a loss, keeps the job record. */
void dmas_recovery_job_started (DmasAgent *agent, const DmasJob *job, DmasTime start);
/* `agent`'s execution of `job` ended.  Returns: TRUE for the job's first completion (the
 * record now describes this execution). */
gboolean dmas_recovery_job_ended (DmasAgent *agent, const DmasJob *job, DmasTime start,
                                  DmasTime end, gboolean killed);
/* `agent` crashes now: every job it holds is lost (call before its log is wiped). */
void dmas_recovery_agent_crashed (DmasAgent *agent);
/* A slot of job `id` was decided with no winner: for epoch 0 the job is rejected, for a
 * recovery slot it is given up unless some agent still holds it. */
void dmas_recovery_no_winner (DmasAgent *agent, DmasJobId id, guint32 epoch);
/* Job `id` will never be placed: it stays lost.  `reason` is copied into its record. */
void dmas_recovery_give_up (DmasSim *sim, DmasJobId id, const gchar *reason);
/* Job `id` reached a final state (rejected, completed, killed, given up); idempotent.  Stops
 * the failure detector once every job is settled. */
void dmas_recovery_settle (DmasSim *sim, DmasJobId id);
/* TRUE when job `id` is unsettled only because of a fault: lost and never re-announced since,
 * given up, or known to no live agent any more (every agent that knew it crashed).  Not a
 * deadlock, then, but a lost job. */
gboolean dmas_recovery_stranded (const DmasRecovery *recovery, DmasJobId id);

/* The safety checker's memory of slot (id, epoch): the first winner decided by any agent and
 * DMAS_SLOT_* flags (sim-private.h).  Returns: (transfer none) pointers valid for the run. */
void dmas_recovery_slot (DmasSim *sim, DmasJobId id, guint32 epoch, DmasAgentId **first_winner,
                         guint8 **flags);

/* ---- the coordinator, from agents/detector.c and agents/agent.c ---- */

/* Re-announces every job held by a failed agent that `agent` (up) coordinates. */
void dmas_recovery_scan (DmasAgent *agent);
/* The same for job `id` only (after `agent` recorded a decision for it). */
void dmas_recovery_check_job (DmasAgent *agent, DmasJobId id);
/* A RECOVER message from `src` arrived at `agent` (up). */
void dmas_recovery_deliver (DmasAgent *agent, DmasAgentId src, const guint8 *body, gsize len);

G_END_DECLS

#endif /* DMAS_AGENTS_RECOVERY_H */
