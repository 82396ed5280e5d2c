/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conservative backfilling (Mu'alem and Feitelson 2001): a reservation for every waiting job. */
#include "config.h"

#include "world/backfill.h"

/* The profile holds every running job over [start, estimated end) and every waiting job over
 * its reservation.  It only ever has to be right from `now` on. */

static void
reserve (DmasLocalQueue *queue, DmasQueuedJob *qj, DmasTime now)
{
  qj->reserved = dmas_profile_earliest (&queue->profile, now, qj->job->nodes, qj->estimate);
  /* No time at which it fits means jobs without an estimate hold its nodes forever; it
   * waits unreserved, and a later compression may find it a place. */
  if (qj->reserved != DMAS_TIME_NONE)
    dmas_profile_add (&queue->profile, qj->reserved,
                      dmas_time_add_sat (qj->reserved, qj->estimate), -(gint) qj->job->nodes);
}

static void
unreserve (DmasLocalQueue *queue, DmasQueuedJob *qj)
{
  if (qj->reserved != DMAS_TIME_NONE)
    dmas_profile_add (&queue->profile, qj->reserved,
                      dmas_time_add_sat (qj->reserved, qj->estimate), (gint) qj->job->nodes);
  qj->reserved = DMAS_TIME_NONE;
}

void
dmas_backfill_conservative_enqueue (DmasLocalQueue *queue, DmasQueuedJob *qj)
{
  const DmasTime now = dmas_engine_now (queue->engine);
  dmas_profile_advance (&queue->profile, now);
  /* Placed after every earlier reservation: a new job never delays an older one. */
  reserve (queue, qj, now);
}

static gint
by_reservation (gconstpointer a, gconstpointer b)
{
  const DmasQueuedJob *x = *(const DmasQueuedJob *const *) a;
  const DmasQueuedJob *y = *(const DmasQueuedJob *const *) b;
  if (x->reserved != y->reserved)
    return x->reserved < y->reserved ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
dmas_backfill_conservative_ended (DmasLocalQueue *queue, const DmasQueuedJob *qj, DmasTime now)
{
  dmas_profile_advance (&queue->profile, now);
  if (qj->est_end == now)
    return; /* ended as planned: the profile already knew */
  /* Ended before its estimate: give back the rest of its interval, then compress.  Each job
   * in turn is taken out and put back at the earliest time it fits; its old slot is still
   * free at that moment, so no reservation ever moves later.  The order is that of the
   * reservations (then queue order), not the queue: a job then never lands on the end of a
   * later job's old slot that this same pass is about to move away, so every reservation
   * begins at a running job's estimated end or at the end of an earlier reservation, both
   * instants at which a pass runs anyway (no reservation needs a timer of its own). */
  dmas_profile_add (&queue->profile, now, qj->est_end, (gint) qj->job->nodes);
  g_autoptr (GPtrArray) order = g_ptr_array_sized_new (queue->waiting.length);
  for (GList *l = queue->waiting.head; l != NULL; l = l->next)
    g_ptr_array_add (order, l->data);
  g_ptr_array_sort (order, by_reservation);
  for (guint i = 0; i < order->len; i++)
    {
      DmasQueuedJob *w = g_ptr_array_index (order, i);
      unreserve (queue, w);
      reserve (queue, w, now);
    }
}

void
dmas_backfill_conservative_pass (DmasLocalQueue *queue)
{
  const DmasTime now = dmas_engine_now (queue->engine);
  GList *l = queue->waiting.head;
  while (l != NULL && queue->free_nodes > 0)
    {
      DmasQueuedJob *qj = l->data;
      l = l->next; /* starting qj unlinks it */
      /* The nodes may still be busy for the rest of this instant: jobs estimated to end now
       * leave them one end event at a time, and each end runs this pass again. */
      if (qj->reserved > now || qj->job->nodes > queue->free_nodes)
        continue;
      if (qj->reserved < now)
        {
          /* Defensive: a reservation whose instant passed without its nodes (it cannot
           * happen while actual ends never pass estimated ones) moves to the real start, so
           * the profile keeps describing the running job exactly. */
          unreserve (queue, qj);
          dmas_profile_add (&queue->profile, now, dmas_time_add_sat (now, qj->estimate),
                            -(gint) qj->job->nodes);
        }
      dmas_localq_start (queue, qj);
    }
}
