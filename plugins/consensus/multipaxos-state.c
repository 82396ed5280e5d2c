/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: ballots, member lookup and the instance table. */
#include <stdlib.h>

#include "multipaxos-private.h"
#include "slot-table.h"

/* --- helpers ---------------------------------------------------------------------------- */

uint64_t
multipaxos_ballot_round (Ballot b)
{
  return b >> 32;
}

DmasAgentId
multipaxos_ballot_owner (Ballot b)
{
  return (DmasAgentId) (b & 0xffffffffu);
}

int
multipaxos_member_index (const Paxos *self, DmasAgentId agent, uint32_t *index)
{
  return slot_member_index (self->members, self->n, agent, index);
}

static DmasBid
rejection (DmasJobId job)
{
  return (DmasBid){ .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
}

static int
key_cmp (const void *a_, const void *b_)
{
  const Key *a = a_, *b = b_;
  if (a->job != b->job)
    return a->job < b->job ? -1 : 1;
  return a->epoch < b->epoch ? -1 : a->epoch > b->epoch;
}

/* --- instance table: open addressing, no deletion (instances live for the run) ---------- */

static const SlotLayout inst_layout = SLOT_LAYOUT (Instance, used);

Instance *
multipaxos_inst_lookup (Paxos *self, DmasJobId job, uint32_t epoch)
{
  return slot_table_lookup (&inst_layout, self->table, self->capacity, job, epoch);
}

/* Returns the instance of (job, epoch), creating it; NULL when out of memory.  The pointer
 * is valid until the next creation. */
Instance *
multipaxos_inst_get (Paxos *self, DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  Instance *s = multipaxos_inst_lookup (self, job, epoch);
  if (s != NULL)
    return s;
  /* Room first: the insertion below then has it and does not move the table again. */
  void *cells = self->table;
  if (slot_table_reserve (&inst_layout, &cells, &self->capacity, self->used) != DMAS_OK)
    return NULL;
  self->table = cells;
  uint8_t *bits = calloc (2 * (size_t) self->bitmap_len, 1);
  if (bits == NULL)
    return NULL;
  Instance record = {
    .job = job,
    .epoch = epoch,
    .home = home,
    .used = 1,
    .bid_sent_to = DMAS_AGENT_NONE,
    .record = UINT32_MAX,
    .acc_value = rejection (job),
    .bits = bits,
    .best = rejection (job),
  };
  return slot_table_insert (&inst_layout, &cells, &self->capacity, &self->used, &record);
}

/* Keys of the instances matching `want`, sorted: protocol actions over many instances run in
 * slot order, never in table order.  Returns NULL when none (or out of memory). */
Key *
multipaxos_inst_keys (Paxos *self, int (*want) (const Paxos *, const Instance *), uint32_t *n_out)
{
  *n_out = 0;
  Key *keys = malloc ((self->used ? self->used : 1) * sizeof *keys);
  if (keys == NULL)
    return NULL;
  for (size_t i = 0; i < self->capacity; i++)
    if (self->table[i].used && want (self, &self->table[i]))
      keys[(*n_out)++] = (Key){ self->table[i].job, self->table[i].epoch };
  qsort (keys, *n_out, sizeof *keys, key_cmp);
  return keys;
}

void
multipaxos_set_stage (Paxos *self, Instance *s, Stage stage)
{
  if (s->stage == STAGE_IDLE && stage != STAGE_IDLE)
    self->n_open++;
  else if (s->stage != STAGE_IDLE && stage == STAGE_IDLE)
    self->n_open--;
  s->stage = (uint8_t) stage;
}
