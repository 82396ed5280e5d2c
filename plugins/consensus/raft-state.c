/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: slot table, member lookup, the in-memory log and the agent's pending own bids. */
#include <stdlib.h>
#include <string.h>

#include "raft-private.h"
#include "slot-table.h"

/* --- slot table (open addressing, never shrinks) ---------------------------------------- */

static const SlotLayout slot_layout = SLOT_LAYOUT (Slot, used);

Slot *
raft_slot_lookup (Raft *self, DmasJobId job, uint32_t epoch)
{
  return slot_table_lookup (&slot_layout, self->slots, self->capacity, job, epoch);
}

/* Returns the slot's record, created if needed; NULL when out of memory. */
Slot *
raft_slot_get (Raft *self, DmasJobId job, uint32_t epoch)
{
  Slot *s = raft_slot_lookup (self, job, epoch);
  if (s != NULL)
    return s;
  Slot record = { .job = job, .epoch = epoch, .used = 1, .home = DMAS_AGENT_NONE };
  void *cells = self->slots;
  s = slot_table_insert (&slot_layout, &cells, &self->capacity, &self->used, &record);
  self->slots = cells;
  return s;
}

/* --- helpers ---------------------------------------------------------------------------- */

int
raft_member_index (const Raft *self, DmasAgentId agent, uint32_t *index)
{
  return slot_member_index (self->members, self->n, agent, index);
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
