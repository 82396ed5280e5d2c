/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EASY backfilling (Lifka 1995; Mu'alem and Feitelson 2001): one reservation, for the head. */
#include "config.h"

#include "world/backfill.h"

/* The head's shadow time and the extra nodes: walking the running jobs by estimated end,
 * the first end at which the free nodes reach the head's size, and how many nodes beyond
 * the head's are free at that instant.  `running` is kept sorted by estimated end so this
 * walk is the whole cost; it always ends because the head fits the cluster. */
static void
shadow (const DmasLocalQueue *queue, guint need, DmasTime *shadow_out, guint *extra_out)
{
  const GPtrArray *running = queue->running;
  guint avail = queue->free_nodes;
  for (guint i = 0; i < running->len; i++)
    {
      const DmasQueuedJob *r = g_ptr_array_index (running, i);
      avail += r->job->nodes;
      if (avail < need)
        continue;
      /* Every job estimated to end at that same instant frees its nodes for the extra. */
      const DmasTime at = r->est_end;
      for (i++; i < running->len; i++)
        {
          const DmasQueuedJob *next = g_ptr_array_index (running, i);
          if (next->est_end != at)
            break;
          avail += next->job->nodes;
        }
      *shadow_out = at;
      *extra_out = avail - need;
      return;
    }
  /* Unreachable while need <= nodes; the safe answer backfills nothing that overlaps. */
  *shadow_out = dmas_engine_now (queue->engine);
  *extra_out = 0;
}

void
dmas_backfill_easy_pass (DmasLocalQueue *queue)
{
  DmasQueuedJob *head;
  while ((head = g_queue_peek_head (&queue->waiting)) != NULL
         && head->job->nodes <= queue->free_nodes)
    dmas_localq_start (queue, head);
  if (head == NULL || queue->free_nodes == 0)
    return;

  DmasTime shadow_time;
  guint extra;
  shadow (queue, head->job->nodes, &shadow_time, &extra);
  const DmasTime now = dmas_engine_now (queue->engine);

  /* Backfilling cannot change the shadow time: a job admitted here either ends (by its
   * estimate) by then, or sits on nodes the head will not need, which `extra` tracks. */
  GList *l = head->link.next;
  while (l != NULL && queue->free_nodes > 0)
    {
      DmasQueuedJob *qj = l->data;
      l = l->next; /* starting qj unlinks it */
      const guint n = qj->job->nodes;
      if (n > queue->free_nodes)
        continue;
      if (dmas_time_add_sat (now, qj->estimate) <= shadow_time)
        dmas_localq_start (queue, qj);
      else if (n <= extra)
        {
          extra -= n;
          dmas_localq_start (queue, qj);
        }
    }
}
