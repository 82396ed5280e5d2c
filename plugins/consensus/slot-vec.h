/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers of gossip, negotiation and weighted-voting: slot records, members, bid sets. */
#ifndef DMAS_PLUGINS_CONSENSUS_SLOT_VEC_H
#define DMAS_PLUGINS_CONSENSUS_SLOT_VEC_H

#include <stdlib.h>
#include <string.h>

#include "slot-table.h"

#include <dmas/dmas.h>

/* Every protocol's slot record starts with this head, so one vector serves all three.  The
 * records are heap blocks owned by the vector; a pointer stays valid until the record expires
 * (the vector moves pointers, never records).  Lookup is a linear scan: records live only
 * while a slot is in progress plus `retain`, so the vector holds the recent slots only.
 * Records are never iterated where the order could change behaviour. */
typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;  /* DMAS_AGENT_NONE until a proposal or a message names it */
  DmasTime expires;  /* DMAS_TIME_NONE while the record drives something */
} SlotHead;

typedef void (*SlotFreeFn) (SlotHead *slot);

typedef struct {
  SlotHead **items;
  size_t len, cap;
} SlotVec;

static inline SlotHead *
slot_vec_find (const SlotVec *vec, DmasJobId job, uint32_t epoch)
{
  for (size_t i = 0; i < vec->len; i++)
    if (vec->items[i]->job == job && vec->items[i]->epoch == epoch)
      return vec->items[i];
  return NULL;
}

/* Takes ownership of `slot`.  Returns DMAS_OK or DMAS_ENOMEM (the slot is not taken). */
static inline int
slot_vec_push (SlotVec *vec, SlotHead *slot)
{
  if (vec->len == vec->cap)
    {
      size_t cap = vec->cap ? vec->cap * 2 : 16;
      SlotHead **items = realloc (vec->items, cap * sizeof *items);
      if (items == NULL)
        return DMAS_ENOMEM;
      vec->items = items;
      vec->cap = cap;
    }
  vec->items[vec->len++] = slot;
  return DMAS_OK;
}

/* Frees every record whose `expires` is at or before `now`.  Returns how many it freed. */
static inline size_t
slot_vec_expire (SlotVec *vec, DmasTime now, SlotFreeFn free_fn)
{
  size_t kept = 0, freed = 0;
  for (size_t i = 0; i < vec->len; i++)
    {
      SlotHead *s = vec->items[i];
      if (s->expires != DMAS_TIME_NONE && s->expires <= now)
        {
          free_fn (s);
          freed++;
        }
      else
        vec->items[kept++] = s;
    }
  vec->len = kept;
  return freed;
}

static inline void
slot_vec_clear (SlotVec *vec, SlotFreeFn free_fn)
{
  for (size_t i = 0; i < vec->len; i++)
    free_fn (vec->items[i]);
  free (vec->items);
  vec->items = NULL;
  vec->len = vec->cap = 0;
}

/* Index of `agent` in the sorted member list, or -1 when it is not a member. */
static inline long
member_index (const DmasAgentId *members, uint32_t n, DmasAgentId agent)
{
  uint32_t index;
  return slot_member_index (members, n, agent, &index) ? (long) index : -1;
}

/* The rejection decision: nobody can run the job. */
static inline DmasBid
bid_rejected (DmasJobId job)
{
  return (DmasBid){ .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
}

/* Folds `candidate` into `best` by the shared rule: only scores > 0 count, then
 * dmas_bid_better; `best` starts as bid_rejected(). */
static inline void
bid_keep_best (DmasBid *best, const DmasBid *candidate)
{
  if (candidate->score > 0.0
      && (best->agent == DMAS_AGENT_NONE || dmas_bid_better (candidate, best)))
    *best = *candidate;
}

/* Timer data: the timer names its slot by key, so a record that expired meanwhile is simply
 * not found. */
typedef struct {
  void *self;
  DmasJobId job;
  uint32_t epoch;
} SlotTimer;

static inline SlotTimer *
slot_timer_new (void *self, const SlotHead *slot)
{
  SlotTimer *t = malloc (sizeof *t);
  if (t != NULL)
    *t = (SlotTimer){ self, slot->job, slot->epoch };
  return t;
}

#endif /* DMAS_PLUGINS_CONSENSUS_SLOT_VEC_H */
