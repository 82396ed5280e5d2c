/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GSource that drives the engine from a GMainLoop: batched, paced, stoppable, SIGINT-aware. */
#include "config.h"

#include <signal.h>

#include <glib-unix.h>

#include "engine/engine-private.h"

/* One source owns the whole queue because GLib leaves the order between ready sources
 * undefined: simulated events must never be spread over several GLib sources.
 *
 * Modes.  As fast as possible (speed 0): the source is ready until the run ends and each
 * dispatch runs up to `batch` events, so other sources (SIGINT, a progress timer) get a turn
 * between batches.  Pacing (speed > 0 virtual seconds per wall second): the event at virtual
 * time t is due at wall time wall0 + (t - virt0) / speed, where (wall0, virt0) are the monotonic
 * clock and the engine clock when the source first runs; the source sleeps with
 * g_source_set_ready_time() until the next event is due.  Anchoring at the first run (not at
 * creation) is what keeps it from ever firing for wall time that passed before it was attached.
 * The wall clock only decides *when* a batch runs, never which events or at what virtual time,
 * so a paced run dispatches exactly the events, in exactly the order, of an unpaced one.
 *
 * `until`: the run ends with DMAS_RUN_HORIZON before dispatching an event later than `until`;
 * the clock then stays at the last dispatched time (it does not jump to `until`), and the
 * remaining events stay queued, so a later run can continue.
 *
 * SIGINT: a GLib unix-signal source added as a child of this one.  GLib delivers signals
 * through its worker thread, so the interruption takes effect between batches (the child is
 * dispatched just before its parent, which then ends the run), never in the middle of one.  A
 * paced run sleeping until the next event wakes up at once. */

#define DEFAULT_BATCH 4096

typedef struct {
  GSource base;
  DmasEngine *engine;
  gdouble speed;
  guint batch;
  DmasTime until;

  gboolean anchored;
  gint64 wall0;
  DmasTime virt0;

  gboolean interrupted;
  gboolean finished;
  DmasRunStatus status;
  gchar *diagnosis;
} EngineSource;

static void
anchor (EngineSource *s, gint64 wall_now)
{
  if (s->anchored)
    return;
  s->anchored = TRUE;
  s->wall0 = wall_now;
  s->virt0 = s->engine->now;
}

/* Monotonic microseconds at which virtual time t is due; rounded up so that an event is never
 * dispatched before its time. */
static gint64
wall_due (const EngineSource *s, DmasTime t)
{
  gdouble us = (gdouble) (t - s->virt0) / (s->speed * 1000.0);

  if (us >= (gdouble) (G_MAXINT64 / 4))
    return G_MAXINT64 / 4;
  gint64 whole = (gint64) us;
  return s->wall0 + whole + ((gdouble) whole < us);
}

/* Whether dispatch has something to do at wall time `wall_now`; in pacing mode otherwise arms
 * the ready time for the next event. */
static gboolean
is_ready (EngineSource *s, gint64 wall_now)
{
  if (s->finished || s->interrupted || s->speed <= 0 || s->engine->stop_requested)
    return TRUE;
  anchor (s, wall_now);

  DmasTime next = dmas_engine_peek (s->engine);
  if (next == DMAS_TIME_NONE || next > s->until)
    return TRUE; /* the run ends: idle check or horizon */
  gint64 due = wall_due (s, next);
  if (due <= wall_now)
    return TRUE;
  g_source_set_ready_time (&s->base, due);
  return FALSE;
}

static gboolean
source_prepare (GSource *base, gint *timeout)
{
  *timeout = -1;
  return is_ready ((EngineSource *) base, g_source_get_time (base));
}

static gboolean
source_check (GSource *base)
{
  return is_ready ((EngineSource *) base, g_source_get_time (base));
}

static gboolean
finish (EngineSource *s, DmasRunStatus status, gchar *diagnosis)
{
  s->finished = TRUE;
  s->status = status;
  s->diagnosis = diagnosis;
  return TRUE;
}

/* Whether the run ends before the next event: interrupt, stop, empty queue, horizon. */
static gboolean
run_ends (EngineSource *s, DmasTime next)
{
  DmasEngine *engine = s->engine;

  if (s->interrupted)
    return finish (s, DMAS_RUN_INTERRUPTED, NULL);
  if (engine->stop_requested)
    {
      engine->stop_requested = FALSE;
      return finish (s, DMAS_RUN_STOPPED, NULL);
    }
  if (next == DMAS_TIME_NONE)
    {
      gchar *diagnosis = engine->idle_fn ? engine->idle_fn (engine, engine->idle_data) : NULL;
      if (diagnosis != NULL)
        return finish (s, DMAS_RUN_DEADLOCK, diagnosis);
      /* An idle check may legitimately post more work (a new arrival batch, say). */
      if (dmas_engine_pending (engine) == 0)
        return finish (s, DMAS_RUN_COMPLETE, NULL);
      return FALSE;
    }
  if (next > s->until)
    return finish (s, DMAS_RUN_HORIZON, NULL);
  if (engine->stall_fn != NULL && next >= engine->stall_next)
    {
      /* The next check is a period after this one, wherever the events fell meanwhile. */
      engine->stall_next = next + engine->stall_period;
      gchar *diagnosis = engine->stall_fn (engine, engine->stall_data);
      if (diagnosis != NULL)
        return finish (s, DMAS_RUN_STALLED, diagnosis);
    }
  return FALSE;
}

static void
run_batch (EngineSource *s)
{
  DmasEngine *engine = s->engine;
  gint64 wall_now = 0;

  if (s->speed > 0)
    {
      wall_now = g_get_monotonic_time ();
      anchor (s, wall_now);
    }
  for (guint n = 0; n < s->batch; n++)
    {
      DmasTime next = dmas_engine_peek (engine);
      if (run_ends (s, next))
        return;
      if (next == DMAS_TIME_NONE) /* the idle check posted work */
        continue;
      if (s->speed > 0 && wall_due (s, next) > wall_now)
        return;
      dmas_engine_dispatch_top (engine);
    }
  /* A stop requested by the batch's last event ends the run now, not one batch later. */
  if (engine->stop_requested)
    {
      engine->stop_requested = FALSE;
      finish (s, DMAS_RUN_STOPPED, NULL);
    }
}

static gboolean
source_dispatch (GSource *base, GSourceFunc callback, gpointer user_data)
{
  EngineSource *s = (EngineSource *) base;

  if (!s->finished)
    run_batch (s);
  if (!s->finished)
    return G_SOURCE_CONTINUE;
  if (callback != NULL)
    callback (user_data);
  return G_SOURCE_REMOVE;
}

static void
source_finalize (GSource *base)
{
  g_free (((EngineSource *) base)->diagnosis);
}

/* Never written: g_source_new() just takes a non-const pointer. */
static GSourceFuncs engine_source_funcs = {
  .prepare = source_prepare,
  .check = source_check,
  .dispatch = source_dispatch,
  .finalize = source_finalize,
};

static gboolean
on_sigint (gpointer user_data)
{
  ((EngineSource *) user_data)->interrupted = TRUE;
  return G_SOURCE_CONTINUE;
}

GSource *
dmas_engine_source_new (DmasEngine *engine, const DmasRunOptions *opts)
{
  static const DmasRunOptions defaults = { .speed = 0, .batch = 0, .until = DMAS_TIME_NONE };

  g_return_val_if_fail (engine != NULL, NULL);
  if (opts == NULL)
    opts = &defaults;
  g_return_val_if_fail (opts->speed >= 0, NULL);

  GSource *base = g_source_new (&engine_source_funcs, sizeof (EngineSource));
  EngineSource *s = (EngineSource *) base;
  s->engine = engine;
  s->speed = opts->speed;
  s->batch = opts->batch ? opts->batch : DEFAULT_BATCH;
  s->until = opts->until;
  g_source_set_static_name (base, "dmas-engine");
  /* A stop left over from stepping by hand must not end the new run before it starts. */
  engine->stop_requested = FALSE;

  if (opts->handle_sigint)
    {
      g_autoptr (GSource) sig = g_unix_signal_source_new (SIGINT);
      g_source_set_callback (sig, on_sigint, s, NULL);
      g_source_set_static_name (sig, "dmas-engine-sigint");
      g_source_add_child_source (base, sig);
    }
  return base;
}

gboolean
dmas_engine_source_finished (GSource *source, DmasRunStatus *status, gchar **diagnosis)
{
  g_return_val_if_fail (source != NULL && source->source_funcs == &engine_source_funcs, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  EngineSource *s = (EngineSource *) source;
  if (!s->finished)
    return FALSE;
  *status = s->status;
  if (diagnosis != NULL)
    *diagnosis = g_strdup (s->diagnosis);
  return TRUE;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

DmasRunStatus
dmas_engine_run (DmasEngine *engine, const DmasRunOptions *opts, gchar **diagnosis)
{
  /* A context of our own, not the global default: several engines (tests, campaign workers)
   * may run in one process, and anything an event attaches to the thread-default context
   * during the run belongs to this run. */
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr (GSource) source = dmas_engine_source_new (engine, opts);
  DmasRunStatus status = DMAS_RUN_COMPLETE;

  if (diagnosis != NULL)
    *diagnosis = NULL;
  g_return_val_if_fail (source != NULL, DMAS_RUN_COMPLETE);

  g_source_set_callback (source, quit_loop, loop, NULL);
  g_main_context_push_thread_default (context);
  g_source_attach (source, context);
  g_main_loop_run (loop);
  g_source_destroy (source);
  g_main_context_pop_thread_default (context);

  /* Only the source's own callback quits this loop, and only once the run has ended. */
  if (!dmas_engine_source_finished (source, &status, diagnosis))
    g_error ("dmas engine: the main loop quit before the run ended");
  return status;
}

const gchar *
dmas_run_status_to_string (DmasRunStatus status)
{
  switch (status)
    {
    case DMAS_RUN_COMPLETE:
      return "complete";
    case DMAS_RUN_HORIZON:
      return "horizon";
    case DMAS_RUN_STOPPED:
      return "stopped";
    case DMAS_RUN_INTERRUPTED:
      return "interrupted";
    case DMAS_RUN_DEADLOCK:
      return "deadlock";
    case DMAS_RUN_STALLED:
      return "stalled";
    default:
      return "unknown";
    }
}
