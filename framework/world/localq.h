/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An agent's local batch queue over the whole nodes of its cluster. */
#ifndef DMAS_WORLD_LOCALQ_H
#define DMAS_WORLD_LOCALQ_H

#include <glib.h>

#include <dmas/job.h>
#include "engine/engine.h"

G_BEGIN_DECLS

/* Local scheduling policies.  Only FCFS exists so far; EASY and conservative backfilling
 * (DESIGN §5) will take the next values. */
typedef enum {
  DMAS_LOCAL_FCFS = 0
} DmasLocalPolicy;

/* Parses the config's scheduling.local_policy.  Known but unbuilt policies fail with
 * "... not supported yet".  Returns FALSE with error set. */
gboolean dmas_local_policy_from_string (const gchar *text, DmasLocalPolicy *out, GError **error);

/* Called from inside engine dispatch.  `job` is the pointer given to dmas_localq_submit(). */
typedef struct {
  void (*started) (gpointer user_data, const DmasJob *job, DmasTime start);
  /* killed: the job reached its requested walltime before its runtime and was stopped. */
  void (*finished) (gpointer user_data, const DmasJob *job, DmasTime start, DmasTime end,
                    gboolean killed);
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

guint dmas_localq_free_nodes (const DmasLocalQueue *queue);
guint dmas_localq_total_nodes (const DmasLocalQueue *queue);
guint dmas_localq_n_queued (const DmasLocalQueue *queue);
guint dmas_localq_n_running (const DmasLocalQueue *queue);
/* Cores asked for by the running jobs (cores per node × nodes), over all nodes. */
guint64 dmas_localq_used_cores (const DmasLocalQueue *queue);
/* The i-th waiting job, 0 = head.  Returns: (transfer none) (nullable). */
const DmasJob *dmas_localq_peek_nth (const DmasLocalQueue *queue, guint i);

G_END_DECLS

#endif /* DMAS_WORLD_LOCALQ_H */
