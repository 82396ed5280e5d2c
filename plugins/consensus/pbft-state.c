/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: slot table, member lookup and the per-seq log entries. */
#include <stdlib.h>
#include <string.h>

#include "pbft-private.h"
#include "slot-table.h"

/* --- slot table (open addressing, never shrinks: slots are remembered for the run) ------- */

static const SlotLayout slot_layout = SLOT_LAYOUT (Slot, used);

Slot *
pbft_slot_find (Pbft *self, DmasJobId job, uint32_t epoch)
{
  return slot_table_lookup (&slot_layout, self->slots, self->cap, job, epoch);
}

Slot *
pbft_slot_get (Pbft *self, DmasJobId job, uint32_t epoch)
{
  Slot *s = pbft_slot_find (self, job, epoch);
  if (s != NULL)
    return s;
  Slot record = { .used = 1, .job = job, .epoch = epoch, .home = DMAS_AGENT_NONE };
  void *cells = self->slots;
  s = slot_table_insert (&slot_layout, &cells, &self->cap, &self->used, &record);
  self->slots = cells;
  return s;
}

int
pbft_key_push (Key **arr, size_t *n, size_t *cap, DmasJobId job, uint32_t epoch)
{
  if (*n == *cap)
    {
      size_t c = *cap ? *cap * 2 : 16;
      Key *p = realloc (*arr, c * sizeof *p);
      if (p == NULL)
        return DMAS_ENOMEM;
      *arr = p;
      *cap = c;
    }
  (*arr)[(*n)++] = (Key){ job, epoch };
  return DMAS_OK;
}

/* --- helpers ---------------------------------------------------------------------------- */

int
pbft_member_index (const Pbft *self, DmasAgentId agent, uint32_t *index)
{
  return slot_member_index (self->members, self->n, agent, index);
}

uint32_t
pbft_primary_of (const Pbft *self, uint32_t view)
{
  return view % self->n;
}

int
pbft_is_primary (const Pbft *self)
{
  return self->active && pbft_primary_of (self, self->view) == self->me;
}

Entry *
pbft_entry_get (Pbft *self, uint64_t seq)
{
  if (seq == 0)
    return NULL;
  if (seq >= self->log_cap)
    {
      uint64_t cap = self->log_cap ? self->log_cap : 64;
      while (cap <= seq)
        cap *= 2;
      Entry **l = realloc (self->log, cap * sizeof *l);
      if (l == NULL)
        return NULL;
      memset (l + self->log_cap, 0, (cap - self->log_cap) * sizeof *l);
      self->log = l;
      self->log_cap = cap;
    }
  if (self->log[seq] == NULL)
    {
      Entry *e = calloc (1, sizeof *e);
      uint32_t n = self->n;
      if (e == NULL)
        return NULL;
      e->prep_has = calloc (n, 1);
      e->prep_d = calloc (n, DIGEST);
      e->prep_sig = calloc (n, SIG);
      e->com_has = calloc (n, 1);
      e->com_d = calloc (n, DIGEST);
      if (!e->prep_has || !e->prep_d || !e->prep_sig || !e->com_has || !e->com_d)
        {
          free (e->prep_has); free (e->prep_d); free (e->prep_sig);
          free (e->com_has); free (e->com_d); free (e);
          return NULL;
        }
      self->log[seq] = e;
      if (seq > self->max_seq)
        self->max_seq = seq;
    }
  return self->log[seq];
}

void
pbft_entry_free (Entry *e)
{
  if (e == NULL)
    return;
  free (e->batch); free (e->prep_has); free (e->prep_d); free (e->prep_sig);
  free (e->com_has); free (e->com_d); free (e->cert); free (e->final);
  free (e->fetch_has); free (e->fetch_d);
  free (e);
}

/* Forgets the votes of an older view (the certificate and the executed batch stay). */
void
pbft_entry_enter_view (Pbft *self, Entry *e, uint32_t view)
{
  if (e->view == view)
    return;
  e->view = view;
  e->has_pp = 0;
  free (e->batch);
  e->batch = NULL;
  e->batch_len = 0;
  memset (e->prep_has, 0, self->n);
  memset (e->com_has, 0, self->n);
  e->prepared = 0;
  e->committed = 0;
}
