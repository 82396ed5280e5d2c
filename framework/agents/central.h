/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The centralized baseline: one controller (and an optional standby) places every job. */
#ifndef DMAS_AGENTS_CENTRAL_H
#define DMAS_AGENTS_CENTRAL_H

#include <glib.h>

#include <dmas/bidding.h>
#include "agents/host_api.h"
#include "net/network.h"

G_BEGIN_DECLS

typedef struct DmasCentral DmasCentral;
typedef struct DmasSim DmasSim;

/* The replicas: the primary, and the backup with scheduling.ha.backup. */
typedef enum {
  DMAS_CENTRAL_PRIMARY = 0,
  DMAS_CENTRAL_BACKUP = 1
} DmasCentralReplica;

/* The rules (scheduling.mode: centralized; README "Centralized mode" has the same text).
 *
 * Where.  The controllers are network endpoints of their own, after the agents and the
 * clients: primary = n_agents + 1, backup = n_agents + 2 (names "controller" and "backup"
 * in network.links).  Every message to or from them travels the simulated network.
 *
 * Placement.  The controller in charge receives every submission (client.h).  It knows
 * every cluster's static description from the platform and keeps a view of each cluster's
 * state from the agents' reports.  A job no cluster can ever fit is rejected at once.  Else
 * it is acknowledged, written to stable storage as pending, and placed: the controller
 * evaluates the same bidding component as the distributed mode, one instance per cluster
 * (same stream "agent/<id>/bidding", same checks: a score that is not a number, below 0 or
 * for a cluster that cannot fit the job counts as 0), on its view of that cluster, skips the
 * clusters it suspects, and picks the best bid by dmas_bid_better().  The job is written to
 * stable storage as placed on that agent and sent to it (DISPATCH); the agent puts it in
 * its local queue.  The view of the chosen cluster counts one more queued job at once (the
 * agent's next report overwrites it).  No bid above 0 from a cluster that can fit the job:
 * if some such cluster is suspected the job stays pending until one comes back, else it is
 * rejected.  A bidder answering DMAS_PENDING is waited for (bid_ready).
 *
 * Reports.  An agent reports its state (free nodes, queued and running jobs, used cores,
 * its incarnation) to the controller it believes in charge after every change of its local
 * queue (a job queued, started or ended), a FINISH for every job that ends, and, with
 * heartbeat.enabled, a report at least every heartbeat.period.  The controller suspects an
 * agent it has not heard from for heartbeat.timeout and re-places the unfinished jobs it had
 * placed there (a new placement; if the agent was alive they run twice: duplicate
 * executions).  A report with a higher incarnation than the controller knew means the agent
 * restarted: the jobs placed there that it no longer holds are re-placed at once.
 *
 * Stable storage.  The controller writes, before it acknowledges or sends anything, to a
 * store both replicas share (Slurm's StateSaveLocation): per job, its state (pending,
 * placed, done, rejected), the agent it was placed on and the sequence number of that
 * dispatch; the pending jobs in arrival order; which replica is in charge and the
 * controller generation; the highest incarnation seen per agent.  Everything else is
 * volatile: the cluster views, the bidder instances and bids not answered yet, heartbeat
 * timing.
 *
 * Crash.  A crashed controller does nothing and every message that arrives for it is
 * dropped.  Without a backup, no job is placed until it restarts.  What is lost exactly:
 * the messages that arrive while it is down (submissions: the clients retry; reports and
 * FINISHes: rebuilt, see below) and its volatile state.  Nothing that was acknowledged is
 * lost.  A DISPATCH already sent still arrives.
 *
 * Taking charge (a restart without backup, or a takeover).  The controller generation goes
 * up by one; the controller loads the stable store, sends HELLO (its generation) to every
 * agent and waits for their answers: a full report with the list of jobs each agent holds
 * and the latest dispatch sequence number it received.  A job placed on an agent that does
 * not hold it any more is done if the agent received its dispatch under the same
 * incarnation (its FINISH was lost), lost (re-placed) if the agent restarted since, and still
 * in flight otherwise.  Pending jobs are placed once every agent answered, or
 * heartbeat.timeout after the HELLO (the silent ones are then suspected).
 *
 * High availability (scheduling.ha.backup).  The replica in charge sends a heartbeat to the
 * other every ha.heartbeat.  The standby takes charge when it has heard nothing for
 * ha.takeover (counted from its own start).  There is no failback: a replica that restarts
 * while the other is in charge (as the store says) becomes the standby.
 *
 * Availability.  The scheduling service is up while some replica is up and in charge;
 * each period without one is a service outage (metrics service_down/up). */

/* Messages on the DMAS_NET_HOST channel (client.h says how types are numbered). */
#define DMAS_SCHED_DISPATCH 40u /* controller -> agent: a job to queue */
#define DMAS_SCHED_STATUS 41u   /* agent -> controller: its report */
#define DMAS_SCHED_HELLO 42u    /* controller -> agents: I am in charge (generation) */
#define DMAS_SCHED_CTL_BEAT 43u /* controller in charge -> standby */

/* Builds the controller replicas of `sim` (centralized mode), with the primary in charge at
 * time 0 and an exact view (every cluster idle).  Creates one bidding instance per cluster
 * and replica.  Returns: (transfer full) or NULL with error set (a bidder's create()). */
DmasCentral *dmas_central_new (DmasSim *sim, GError **error);
/* Destroys the bidder instances and cancels the controller's timers. */
void dmas_central_free (DmasCentral *central);

/* Starts the heartbeats of the replica in charge (time 0, before the first submission). */
void dmas_central_start (DmasCentral *central);
/* Every job is settled and no submission is left: cancels every periodic timer (heartbeats,
 * reports, checks) for good, so that they do not stretch a finished run. */
void dmas_central_stop (DmasCentral *central);

guint dmas_central_n_replicas (const DmasCentral *central);
/* Network endpoint of replica `replica`. */
DmasAgentId dmas_central_endpoint (const DmasCentral *central, guint replica);
/* The replica at network endpoint `endpoint`, or G_MAXUINT. */
guint dmas_central_replica_of (const DmasCentral *central, DmasAgentId endpoint);

/* A message for a controller endpoint arrived. */
void dmas_central_deliver (DmasCentral *central, const DmasEnvelope *env, const guint8 *body);
/* A controller's bidder answered late (host API bid_ready from a context of the
 * controller).  Returns a DMAS_* status. */
int dmas_central_bid_ready (DmasCentral *central, const DmasHostCtx *ctx, const DmasBid *bid);
/* TRUE when `ctx` is one of the controller's bidder contexts. */
gboolean dmas_central_owns_ctx (const DmasCentral *central, const DmasHostCtx *ctx);

/* Crash and restart of a replica (fault injection; engine time = the fault instant).  No-op
 * when already in that state. */
void dmas_central_crash (DmasCentral *central, DmasCentralReplica replica);
void dmas_central_restart (DmasCentral *central, DmasCentralReplica replica);
gboolean dmas_central_is_up (const DmasCentral *central, DmasCentralReplica replica);
/* Schedules a crash of `replica` at `at` and, unless restart_after is DMAS_TIME_NONE, its
 * restart restart_after later: fault-class engine events (kinds DMAS_WEV_CRASH and
 * DMAS_WEV_RESTART, agent = the replica's endpoint), for tests and tools; fault components
 * call dmas_central_crash() and dmas_central_restart() directly. */
void dmas_central_schedule_crash (DmasCentral *central, DmasCentralReplica replica, DmasTime at,
                                  DmasTime restart_after);
/* For the deadlock diagnosis, when no event is left: TRUE when job `id` is unsettled because
 * of a fault (accepted but no controller in charge could place it, or placed on an agent that
 * is down), FALSE when it waits for something that could still come (a bidder's answer). */
gboolean dmas_central_job_stranded (const DmasCentral *central, DmasJobId id);
/* Returns: (transfer none) (nullable) the controller of `sim`, NULL in distributed mode. */
DmasCentral *dmas_sim_central (const DmasSim *sim);
/* TRUE while `replica` is up and in charge. */
gboolean dmas_central_in_charge (const DmasCentral *central, DmasCentralReplica replica);

/* ---- the agent side (centralized mode), called from agents/agent.c ---- */

typedef struct DmasAgent DmasAgent;

/* A controller message (DISPATCH or HELLO) arrived at `agent` (up). */
void dmas_central_agent_deliver (DmasAgent *agent, const DmasEnvelope *env, const guint8 *body);
/* The agent's local queue settled: it reports to the controller it believes in charge. */
void dmas_central_agent_report (DmasAgent *agent);
/* A job ended at the agent: FINISH to the controller (encoded as sched_msg.h's FINISH). */
void dmas_central_agent_finished (DmasAgent *agent, const guint8 *finish_body, gsize len);
/* The agent crashed / restarted: it forgets which controller is in charge, stops / starts its
 * periodic reports; a restarted agent reports at once to every replica. */
void dmas_central_agent_down (DmasAgent *agent);
void dmas_central_agent_up (DmasAgent *agent);
/* At time 0 (from dmas_central_start): the agent reports to the primary from now on. */
void dmas_central_agent_start (DmasAgent *agent);

G_END_DECLS

#endif /* DMAS_AGENTS_CENTRAL_H */
