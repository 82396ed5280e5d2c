/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An agent's local batch queue over whole nodes: job start and end, and the FCFS policy. */
#include "config.h"

#include <gio/gio.h>

#include "world/backfill.h"
#include "world/events.h"

static const gchar *const policy_names[] = { "fcfs", "easy", "conservative" };

gboolean
dmas_local_policy_from_string (const gchar *text, DmasLocalPolicy *out, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (policy_names); i++)
    if (g_strcmp0 (text, policy_names[i]) == 0)
      {
        *out = (DmasLocalPolicy) i;
        return TRUE;
      }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "unknown local policy '%s' (available: fcfs, easy, conservative)", text);
  return FALSE;
}

const gchar *
dmas_local_policy_to_string (DmasLocalPolicy policy)
{
  return (guint) policy < G_N_ELEMENTS (policy_names) ? policy_names[policy] : "unknown";
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
  queue->slowdown = 1.0;
  queue->hooks = *hooks;
  queue->user_data = user_data;
  g_queue_init (&queue->waiting);
  queue->running = g_ptr_array_new ();
  dmas_profile_init (&queue->profile, nodes);
  return queue;
}

void
dmas_localq_free (DmasLocalQueue *queue)
{
  if (queue == NULL)
    return;
  /* End events carry the job without a free function: cancelling them is enough to keep
   * them from ever touching this queue again, and the queue frees what it owns. */
  for (guint i = 0; i < queue->running->len; i++)
    {
      DmasQueuedJob *qj = g_ptr_array_index (queue->running, i);
      dmas_engine_cancel (queue->engine, qj->event);
      g_free (qj);
    }
  g_ptr_array_unref (queue->running);
  GList *l;
  while ((l = g_queue_pop_head_link (&queue->waiting)) != NULL)
    g_free (l->data);
  dmas_profile_clear (&queue->profile);
  g_free (queue);
}

/* Execution time on this cluster: the reference runtime stretched by the speed, in whole ns.
 * Speed 1 stays integer so that hand-computed scenarios are exact. */
static DmasTime
execution_time (const DmasLocalQueue *queue, const DmasJob *job)
{
  if (queue->slowdown != 1.0)
    return (DmasTime) ((gdouble) job->runtime / queue->speed * queue->slowdown + 0.5);
  if (queue->speed == 1.0)
    return job->runtime;
  return (DmasTime) ((gdouble) job->runtime / queue->speed + 0.5);
}

static gboolean
running_before (const DmasQueuedJob *a, const DmasQueuedJob *b)
{
  return a->est_end != b->est_end ? a->est_end < b->est_end : a->seq < b->seq;
}

/* Index of the first running job that does not come before `qj` in (est_end, seq) order. */
static guint
running_lower_bound (const DmasLocalQueue *queue, const DmasQueuedJob *qj)
{
  guint lo = 0, hi = queue->running->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (running_before (g_ptr_array_index (queue->running, mid), qj))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void schedule (DmasLocalQueue *queue);

static void
on_job_end (DmasEngine *engine, gpointer data)
{
  DmasQueuedJob *qj = data;
  const DmasJob *job = qj->job;
  DmasLocalQueue *queue = qj->queue;
  (void) engine;
  const DmasTime now = dmas_engine_now (queue->engine);

  guint i = running_lower_bound (queue, qj);
  g_return_if_fail (i < queue->running->len && g_ptr_array_index (queue->running, i) == qj);
  g_ptr_array_remove_index (queue->running, i);
  queue->free_nodes += job->nodes;
  queue->used_cores -= (guint64) job->cores * job->nodes;
  if (queue->policy == DMAS_LOCAL_CONSERVATIVE)
    dmas_backfill_conservative_ended (queue, qj, now);
  const DmasTime start = qj->start;
  const gboolean killed = qj->killed;
  g_free (qj);
  queue->hooks.finished (queue->user_data, job, start, now, killed);
  /* Nodes freed at t are reused at t: the next job's start equals this end. */
  schedule (queue);
}

void
dmas_localq_start (DmasLocalQueue *queue, DmasQueuedJob *qj)
{
  const DmasJob *job = qj->job;
  const DmasTime now = dmas_engine_now (queue->engine);
  g_return_if_fail (job->nodes <= queue->free_nodes);
  g_queue_unlink (&queue->waiting, &qj->link);

  DmasTime run_for = execution_time (queue, job);
  qj->full_end = dmas_time_add_sat (now, run_for);
  /* A batch system stops a job at its requested walltime (a walltime of 0 means none). */
  qj->killed = FALSE;
  if (job->walltime > 0 && run_for > job->walltime)
    {
      run_for = job->walltime;
      qj->killed = TRUE;
    }
  qj->start = now;
  qj->est_end = dmas_time_add_sat (now, qj->estimate);
  g_ptr_array_insert (queue->running, (gint) running_lower_bound (queue, qj), qj);
  queue->free_nodes -= job->nodes;
  queue->used_cores += (guint64) job->cores * job->nodes;
  qj->event = dmas_engine_schedule (queue->engine, now + run_for, DMAS_EV_TIMER,
                                    DMAS_WEV_JOB_END, queue->agent, on_job_end, qj, NULL);
  queue->hooks.started (queue->user_data, job, now);
}

void
dmas_localq_set_slowdown (DmasLocalQueue *queue, gdouble factor)
{
  g_return_if_fail (factor >= 1.0);
  const DmasTime now = dmas_engine_now (queue->engine);
  const gdouble stretch = factor / queue->slowdown;

  queue->slowdown = factor;
  if (stretch == 1.0)
    return;
  /* Each running job keeps the work it has done: only what is left runs at the new pace.
   * Moving the end event does not move the job in `running`, which is sorted by estimated
   * (walltime) ends, and the estimates a backfilling policy planned with stay what the user
   * asked for: a slow agent's jobs then simply run longer, or hit their walltime. */
  for (guint i = 0; i < queue->running->len; i++)
    {
      DmasQueuedJob *qj = g_ptr_array_index (queue->running, i);
      const DmasTime left = qj->full_end > now ? qj->full_end - now : 0;
      const gdouble stretched = (gdouble) left * stretch + 0.5;
      const DmasTime walltime = qj->job->walltime;
      DmasTime end;

      qj->full_end = stretched < (gdouble) (DMAS_TIME_NONE - 1 - now)
                       ? now + (DmasTime) stretched : DMAS_TIME_NONE - 1;
      end = qj->full_end;
      qj->killed = walltime > 0 && end - qj->start > walltime;
      if (qj->killed)
        end = qj->start + walltime;
      dmas_engine_cancel (queue->engine, qj->event);
      qj->event = dmas_engine_schedule (queue->engine, end, DMAS_EV_TIMER, DMAS_WEV_JOB_END,
                                        queue->agent, on_job_end, qj, NULL);
    }
}

gdouble
dmas_localq_slowdown (const DmasLocalQueue *queue)
{
  return queue->slowdown;
}

/* Strict FCFS: only the head may start, so a big job at the head holds back everything
 * behind it (the behaviour backfilling exists to improve). */
static void
fcfs_pass (DmasLocalQueue *queue)
{
  DmasQueuedJob *head;
  while ((head = g_queue_peek_head (&queue->waiting)) != NULL
         && head->job->nodes <= queue->free_nodes)
    dmas_localq_start (queue, head);
}

/* One scheduling pass, run at every event that can change what may start (a submission, a
 * job end), and only then: time passing alone never lets a waiting job start. */
static void
schedule (DmasLocalQueue *queue)
{
  switch (queue->policy)
    {
    case DMAS_LOCAL_FCFS:
      fcfs_pass (queue);
      break;
    case DMAS_LOCAL_EASY:
      dmas_backfill_easy_pass (queue);
      break;
    case DMAS_LOCAL_CONSERVATIVE:
      dmas_backfill_conservative_pass (queue);
      break;
    }
  if (queue->hooks.settled != NULL)
    queue->hooks.settled (queue->user_data);
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
  DmasQueuedJob *qj = g_new0 (DmasQueuedJob, 1);
  qj->queue = queue;
  qj->job = job;
  qj->seq = queue->next_seq++;
  qj->estimate = job->walltime > 0 ? job->walltime : DMAS_TIME_NONE;
  qj->start = qj->est_end = qj->reserved = DMAS_TIME_NONE;
  qj->link.data = qj;
  g_queue_push_tail_link (&queue->waiting, &qj->link);
  if (queue->policy == DMAS_LOCAL_CONSERVATIVE)
    dmas_backfill_conservative_enqueue (queue, qj);
  schedule (queue);
  return TRUE;
}

DmasLocalPolicy
dmas_localq_policy (const DmasLocalQueue *queue)
{
  return queue->policy;
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
  return queue->running->len;
}

guint64
dmas_localq_used_cores (const DmasLocalQueue *queue)
{
  return queue->used_cores;
}

const DmasJob *
dmas_localq_peek_nth (const DmasLocalQueue *queue, guint i)
{
  const DmasQueuedJob *qj = g_queue_peek_nth ((GQueue *) &queue->waiting, i);
  return qj != NULL ? qj->job : NULL;
}

DmasTime
dmas_localq_reservation_nth (const DmasLocalQueue *queue, guint i)
{
  const DmasQueuedJob *qj = g_queue_peek_nth ((GQueue *) &queue->waiting, i);
  if (qj == NULL || queue->policy != DMAS_LOCAL_CONSERVATIVE)
    return DMAS_TIME_NONE;
  return qj->reserved;
}

void
dmas_localq_collect (const DmasLocalQueue *queue, GPtrArray *jobs_out)
{
  for (GList *l = queue->waiting.head; l != NULL; l = l->next)
    g_ptr_array_add (jobs_out, (gpointer) ((const DmasQueuedJob *) l->data)->job);
  for (guint i = 0; i < queue->running->len; i++)
    g_ptr_array_add (jobs_out,
                     (gpointer) ((const DmasQueuedJob *) g_ptr_array_index (queue->running, i))->job);
}
