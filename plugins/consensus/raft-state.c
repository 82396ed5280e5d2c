/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: slot table, member lookup, the in-memory log and the agent's pending own bids. */
#include <stdlib.h>
#include <string.h>

#include "raft-private.h"

/* --- slot table (open addressing, never shrinks) ---------------------------------------- */

static size_t
slot_hash (DmasJobId job, uint32_t epoch)
{
  uint64_t z = job ^ ((uint64_t) epoch << 48 | (uint64_t) epoch >> 16);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (size_t) (z ^ (z >> 31));
}

Slot *
raft_slot_lookup (Raft *self, DmasJobId job, uint32_t epoch)
{
  size_t mask = self->capacity - 1;
  for (size_t i = slot_hash (job, epoch) & mask;; i = (i + 1) & mask)
    {
      Slot *s = &self->slots[i];
      if (!s->used)
        return NULL;
      if (s->job == job && s->epoch == epoch)
        return s;
    }
}

static void
slot_place (Slot *table, size_t capacity, const Slot *record)
{
  size_t mask = capacity - 1;
  size_t i = slot_hash (record->job, record->epoch) & mask;
  while (table[i].used)
    i = (i + 1) & mask;
  table[i] = *record;
}

/* Returns the slot's record, created if needed; NULL when out of memory. */
Slot *
raft_slot_get (Raft *self, DmasJobId job, uint32_t epoch)
{
  Slot *s = raft_slot_lookup (self, job, epoch);
  if (s != NULL)
    return s;
  if (2 * (self->used + 1) > self->capacity)
    {
      size_t capacity = self->capacity * 2;
      Slot *table = calloc (capacity, sizeof *table);
      if (table == NULL)
        return NULL;
      for (size_t i = 0; i < self->capacity; i++)
        if (self->slots[i].used)
          slot_place (table, capacity, &self->slots[i]);
      free (self->slots);
      self->slots = table;
      self->capacity = capacity;
    }
  Slot record = { .job = job, .epoch = epoch, .used = 1, .home = DMAS_AGENT_NONE };
  slot_place (self->slots, self->capacity, &record);
  self->used++;
  return raft_slot_lookup (self, job, epoch);
}

/* --- helpers ---------------------------------------------------------------------------- */

int
raft_member_index (const Raft *self, DmasAgentId agent, uint32_t *index)
{
  uint32_t lo = 0, hi = self->n;
  while (lo < hi)
    {
      uint32_t mid = lo + (hi - lo) / 2;
      if (self->members[mid] < agent)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == self->n || self->members[lo] != agent)
    return 0;
  *index = lo;
  return 1;
}

uint32_t
raft_majority (const Raft *self)
{
  return self->n / 2 + 1;
}

uint64_t
raft_term_at (const Raft *self, uint64_t index)
{
  return index == 0 || index > self->last ? 0 : self->log[index - 1].term;
}

/* --- log -------------------------------------------------------------------------------- */

/* Appends `e` (takes its decisions) at last + 1, in memory only. */
int
raft_log_append (Raft *self, Entry *e)
{
  if (self->last == self->log_cap)
    {
      uint64_t cap = self->log_cap ? self->log_cap * 2 : 64;
      Entry *log = realloc (self->log, cap * sizeof *log);
      if (log == NULL)
        return DMAS_ENOMEM;
      self->log = log;
      self->log_cap = cap;
    }
  self->log[self->last++] = *e;
  for (uint32_t k = 0; k < e->n; k++)
    {
      Slot *s = raft_slot_get (self, e->d[k].slot.job, e->d[k].slot.epoch);
      if (s != NULL)
        s->log_index = self->last;
    }
  return DMAS_OK;
}

/* Drops entries after `index` (never committed ones: Raft guarantees they do not conflict). */
void
raft_log_truncate (Raft *self, uint64_t index)
{
  while (self->last > index)
    {
      Entry *e = &self->log[self->last - 1];
      for (uint32_t k = 0; k < e->n; k++)
        {
          Slot *s = raft_slot_lookup (self, e->d[k].slot.job, e->d[k].slot.epoch);
          if (s != NULL && s->log_index == self->last)
            s->log_index = 0;
        }
      free (e->d);
      self->last--;
    }
}

/* --- pending own bids ------------------------------------------------------------------- */

void
raft_send_bid (Raft *self, DmasCtx *ctx, const Pending *p)
{
  Decision d = { .slot = p->slot, .bid = p->bid };
  uint8_t body[DECISION_LEN];
  raft_put_decision (body, &d);
  ctx->api->send (ctx, self->leader, RAFT_MSG_BID, body, sizeof body);
}

void
raft_pending_remove (Raft *self, DmasJobId job, uint32_t epoch)
{
  for (size_t i = 0; i < self->n_pending; i++)
    if (self->pending[i].slot.job == job && self->pending[i].slot.epoch == epoch)
      {
        memmove (&self->pending[i], &self->pending[i + 1],
                 (self->n_pending - i - 1) * sizeof *self->pending);
        self->n_pending--;
        return;
      }
}
