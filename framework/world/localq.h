/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An agent's local batch queue over the whole nodes of its cluster. */
#ifndef DMAS_WORLD_LOCALQ_H
#define DMAS_WORLD_LOCALQ_H

#include <glib.h>

#include <dmas/job.h>
#include "engine/engine.h"

G_BEGIN_DECLS

/* Local scheduling policies (DESIGN §5).  Every decision uses the jobs' estimates (their
 * requested walltime), never their actual runtime; a job with walltime 0 has no estimate and
 * counts as running forever.
 *   FCFS          only the head of the queue may start, when enough nodes are free.
 *   EASY          FCFS, then the head gets a reservation at its shadow time (the earliest
 *                 time enough nodes are free by the running jobs' estimated ends); any later
 *                 job that fits now starts if it ends (by its estimate) no later than the
 *                 shadow time, or uses only nodes that are still spare at the shadow time.
 *   CONSERVATIVE  every waiting job holds a reservation, placed in queue order at the
 *                 earliest time its nodes are free for its whole estimate on the profile of
 *                 running jobs and earlier reservations; a job starts when its reservation
 *                 begins.  When a job ends before its estimate, every reservation is taken
 *                 out and put back, in queue order, at the earliest time (never later than
 *                 before: compression). */
typedef enum {
  DMAS_LOCAL_FCFS = 0,
  DMAS_LOCAL_EASY,
  DMAS_LOCAL_CONSERVATIVE
} DmasLocalPolicy;

/* Parses the config's scheduling.local_policy ("fcfs", "easy", "conservative").
 * Returns FALSE with error set (G_IO_ERROR_INVALID_ARGUMENT) for any other text. */
gboolean dmas_local_policy_from_string (const gchar *text, DmasLocalPolicy *out, GError **error);
const gchar *dmas_local_policy_to_string (DmasLocalPolicy policy);

/* Called from inside engine dispatch.  `job` is the pointer given to dmas_localq_submit(). */
typedef struct {
  void (*started) (gpointer user_data, const DmasJob *job, DmasTime start);
  /* killed: the job reached its requested walltime before its runtime and was stopped. */
  void (*finished) (gpointer user_data, const DmasJob *job, DmasTime start, DmasTime end,
                    gboolean killed);
  /* Optional (may be NULL): the queue has settled after a submission or a job end (every
   * job the policy allows has started).  Called once per such event, after the other hooks,
   * for owners that report the queue's state. */
  void (*settled) (gpointer user_data);
} DmasLocalQueueHooks;

typedef struct DmasLocalQueue DmasLocalQueue;

/* A queue over `nodes` nodes of relative `speed` (a job runs runtime / speed).  Job ends are
 * engine events of class DMAS_EV_TIMER and kind DMAS_WEV_JOB_END for `agent`.
 * Returns: (transfer full). */
DmasLocalQueue *dmas_localq_new (DmasEngine *engine, DmasAgentId agent, DmasLocalPolicy policy,
                                 guint nodes, gdouble speed, const DmasLocalQueueHooks *hooks,
                                 gpointer user_data);
/* Cancels the end events of the jobs still running (the engine must still be alive) and
 * forgets the waiting ones, without calling any hook. */
void dmas_localq_free (DmasLocalQueue *queue);

/* Queues `job` (borrowed: it must stay valid while the queue holds it) and starts whatever
 * the policy allows now, possibly this job, before returning.  A job is given job->nodes
 * whole nodes exclusively.
 * Returns: FALSE with error set when the job asks for more nodes than the cluster has (it
 * could never start and would block the queue forever). */
gboolean dmas_localq_submit (DmasLocalQueue *queue, const DmasJob *job, GError **error);

/* Degradation: from now on the queue's jobs progress 1/`factor` as fast (factor >= 1; 1 is
 * full speed).  What is left of each running job stretches by factor / (the previous factor)
 * (its end event moves; a job that now passes its walltime is stopped there, and one that
 * no longer does runs to its end); jobs started later run runtime / speed x factor. */
void dmas_localq_set_slowdown (DmasLocalQueue *queue, gdouble factor);
gdouble dmas_localq_slowdown (const DmasLocalQueue *queue);

DmasLocalPolicy dmas_localq_policy (const DmasLocalQueue *queue);
guint dmas_localq_free_nodes (const DmasLocalQueue *queue);
guint dmas_localq_total_nodes (const DmasLocalQueue *queue);
guint dmas_localq_n_queued (const DmasLocalQueue *queue);
guint dmas_localq_n_running (const DmasLocalQueue *queue);
/* Cores asked for by the running jobs (cores per node × nodes), over all nodes. */
guint64 dmas_localq_used_cores (const DmasLocalQueue *queue);
/* The i-th waiting job, 0 = head.  O(i).  Returns: (transfer none) (nullable). */
const DmasJob *dmas_localq_peek_nth (const DmasLocalQueue *queue, guint i);
/* Appends every job the queue holds (const DmasJob*, borrowed): the waiting ones in queue
 * order, then the running ones by estimated end. */
void dmas_localq_collect (const DmasLocalQueue *queue, GPtrArray *jobs_out);
/* Conservative only: the start of the reservation of the i-th waiting job, or
 * DMAS_TIME_NONE (no such job, another policy, or no time at which it fits). */
DmasTime dmas_localq_reservation_nth (const DmasLocalQueue *queue, guint i);

G_END_DECLS

#endif /* DMAS_WORLD_LOCALQ_H */
