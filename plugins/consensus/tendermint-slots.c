/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: slot and round records, membership, proposer rotation and signed bids. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tendermint-private.h"
#include "slot-table.h"

/* --- helpers ---------------------------------------------------------------------------- */

static uint64_t
mix64 (uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t
slot_hash (DmasJobId job, uint32_t epoch)
{
  return mix64 (job * 0x9E3779B97F4A7C15ull ^ ((uint64_t) epoch << 32 | epoch));
}

int
tendermint_value_eq (Value a, Value b)
{
  uint64_t x, y;
  memcpy (&x, &a.score, sizeof x);
  memcpy (&y, &b.score, sizeof y);
  return a.agent == b.agent && x == y;
}

int
tendermint_member_index (const Tendermint *self, DmasAgentId agent, uint32_t *index)
{
  return slot_member_index (self->members, self->n, agent, index);
}

DmasAgentId
tendermint_proposer_of (const Tendermint *self, const Slot *s, int32_t round)
{
  return self->members[(slot_hash (s->job, s->epoch) + (uint64_t) round) % self->n];
}

/* What a bid's signature covers: a domain tag, so a signature made for another protocol or
 * message never passes for a bid here, then the slot, the bidder and the score. */
void
tendermint_bid_signed_bytes (uint8_t out[32], DmasJobId job, uint32_t epoch, DmasAgentId agent,
                             double score)
{
  memcpy (out, "tm-bid\0\0", 8);
  dmas_put_u64 (out + 8, job);
  dmas_put_u32 (out + 16, epoch);
  dmas_put_u32 (out + 20, agent);
  dmas_put_double (out + 24, score);
}

int
tendermint_bid_verify (DmasCtx *ctx, DmasJobId job, uint32_t epoch, const SignedBid *b)
{
  uint8_t data[32];
  if (!isfinite (b->score) || b->score < 0.0)
    return 0;
  tendermint_bid_signed_bytes (data, job, epoch, b->agent, b->score);
  return ctx->api->verify (ctx, b->agent, data, sizeof data, b->sig) == 1;
}

/* getValue() and the heart of valid(v): the best bid > 0, else the rejection. */
Value
tendermint_best_of (DmasJobId job, const SignedBid *bids, uint32_t n)
{
  DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
  for (uint32_t i = 0; i < n; i++)
    {
      DmasBid b = { .job = job, .agent = bids[i].agent, .reserved = 0, .score = bids[i].score };
      if (b.agent == DMAS_AGENT_NONE || !(b.score > 0.0))
        continue;
      if (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best))
        best = b;
    }
  return (Value){ best.agent, best.agent == DMAS_AGENT_NONE ? 0.0 : best.score };
}

/* --- slot table --------------------------------------------------------------------------- */

/* The table keeps pointers: a record stays put while the table grows. */
static size_t
table_hash (DmasJobId job, uint32_t epoch)
{
  return (size_t) slot_hash (job, epoch);
}

static const SlotLayout table_layout = {
  .size = sizeof (Slot *),
  .job = offsetof (Slot, job),
  .epoch = offsetof (Slot, epoch),
  .indirect = 1,
  .hash = table_hash,
};

Slot *
tendermint_table_lookup (Tendermint *self, DmasJobId job, uint32_t epoch)
{
  return slot_table_lookup (&table_layout, self->table, self->capacity, job, epoch);
}

static int
table_insert (Tendermint *self, Slot *s)
{
  void *cells = self->table;
  Slot *added = slot_table_insert (&table_layout, &cells, &self->capacity, &self->used, &s);
  self->table = cells;
  return added != NULL ? DMAS_OK : DMAS_ENOMEM;
}

void
tendermint_slot_free_volatile (Slot *s)
{
  for (uint32_t i = 0; i < s->n_rounds; i++)
    {
      free (s->rounds[i].prop.ev);
      free (s->rounds[i].prevote);
    }
  free (s->rounds);
  s->rounds = NULL;
  s->n_rounds = s->cap_rounds = 0;
  free (s->bids);
  s->bids = NULL;
  free (s->valid_ev);
  s->valid_ev = NULL;
  s->valid_n_ev = 0;
  free (s->decided_msgs);
  s->decided_msgs = NULL;
  free (s->cert);
  s->cert = NULL;
  s->decided_msgs = NULL;
}

void
tendermint_slot_free (Slot *s)
{
  if (s == NULL)
    return;
  tendermint_slot_free_volatile (s);
  free (s);
}

/* --- slots and rounds --------------------------------------------------------------------- */

Slot *
tendermint_slot_new (Tendermint *self, DmasJobId job, uint32_t epoch)
{
  Slot *s = calloc (1, sizeof *s);
  if (s == NULL)
    return NULL;
  s->bids = calloc (self->n, sizeof *s->bids);
  if (s->bids == NULL)
    {
      free (s);
      return NULL;
    }
  for (uint32_t i = 0; i < self->n; i++)
    s->bids[i].agent = DMAS_AGENT_NONE;
  s->job = job;
  s->epoch = epoch;
  s->home = DMAS_AGENT_NONE;
  s->state = SLOT_BUFFERED;
  s->round = -1;
  s->locked_round = -1;
  s->locked = (Value){ DMAS_AGENT_NONE, 0.0 };
  s->valid_round = -1;
  s->valid = (Value){ DMAS_AGENT_NONE, 0.0 };
  s->decided_round = -1;
  return s;
}

/* The slot's record: in memory, else from stable storage, else a new one. */
Slot *
tendermint_slot_get (Tendermint *self, DmasCtx *ctx, DmasJobId job, uint32_t epoch)
{
  Slot *s = tendermint_table_lookup (self, job, epoch);
  if (s != NULL)
    return s;
  s = tendermint_slot_restore (self, ctx, job, epoch);
  if (s == NULL)
    s = tendermint_slot_new (self, job, epoch);
  if (s == NULL || table_insert (self, s) != DMAS_OK)
    {
      tendermint_slot_free (s);
      dmas_log (ctx, DMAS_LOG_ERROR, "tendermint: out of memory for job %llu epoch %u",
                (unsigned long long) job, epoch);
      return NULL;
    }
  return s;
}

RoundRec *
tendermint_round_find (const Slot *s, int32_t round)
{
  for (uint32_t i = 0; i < s->n_rounds; i++)
    if (s->rounds[i].round == round)
      return &s->rounds[i];
  return NULL;
}

/* With MAX_ROUND_RECS records held, the one a record for `round` may replace: the lowest
 * past round, else the highest future round above `round`; never the current round, nor
 * lockedRound / validRound (a proposal may cite them).  A plain cap would leave a height
 * that ran MAX_ROUND_RECS rounds (a long outage) unable to record its own votes, and let a
 * Byzantine agent fill the table with messages of rounds nobody runs: either way it could
 * never decide.  Forgetting a past round is safe, we never vote in it again; its late
 * messages can still come back (the gossip re-sends what a proposal cites). */
static RoundRec *
round_victim (Slot *s, int32_t round)
{
  RoundRec *past = NULL, *future = NULL;
  for (uint32_t i = 0; i < s->n_rounds; i++)
    {
      RoundRec *r = &s->rounds[i];
      if (r->round == s->round || r->round == s->locked_round || r->round == s->valid_round)
        continue;
      if (r->round < s->round && (past == NULL || r->round < past->round))
        past = r;
      else if (r->round > s->round && r->round > round
               && (future == NULL || r->round > future->round))
        future = r;
    }
  return past != NULL ? past : future;
}

/* Returns the round's record, creating it; NULL when out of memory, or when MAX_ROUND_RECS
 * are held and none may give way (metric "dropped_rounds").  The pointer is valid until the
 * next round_get. */
RoundRec *
tendermint_round_get (Tendermint *self, DmasCtx *ctx, Slot *s, int32_t round)
{
  RoundRec *r = tendermint_round_find (s, round);
  if (r != NULL)
    return r;
  if (s->n_rounds >= MAX_ROUND_RECS)
    {
      r = round_victim (s, round);
      if (r == NULL)
        {
          ctx->api->metric (ctx, "dropped_rounds", 1.0);
          return NULL;
        }
      ctx->api->metric (ctx, "evicted_rounds", 1.0);
      free (r->prop.ev);
      Vote *votes = r->prevote;
      memset (votes, 0, 2 * (size_t) self->n * sizeof *votes);
      memset (r, 0, sizeof *r);
      r->round = round;
      r->prevote = votes;
      r->precommit = votes + self->n;
      return r;
    }
  if (s->n_rounds == s->cap_rounds)
    {
      uint32_t cap = s->cap_rounds ? s->cap_rounds * 2 : 2;
      RoundRec *grown = realloc (s->rounds, cap * sizeof *grown);
      if (grown == NULL)
        return NULL;
      s->rounds = grown;
      s->cap_rounds = cap;
    }
  Vote *votes = calloc (2 * (size_t) self->n, sizeof *votes);
  if (votes == NULL)
    return NULL;
  r = &s->rounds[s->n_rounds++];
  memset (r, 0, sizeof *r);
  r->round = round;
  r->prevote = votes;
  r->precommit = votes + self->n;
  return r;
}

uint32_t
tendermint_count_votes (const Tendermint *self, const Vote *votes, VoteKind kind, const Value *v)
{
  uint32_t c = 0;
  for (uint32_t i = 0; i < self->n; i++)
    {
      if (kind == VOTE_NONE)
        c += votes[i].kind != VOTE_NONE;
      else if (votes[i].kind == kind && (kind == VOTE_NIL || tendermint_value_eq (votes[i].v, *v)))
        c++;
    }
  return c;
}

/* Distinct agents from which some message of this round arrived (L55). */
uint32_t
tendermint_round_senders (const Tendermint *self, const Slot *s, const RoundRec *r)
{
  uint32_t prop_idx = UINT32_MAX;
  if (r->prop.have)
    tendermint_member_index (self, tendermint_proposer_of (self, s, r->round), &prop_idx);
  uint32_t c = 0;
  for (uint32_t i = 0; i < self->n; i++)
    c += r->prevote[i].kind != VOTE_NONE || r->precommit[i].kind != VOTE_NONE || i == prop_idx;
  return c;
}
