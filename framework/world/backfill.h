/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inside of a local queue, shared by localq.c and the backfilling policies. */
#ifndef DMAS_WORLD_BACKFILL_H
#define DMAS_WORLD_BACKFILL_H

#include <glib.h>

#include "world/localq.h"

G_BEGIN_DECLS

/* A step function of the free nodes of a cluster over future time, built from estimates:
 * steps[k].free nodes are free from steps[k].t until steps[k+1].t (the last step lasts
 * forever).  Times strictly increase; steps[0].t is never after the present. */
typedef struct {
  DmasTime t;
  guint free;
} DmasProfileStep;

typedef struct {
  GArray *steps; /* DmasProfileStep */
} DmasProfile;

/* A profile with all `nodes` free from time 0 on. */
void dmas_profile_init (DmasProfile *profile, guint nodes);
void dmas_profile_clear (DmasProfile *profile);
/* Forgets the steps that ended at or before `now`. */
void dmas_profile_advance (DmasProfile *profile, DmasTime now);
/* Adds `delta` free nodes over [from, to); to = DMAS_TIME_NONE means forever.  `from` must
 * not be before the first step (callers pass times >= now after advancing). */
void dmas_profile_add (DmasProfile *profile, DmasTime from, DmasTime to, gint delta);
/* The earliest t >= now at which `nodes` nodes stay free over [t, t + duration)
 * (duration DMAS_TIME_NONE: forever), or DMAS_TIME_NONE when there is none. */
DmasTime dmas_profile_earliest (const DmasProfile *profile, DmasTime now, guint nodes,
                                DmasTime duration);

/* a + b, or DMAS_TIME_NONE when either is DMAS_TIME_NONE or the sum overflows. */
static inline DmasTime
dmas_time_add_sat (DmasTime a, DmasTime b)
{
  if (a == DMAS_TIME_NONE || b == DMAS_TIME_NONE || a > DMAS_TIME_NONE - 1 - b)
    return DMAS_TIME_NONE;
  return a + b;
}

/* One job the queue holds, waiting or running.  Owned by the queue. */
typedef struct {
  DmasLocalQueue *queue;
  const DmasJob *job;
  guint64 seq;        /* submission order: ties between equal estimated ends */
  DmasTime estimate;  /* requested walltime; DMAS_TIME_NONE when the job gave none */
  DmasTime start;     /* once running */
  DmasTime est_end;   /* once running: start + estimate (saturating) */
  DmasTime reserved;  /* conservative, while waiting: start of its reservation */
  gboolean killed;    /* will be stopped at its walltime */
  DmasTime full_end;  /* once running: when its work would be done, walltime aside (a
                       * degradation stretches what is left of it: localq.c) */
  DmasEventId event;  /* its end, once running */
  GList link;         /* in waiting; data = this */
} DmasQueuedJob;

struct DmasLocalQueue {
  DmasEngine *engine;
  DmasAgentId agent;
  DmasLocalPolicy policy;
  guint nodes;
  guint free_nodes;
  gdouble speed;
  gdouble slowdown;   /* degradation factor (>= 1; 1 = full speed): agents/degrade.c */
  guint64 used_cores;
  guint64 next_seq;
  DmasLocalQueueHooks hooks;
  gpointer user_data;
  GQueue waiting;     /* DmasQueuedJob*, queue order (submission order), head first */
  GPtrArray *running; /* DmasQueuedJob*, sorted by (est_end, seq) */
  DmasProfile profile; /* conservative: running jobs and every reservation */
};

/* Starts the waiting job `qj` now on free nodes (it must fit) and takes it out of `waiting`. */
void dmas_localq_start (DmasLocalQueue *queue, DmasQueuedJob *qj);

/* EASY: starts what the rules allow now (FCFS part included). */
void dmas_backfill_easy_pass (DmasLocalQueue *queue);

/* Conservative: a job joined the tail of `waiting`; gives it its reservation. */
void dmas_backfill_conservative_enqueue (DmasLocalQueue *queue, DmasQueuedJob *qj);
/* Conservative: `qj` just left its nodes (already out of `running`) at `now`. */
void dmas_backfill_conservative_ended (DmasLocalQueue *queue, const DmasQueuedJob *qj,
                                       DmasTime now);
/* Conservative: starts, in queue order, the jobs whose reservation has begun. */
void dmas_backfill_conservative_pass (DmasLocalQueue *queue);

G_END_DECLS

#endif /* DMAS_WORLD_BACKFILL_H */
