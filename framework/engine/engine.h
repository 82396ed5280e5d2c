/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The discrete-event engine: virtual clock, event queue, RNG streams, trace digest, GSource. */
#ifndef DMAS_ENGINE_H
#define DMAS_ENGINE_H

#include <glib.h>

#include <dmas/types.h>

G_BEGIN_DECLS

/* Same-instant order of event classes.  Faults first, so a crash at t hides the messages
 * and timers of t from the crashed agent; deliveries before timers, so a message that arrives
 * exactly at a timeout counts as in time; observers last, so they see the instant settled. */
typedef enum {
  DMAS_EV_FAULT = 0,
  DMAS_EV_DELIVER = 1,
  DMAS_EV_TIMER = 2,
  DMAS_EV_OBSERVE = 3
} DmasEventClass;

typedef struct DmasEngine DmasEngine;
typedef guint64 DmasEventId; /* 0 is never a valid id */

/* Called when the event is dispatched.  The engine frees `data` with the free function given
 * to dmas_engine_schedule() right after fn returns (or on cancel/engine free). */
typedef void (*DmasEventFn) (DmasEngine *engine, gpointer data);

/* Called when the queue runs empty.  Returns NULL when the run is legitimately over, or a
 * newly allocated diagnosis (which jobs, which agents) when work is still pending: the run
 * then ends with DMAS_RUN_DEADLOCK. */
typedef gchar *(*DmasIdleCheckFn) (DmasEngine *engine, gpointer user_data);

typedef enum {
  DMAS_RUN_COMPLETE = 0,    /* queue empty, idle check satisfied */
  DMAS_RUN_HORIZON,         /* reached the `until` time with events still pending */
  DMAS_RUN_STOPPED,         /* dmas_engine_stop() was called */
  DMAS_RUN_INTERRUPTED,     /* SIGINT */
  DMAS_RUN_DEADLOCK,        /* queue empty but the idle check reported pending work */
  DMAS_RUN_STALLED          /* events go on but the stall check reported no progress */
} DmasRunStatus;

typedef struct {
  gdouble speed;     /* 0: as fast as possible; > 0: virtual seconds per wall second */
  guint batch;       /* events per GSource dispatch in as-fast-as-possible mode (0: 4096) */
  DmasTime until;    /* stop before dispatching events later than this (DMAS_TIME_NONE: never) */
  gboolean handle_sigint; /* install a SIGINT source that interrupts the run */
} DmasRunOptions;

/* Returns: (transfer full) a new engine at time 0 with the given run seed. */
DmasEngine *dmas_engine_new (guint64 run_seed);
/* Frees pending events (running their free functions) and every RNG stream. */
void dmas_engine_free (DmasEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasEngine, dmas_engine_free)

DmasTime dmas_engine_now (const DmasEngine *engine);
guint64 dmas_engine_seed (const DmasEngine *engine);

/* Schedules fn(engine, data) at absolute time `at` (>= now).  `kind` and `agent` describe the
 * event for the trace digest (agent may be DMAS_AGENT_NONE).  free_fn (nullable) runs exactly
 * once: after dispatch, on cancel-at-pop, or at engine free.
 * Returns: the event's id. */
DmasEventId dmas_engine_schedule (DmasEngine *engine, DmasTime at, DmasEventClass cls,
                                  guint32 kind, guint32 agent, DmasEventFn fn, gpointer data,
                                  GDestroyNotify free_fn);
/* Lazy cancel: the event stays in the heap, flagged, and is skipped when popped.  Safe from
 * inside a dispatch, including for events of the same instant.
 * Returns: TRUE if the event was pending and is now cancelled. */
gboolean dmas_engine_cancel (DmasEngine *engine, DmasEventId id);

/* Live (not cancelled) events still queued. */
gsize dmas_engine_pending (const DmasEngine *engine);
/* Events dispatched so far (cancelled ones are not counted). */
guint64 dmas_engine_events (const DmasEngine *engine);

/* Dispatches the next live event.  Returns FALSE when the queue is empty. */
gboolean dmas_engine_step (DmasEngine *engine);

/* Time of the next live event, or DMAS_TIME_NONE. */
DmasTime dmas_engine_next_time (DmasEngine *engine);

/* Named random stream, seeded from dmas_engine_stream_seed (run seed, name), created on first
 * use.  Returns: (transfer none) valid until the engine is freed. */
GRand *dmas_engine_rng (DmasEngine *engine, const gchar *stream);
guint64 dmas_engine_stream_seed (guint64 run_seed, const gchar *stream);

/* The world seed (default: the run seed) seeds the streams of what a campaign keeps the same
 * for every method of one repetition: platform, workload and fault schedule. */
void dmas_engine_set_world_seed (DmasEngine *engine, guint64 world_seed);
/* Named stream seeded from dmas_engine_stream_seed (world seed, name); with the world seed
 * equal to the run seed it draws the same numbers as dmas_engine_rng (engine, name).
 * Returns: (transfer none) valid until the engine is freed. */
GRand *dmas_engine_world_rng (DmasEngine *engine, const gchar *stream);

/* Returns: (transfer full) the lowercase hex SHA-256 trace digest of everything dispatched so
 * far.  Can be called at any time; does not disturb the running digest. */
gchar *dmas_engine_digest (DmasEngine *engine);

void dmas_engine_set_idle_check (DmasEngine *engine, DmasIdleCheckFn fn, gpointer user_data);

/* Livelock guard.  Once per `period` of virtual time (checked before dispatching the first
 * event at or past the previous check + period, so it adds no event and leaves the trace
 * digest alone), the engine calls fn: NULL means the run is making progress, a newly allocated
 * diagnosis ends the run with DMAS_RUN_STALLED.  A period of 0 (the default) disables it. */
void dmas_engine_set_stall_check (DmasEngine *engine, DmasTime period, DmasIdleCheckFn fn,
                                  gpointer user_data);

/* Requests the current run to end after the event being dispatched. */
void dmas_engine_stop (DmasEngine *engine);

/* Runs the engine from a GMainLoop through one custom GSource until the queue is empty, the
 * `until` time, a stop, a SIGINT, a deadlock or a stall.  diagnosis: (out) (optional)
 * (transfer full) set to the idle or stall check's text on DMAS_RUN_DEADLOCK or
 * DMAS_RUN_STALLED, NULL otherwise. */
DmasRunStatus dmas_engine_run (DmasEngine *engine, const DmasRunOptions *opts,
                               gchar **diagnosis);

/* Returns: (transfer full) the GSource that drives the engine (for callers that own their own
 * main loop, such as the demo).  Attach it to a context; it never fires for past wall time. */
GSource *dmas_engine_source_new (DmasEngine *engine, const DmasRunOptions *opts);

const gchar *dmas_run_status_to_string (DmasRunStatus status);

/* For callers driving a source from dmas_engine_source_new() themselves: the source calls its
 * callback (g_source_set_callback(), a GSourceFunc whose return value is ignored) once, when the
 * run ends, and then removes itself.  Returns: TRUE once the run has ended, with *status set and,
 * if diagnosis is non-NULL, *diagnosis set to (transfer full) the idle check's text on
 * DMAS_RUN_DEADLOCK, NULL otherwise.  FALSE (outputs untouched) while it is still running. */
gboolean dmas_engine_source_finished (GSource *source, DmasRunStatus *status, gchar **diagnosis);

/* Observes every dispatched event, just before it runs: (virtual time, class, kind, agent)
 * exactly as folded into the trace digest.  For golden traces and debugging (`dmas run
 * --trace`); it must not schedule or cancel events. */
typedef void (*DmasTraceFn) (DmasTime time, DmasEventClass cls, guint32 kind, guint32 agent,
                             gpointer user_data);

/* Installs (fn non-NULL) or removes (NULL) the trace observer.  Without one the dispatch path
 * pays a single well-predicted branch. */
void dmas_engine_set_trace (DmasEngine *engine, DmasTraceFn fn, gpointer user_data);

G_END_DECLS

#endif /* DMAS_ENGINE_H */
