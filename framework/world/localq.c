/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An agent's local batch queue: strict FCFS over whole nodes. */
#include "config.h"

#include <gio/gio.h>

#include "world/events.h"
#include "world/localq.h"

typedef struct {
  DmasLocalQueue *queue;
  const DmasJob *job;
  DmasTime start;
  gboolean killed;
  DmasEventId event;
  GList link; /* in queue->running; embedded so that ending a job allocates nothing */
} Running;

struct DmasLocalQueue {
  DmasEngine *engine;
  DmasAgentId agent;
  DmasLocalPolicy policy;
  guint nodes;
  guint free_nodes;
  gdouble speed;
  guint64 used_cores;
  DmasLocalQueueHooks hooks;
  gpointer user_data;
  GQueue waiting; /* const DmasJob*, head first */
  GQueue running; /* Running*, in start order */
};

gboolean
dmas_local_policy_from_string (const gchar *text, DmasLocalPolicy *out, GError **error)
{
  if (g_strcmp0 (text, "fcfs") == 0)
    {
      *out = DMAS_LOCAL_FCFS;
      return TRUE;
    }
  if (g_strcmp0 (text, "easy") == 0 || g_strcmp0 (text, "conservative") == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "local policy '%s' is not supported yet (available: fcfs)", text);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "unknown local policy '%s' (available: fcfs)", text);
  return FALSE;
}

DmasLocalQueue *
dmas_localq_new (DmasEngine *engine, DmasAgentId agent, DmasLocalPolicy policy, guint nodes,
                 gdouble speed, const DmasLocalQueueHooks *hooks, gpointer user_data)
{
  g_return_val_if_fail (speed > 0.0, NULL);
  DmasLocalQueue *queue = g_new0 (DmasLocalQueue, 1);
  queue->engine = engine;
  queue->agent = agent;
  queue->policy = policy;
  queue->nodes = nodes;
  queue->free_nodes = nodes;
  queue->speed = speed;
  queue->hooks = *hooks;
  queue->user_data = user_data;
  g_queue_init (&queue->waiting);
  g_queue_init (&queue->running);
  return queue;
}

void
dmas_localq_free (DmasLocalQueue *queue)
{
  if (queue == NULL)
    return;
  /* The engine owns each Running (it frees it with the event); cancelling keeps the end
   * events from ever touching this queue again. */
  for (GList *l = queue->running.head; l != NULL; l = l->next)
    dmas_engine_cancel (queue->engine, ((Running *) l->data)->event);
  g_queue_clear (&queue->waiting);
  g_free (queue);
}

/* Execution time on this cluster: the reference runtime stretched by the speed, in whole ns.
 * Speed 1 stays integer so that hand-computed scenarios are exact. */
static DmasTime
execution_time (const DmasLocalQueue *queue, const DmasJob *job)
{
  if (queue->speed == 1.0)
    return job->runtime;
  return (DmasTime) ((gdouble) job->runtime / queue->speed + 0.5);
}

static void try_start (DmasLocalQueue *queue);

static void
on_job_end (DmasEngine *engine, gpointer data)
{
  Running *run = data;
  DmasLocalQueue *queue = run->queue;
  (void) engine;

  g_queue_unlink (&queue->running, &run->link);
  queue->free_nodes += run->job->nodes;
  queue->used_cores -= (guint64) run->job->cores * run->job->nodes;
  queue->hooks.finished (queue->user_data, run->job, run->start, dmas_engine_now (queue->engine),
                         run->killed);
  /* Nodes freed at t are reused at t: the next job's start equals this end. */
  try_start (queue);
}

static void
start_job (DmasLocalQueue *queue, const DmasJob *job)
{
  const DmasTime now = dmas_engine_now (queue->engine);
  DmasTime run_for = execution_time (queue, job);
  gboolean killed = FALSE;
  /* A batch system stops a job at its requested walltime (a walltime of 0 means none). */
  if (job->walltime > 0 && run_for > job->walltime)
    {
      run_for = job->walltime;
      killed = TRUE;
    }

  Running *run = g_new0 (Running, 1);
  run->queue = queue;
  run->job = job;
  run->start = now;
  run->killed = killed;
  run->link.data = run;
  g_queue_push_tail_link (&queue->running, &run->link);
  queue->free_nodes -= job->nodes;
  queue->used_cores += (guint64) job->cores * job->nodes;
  run->event = dmas_engine_schedule (queue->engine, now + run_for, DMAS_EV_TIMER, DMAS_WEV_JOB_END,
                                     queue->agent, on_job_end, run, g_free);
  queue->hooks.started (queue->user_data, job, now);
}

/* Strict FCFS: only the head may start, so a big job at the head holds back everything
 * behind it (the behaviour EASY backfilling exists to improve). */
static void
try_start (DmasLocalQueue *queue)
{
  while (!g_queue_is_empty (&queue->waiting))
    {
      const DmasJob *head = g_queue_peek_head (&queue->waiting);
      if (head->nodes > queue->free_nodes)
        break;
      g_queue_pop_head (&queue->waiting);
      start_job (queue, head);
    }
}

gboolean
dmas_localq_submit (DmasLocalQueue *queue, const DmasJob *job, GError **error)
{
  if (job->nodes > queue->nodes)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "job %" G_GUINT64_FORMAT " asks for %u nodes; agent %u has only %u",
                   job->id, job->nodes, queue->agent, queue->nodes);
      return FALSE;
    }
  g_queue_push_tail (&queue->waiting, (gpointer) job);
  try_start (queue);
  return TRUE;
}

guint
dmas_localq_free_nodes (const DmasLocalQueue *queue)
{
  return queue->free_nodes;
}

guint
dmas_localq_total_nodes (const DmasLocalQueue *queue)
{
  return queue->nodes;
}

guint
dmas_localq_n_queued (const DmasLocalQueue *queue)
{
  return queue->waiting.length;
}

guint
dmas_localq_n_running (const DmasLocalQueue *queue)
{
  return queue->running.length;
}

guint64
dmas_localq_used_cores (const DmasLocalQueue *queue)
{
  return queue->used_cores;
}

const DmasJob *
dmas_localq_peek_nth (const DmasLocalQueue *queue, guint i)
{
  return g_queue_peek_nth ((GQueue *) &queue->waiting, i);
}
