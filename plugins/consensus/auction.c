/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/auction: contract-net — the home agent collects bids until a deadline and awards. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "plausible.h"
#include "slot-table.h"

/* Protocol (what the predecessor's "distributed" scheduler did, made explicit):
 *
 *   propose(slot, bid) at a non-home agent: send BID(job, epoch, agent, score) to slot.home.
 *   propose at the home: record its own bid, start the `deadline` timer.
 *   The home records every BID for the slot (one per agent; duplicates ignored) and awards
 *   when all n_agents agents have bid or when the deadline fires, whichever comes first.
 *   Winner: the best bid by dmas_bid_better() among bids with score > 0.  The home calls
 *   decide() and broadcasts AWARD(job, epoch, winner, score); the others decide on receipt.
 *
 * Implausible bids (host API 1.3): the home refuses a bid its bidder's cluster could never
 * back (consensus_bid_plausible, plausible.h) -- it counts as that agent's bid, declined
 * (score 0), so the auction still completes when all n have bid, but it cannot win; the
 * bidder, authenticated as the sender, is accused.  The home's own bid is checked the same
 * way (without accusing itself).
 *
 * Rejection convention: when no bid is > 0 (no agent can ever run the job), every agent
 * decides a bid with agent == DMAS_AGENT_NONE and score 0, meaning "rejected: infeasible
 * everywhere".  The AWARD carries DMAS_AGENT_NONE in that case.
 *
 * Fault model: none.  A crashed home never awards, and a late BID is ignored (metric
 * "late_bids") even if it was the best: that is the behaviour being measured, not a bug.  A
 * lost BID costs only that bid (the home awards at its deadline with the others).
 *
 * Lost AWARDs (the contract-net way: a bidder that hears nothing asks again).  A non-home
 * agent still waiting ASK_DELAY_FACTOR deadlines after its bid left sends ASK(job, epoch, its
 * agent id, its score) to the home, again every further ASK_DELAY_FACTOR deadlines, at most
 * MAX_ASKS times (metric "asks"); a home that has decided the slot answers with the AWARD, to
 * the asker only.  A home that has not decided yet records the ASK as the bid it repeats (the
 * BID may have been lost).  Without it a lost AWARD to the winner left its job unplaced for
 * good, and the run deadlocked.  On a network that loses nothing the AWARD arrives within one
 * deadline of the bid and the timer is cancelled unfired; a home that crashed is asked
 * MAX_ASKS times, then the asker gives up (the host's recovery re-announces its jobs), so a
 * finished run still ends.  Agreement is still not promised: an agent that never gets the
 * AWARD stays undecided, and one that ASKs after the home forgot the slot (`retain`) too.
 *
 * Messages may arrive before the local propose (a BID at a home whose own bidder is slow, an
 * AWARD at an agent that has not proposed yet), so a slot's record is created by whichever
 * comes first.  Records that no longer drive anything (decided, waiting for an AWARD, or
 * buffered bids nobody proposed for) are dropped `retain` after they were last touched, so
 * memory follows the number of recent slots, not the length of the run.  Expiry is lazy, done
 * at the start of every callback from a FIFO ordered by virtual time: no timers, so it never
 * keeps an otherwise finished run alive. */

enum {
  AUCTION_MSG_BID = 1,
  AUCTION_MSG_AWARD = 2,
  AUCTION_MSG_ASK = 3,
};

/* A waiting bidder asks the home for the outcome this many deadlines after its bid and after
 * each unanswered ASK, at most MAX_ASKS times. */
#define ASK_DELAY_FACTOR 4
#define MAX_ASKS 8

/* Every message: job u64 | epoch u32 | agent u32 | score f64, little-endian. */
#define AUCTION_BODY_LEN 24

typedef enum {
  SLOT_EMPTY = 0,  /* free hash-table cell */
  SLOT_BUFFERED,   /* BIDs received before the local propose */
  SLOT_COLLECTING, /* home: proposed, collecting bids until complete or deadline */
  SLOT_WAITING,    /* non-home: bid sent, waiting for the AWARD */
  SLOT_DONE        /* decided; kept only to ignore late and duplicate messages */
} SlotState;

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  uint8_t state;       /* SlotState */
  DmasAgentId home;    /* COLLECTING, WAITING, DONE */
  uint32_t n_bids;     /* distinct bidders recorded */
  DmasBid best;        /* best bid with score > 0; agent DMAS_AGENT_NONE while there is none */
  uint8_t *bidders;    /* bitmap over member indices; only while BUFFERED or COLLECTING */
  DmasTimerId deadline; /* COLLECTING; WAITING: the next ASK */
  uint8_t asks;        /* WAITING: ASKs sent */
  double own_score;    /* WAITING: the bid sent, repeated by ASK */
  DmasTime expires;    /* when a BUFFERED/WAITING/DONE record may go; DMAS_TIME_NONE else */
} Slot;

/* A pending expiry: the slot's record is dropped if it still carries this `expires`. */
typedef struct {
  DmasJobId job;
  uint32_t epoch;
  DmasTime expires;
} Expiry;

typedef struct {
  DmasTime deadline;
  DmasTime retain;
  const DmasAgentId *members; /* sorted; borrowed from the host for the run */
  uint32_t n_members;
  DmasAgentId self_id;

  /* Open addressing, linear probing, power-of-two capacity, load ≤ 1/2, backward-shift
   * deletion (no tombstones).  Only ever looked up by key; iterated only to free it. */
  Slot *slots;
  size_t capacity;
  size_t used;

  /* FIFO ring of expiries; pushes happen at non-decreasing `now`, so it is time-ordered. */
  Expiry *expiries;
  size_t exp_cap, exp_head, exp_len;
} Auction;

/* The deadline timer refers to its slot by key: the table moves records when it grows. */
typedef struct {
  Auction *self;
  DmasJobId job;
  uint32_t epoch;
} DeadlineData;

/* --- slot table ------------------------------------------------------------------------- */

/* A cell is free while its state is SLOT_EMPTY (0). */
static const SlotLayout slot_layout = SLOT_LAYOUT (Slot, state);

static Slot *
slot_lookup (Auction *self, DmasJobId job, uint32_t epoch)
{
  return slot_table_lookup (&slot_layout, self->slots, self->capacity, job, epoch);
}

/* Returns the new record (state BUFFERED, no bids), or NULL when out of memory.  The pointer
 * is valid until the next insertion or removal. */
static Slot *
slot_insert (Auction *self, DmasJobId job, uint32_t epoch)
{
  /* Room first: the insertion below then has it and does not move the table again. */
  void *cells = self->slots;
  if (slot_table_reserve (&slot_layout, &cells, &self->capacity, self->used) != DMAS_OK)
    return NULL;
  self->slots = cells;
  uint8_t *bidders = calloc ((self->n_members + 7) / 8, 1);
  if (bidders == NULL)
    return NULL;
  Slot record = {
    .job = job,
    .epoch = epoch,
    .state = SLOT_BUFFERED,
    .home = DMAS_AGENT_NONE,
    .best = { .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 },
    .bidders = bidders,
    .expires = DMAS_TIME_NONE,
  };
  return slot_table_insert (&slot_layout, &cells, &self->capacity, &self->used, &record);
}

static void
slot_remove (Auction *self, Slot *victim)
{
  free (victim->bidders);
  slot_table_remove (&slot_layout, self->slots, self->capacity, victim);
  self->used--;
}

/* --- expiry ----------------------------------------------------------------------------- */

static void
expiry_schedule (Auction *self, DmasCtx *ctx, Slot *slot)
{
  slot->expires = dmas_now (ctx) + self->retain;
  if (self->exp_len == self->exp_cap)
    {
      size_t cap = self->exp_cap ? self->exp_cap * 2 : 64;
      Expiry *ring = malloc (cap * sizeof *ring);
      if (ring == NULL)
        {
          /* Keeping the record forever is the safe side of running out of memory. */
          slot->expires = DMAS_TIME_NONE;
          return;
        }
      for (size_t k = 0; k < self->exp_len; k++)
        ring[k] = self->expiries[(self->exp_head + k) % self->exp_cap];
      free (self->expiries);
      self->expiries = ring;
      self->exp_cap = cap;
      self->exp_head = 0;
    }
  self->expiries[(self->exp_head + self->exp_len) % self->exp_cap]
      = (Expiry){ slot->job, slot->epoch, slot->expires };
  self->exp_len++;
}

static void
expiry_run (Auction *self, DmasCtx *ctx)
{
  DmasTime now = dmas_now (ctx);
  while (self->exp_len > 0 && self->expiries[self->exp_head].expires <= now)
    {
      Expiry e = self->expiries[self->exp_head];
      self->exp_head = (self->exp_head + 1) % self->exp_cap;
      self->exp_len--;
      Slot *slot = slot_lookup (self, e.job, e.epoch);
      /* A record touched again since this entry was queued carries a newer time. */
      if (slot == NULL || slot->expires != e.expires)
        continue;
      if (slot->state == SLOT_BUFFERED || slot->state == SLOT_WAITING)
        ctx->api->metric (ctx, "expired", 1.0);
      slot_remove (self, slot);
    }
}

/* --- protocol --------------------------------------------------------------------------- */

static int
member_index (const Auction *self, DmasAgentId agent, uint32_t *index)
{
  return slot_member_index (self->members, self->n_members, agent, index);
}

/* Records one bid; an implausible one counts as declined (checked once, when new).  Returns 0
 * when that agent had already bid for the slot. */
static int
slot_record_bid (Auction *self, DmasCtx *ctx, Slot *slot, const DmasBid *bid)
{
  uint32_t idx;
  if (!member_index (self, bid->agent, &idx))
    return 0;
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (slot->bidders[idx / 8] & bit)
    return 0;
  slot->bidders[idx / 8] |= bit;
  slot->n_bids++;
  /* Bids only ever reach the home, so a record without a home yet is ours. */
  DmasSlot s = { .job = slot->job, .epoch = slot->epoch,
                 .home = slot->home != DMAS_AGENT_NONE ? slot->home : self->self_id };
  if (bid->score > 0.0 && consensus_bid_plausible (ctx, &s, bid, bid->agent)
      && (slot->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &slot->best)))
    slot->best = *bid;
  return 1;
}

static void
encode (uint8_t body[AUCTION_BODY_LEN], const DmasSlot *slot, DmasAgentId agent, double score)
{
  dmas_put_u64 (body, slot->job);
  dmas_put_u32 (body + 8, slot->epoch);
  dmas_put_u32 (body + 12, agent);
  dmas_put_double (body + 16, score);
}

static int
slot_decide (Auction *self, DmasCtx *ctx, Slot *slot, const DmasBid *winner)
{
  DmasSlot s = { .job = slot->job, .epoch = slot->epoch, .home = slot->home };
  if (slot->state == SLOT_WAITING && slot->deadline != 0)
    ctx->api->timer_cancel (ctx, slot->deadline);
  slot->deadline = 0;
  free (slot->bidders);
  slot->bidders = NULL;
  slot->state = SLOT_DONE;
  expiry_schedule (self, ctx, slot);
  return ctx->api->decide (ctx, &s, winner);
}

/* The home closes the auction: decide, tell everyone, forget the bids. */
static int
slot_award (Auction *self, DmasCtx *ctx, Slot *slot)
{
  if (slot->deadline != 0)
    {
      ctx->api->timer_cancel (ctx, slot->deadline);
      slot->deadline = 0;
    }
  /* best.agent is DMAS_AGENT_NONE with score 0 when nobody bid > 0: the rejection. */
  DmasBid winner = slot->best;
  DmasSlot s = { .job = slot->job, .epoch = slot->epoch, .home = slot->home };
  uint8_t body[AUCTION_BODY_LEN];
  encode (body, &s, winner.agent, winner.score);

  ctx->api->metric (ctx, "rounds", 1.0);
  int rc = slot_decide (self, ctx, slot, &winner);
  int brc = ctx->api->broadcast (ctx, AUCTION_MSG_AWARD, body, sizeof body);
  return rc != DMAS_OK ? rc : brc;
}

static void
deadline_fired (DmasCtx *ctx, void *data)
{
  DeadlineData *d = data;
  Auction *self = d->self;
  expiry_run (self, ctx);
  Slot *slot = slot_lookup (self, d->job, d->epoch);
  if (slot == NULL || slot->state != SLOT_COLLECTING)
    return;
  slot->deadline = 0; /* fired: nothing left to cancel */
  slot_award (self, ctx, slot);
}

static void ask_arm (Auction *self, DmasCtx *ctx, Slot *slot);

static void
ask_fired (DmasCtx *ctx, void *data)
{
  DeadlineData *d = data;
  Auction *self = d->self;
  expiry_run (self, ctx);
  Slot *slot = slot_lookup (self, d->job, d->epoch);
  if (slot == NULL || slot->state != SLOT_WAITING)
    return;
  slot->deadline = 0;
  slot->asks++;
  ctx->api->metric (ctx, "asks", 1.0);
  DmasSlot s = { .job = slot->job, .epoch = slot->epoch, .home = slot->home };
  uint8_t body[AUCTION_BODY_LEN];
  encode (body, &s, self->self_id, slot->own_score);
  ctx->api->send (ctx, slot->home, AUCTION_MSG_ASK, body, sizeof body);
  expiry_schedule (self, ctx, slot); /* still waiting: keep the record while we ask */
  ask_arm (self, ctx, slot);
}

/* Schedules the next ASK of a waiting slot, unless MAX_ASKS went unanswered. */
static void
ask_arm (Auction *self, DmasCtx *ctx, Slot *slot)
{
  if (slot->asks >= MAX_ASKS || self->deadline == 0)
    return;
  DeadlineData *d = malloc (sizeof *d);
  if (d == NULL)
    return; /* no retry: the slot waits as it did before asks existed */
  *d = (DeadlineData){ self, slot->job, slot->epoch };
  slot->deadline = ctx->api->timer_add (ctx, ASK_DELAY_FACTOR * self->deadline, ask_fired, d,
                                        free);
}

static int
auction_propose (void *self_, DmasCtx *ctx, const DmasSlot *dslot, const DmasBid *bid)
{
  Auction *self = self_;
  uint32_t home_idx;
  expiry_run (self, ctx);

  if (!member_index (self, dslot->home, &home_idx) || bid->job != dslot->job
      || bid->agent != self->self_id || isnan (bid->score))
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "auction: invalid proposal for job %llu epoch %u (home %u, bid by %u for job "
                "%llu, score %g)",
                (unsigned long long) dslot->job, dslot->epoch, dslot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }

  Slot *slot = slot_lookup (self, dslot->job, dslot->epoch);
  if (slot != NULL && slot->state == SLOT_DONE)
    return DMAS_OK; /* the AWARD overtook our own bidding: nothing left to say */
  if (slot != NULL && slot->state != SLOT_BUFFERED)
    return DMAS_ESTATE; /* proposed twice */

  if (dslot->home != self->self_id)
    {
      if (slot != NULL && slot->n_bids > 0)
        {
          /* Bids sent to us although we are not the home: a misrouting peer. */
          ctx->api->metric (ctx, "unexpected", (double) slot->n_bids);
        }
      if (slot == NULL && (slot = slot_insert (self, dslot->job, dslot->epoch)) == NULL)
        return DMAS_ENOMEM;
      free (slot->bidders);
      slot->bidders = NULL;
      slot->n_bids = 0;
      slot->state = SLOT_WAITING;
      slot->home = dslot->home;
      slot->own_score = bid->score;
      slot->asks = 0;
      expiry_schedule (self, ctx, slot);
      ask_arm (self, ctx, slot);

      uint8_t body[AUCTION_BODY_LEN];
      encode (body, dslot, self->self_id, bid->score);
      return ctx->api->send (ctx, dslot->home, AUCTION_MSG_BID, body, sizeof body);
    }

  if (slot == NULL && (slot = slot_insert (self, dslot->job, dslot->epoch)) == NULL)
    return DMAS_ENOMEM;
  slot->state = SLOT_COLLECTING;
  slot->home = self->self_id;
  slot->expires = DMAS_TIME_NONE;
  slot_record_bid (self, ctx, slot, bid);
  if (slot->n_bids == self->n_members)
    return slot_award (self, ctx, slot);

  DeadlineData *d = malloc (sizeof *d);
  if (d == NULL)
    return DMAS_ENOMEM;
  *d = (DeadlineData){ self, dslot->job, dslot->epoch };
  slot->deadline = ctx->api->timer_add (ctx, self->deadline, deadline_fired, d, free);
  return DMAS_OK;
}

static void
on_bid (Auction *self, DmasCtx *ctx, DmasAgentId src, const DmasBid *bid, uint32_t epoch)
{
  Slot *slot = slot_lookup (self, bid->job, epoch);
  if (slot == NULL)
    {
      slot = slot_insert (self, bid->job, epoch);
      if (slot == NULL)
        {
          dmas_log (ctx, DMAS_LOG_ERROR, "auction: out of memory, BID from %u dropped", src);
          return;
        }
      expiry_schedule (self, ctx, slot);
    }

  switch ((SlotState) slot->state)
    {
    case SLOT_BUFFERED:
      if (!slot_record_bid (self, ctx, slot, bid))
        ctx->api->metric (ctx, "duplicates", 1.0);
      break;
    case SLOT_COLLECTING:
      if (!slot_record_bid (self, ctx, slot, bid))
        ctx->api->metric (ctx, "duplicates", 1.0);
      else if (slot->n_bids == self->n_members)
        slot_award (self, ctx, slot);
      break;
    case SLOT_DONE:
      if (slot->home == self->self_id)
        ctx->api->metric (ctx, "late_bids", 1.0);
      else
        ctx->api->metric (ctx, "unexpected", 1.0);
      break;
    case SLOT_WAITING:
    case SLOT_EMPTY:
    default:
      ctx->api->metric (ctx, "unexpected", 1.0);
      break;
    }
}

/* An ASK: the asker's bid again, and a request for the AWARD if the slot is decided. */
static void
on_ask (Auction *self, DmasCtx *ctx, DmasAgentId src, const DmasBid *bid, uint32_t epoch)
{
  Slot *slot = slot_lookup (self, bid->job, epoch);
  if (slot != NULL && slot->state == SLOT_DONE && slot->home == self->self_id)
    {
      DmasSlot s = { .job = slot->job, .epoch = slot->epoch, .home = slot->home };
      uint8_t body[AUCTION_BODY_LEN];
      encode (body, &s, slot->best.agent, slot->best.score);
      ctx->api->send (ctx, src, AUCTION_MSG_AWARD, body, sizeof body);
      return;
    }
  if (slot != NULL && slot->state == SLOT_COLLECTING)
    {
      on_bid (self, ctx, src, bid, epoch);
      return;
    }
  ctx->api->metric (ctx, "unexpected", 1.0);
}

static void
on_award (Auction *self, DmasCtx *ctx, DmasAgentId src, const DmasBid *winner, uint32_t epoch)
{
  Slot *slot = slot_lookup (self, winner->job, epoch);
  if (slot == NULL)
    {
      /* The AWARD overtook our own proposal; only the home awards, so src is the home. */
      slot = slot_insert (self, winner->job, epoch);
      if (slot == NULL)
        {
          dmas_log (ctx, DMAS_LOG_ERROR, "auction: out of memory, AWARD from %u dropped", src);
          return;
        }
      slot->home = src;
    }
  else if (slot->state == SLOT_BUFFERED)
    {
      /* We held bids for a slot whose home turns out to be someone else. */
      ctx->api->metric (ctx, "unexpected", (double) slot->n_bids);
      slot->home = src;
    }
  else if (slot->state == SLOT_DONE && slot->home == src)
    {
      ctx->api->metric (ctx, "duplicates", 1.0);
      return;
    }
  else if (slot->state != SLOT_WAITING || slot->home != src)
    {
      /* From an agent that is not the home, or addressed to the home itself. */
      ctx->api->metric (ctx, "unexpected", 1.0);
      return;
    }
  slot_decide (self, ctx, slot, winner);
}

static int
auction_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type,
                    const void *body_, size_t len)
{
  Auction *self = self_;
  const uint8_t *body = body_;
  uint32_t src_idx;
  expiry_run (self, ctx);

  if ((type != AUCTION_MSG_BID && type != AUCTION_MSG_AWARD && type != AUCTION_MSG_ASK)
      || len != AUCTION_BODY_LEN
      || body == NULL || !member_index (self, src, &src_idx))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }

  DmasBid bid = {
    .job = dmas_get_u64 (body),
    .agent = dmas_get_u32 (body + 12),
    .reserved = 0,
    .score = dmas_get_double (body + 16),
  };
  uint32_t epoch = dmas_get_u32 (body + 8);
  uint32_t idx;
  int well_formed = isfinite (bid.score) && bid.score >= 0.0;
  if (type == AUCTION_MSG_BID || type == AUCTION_MSG_ASK)
    /* A bid speaks for its sender only: src is authentic, the agent field is not. */
    well_formed = well_formed && bid.agent == src;
  else if (bid.agent == DMAS_AGENT_NONE)
    well_formed = well_formed && bid.score == 0.0; /* rejection */
  else
    well_formed = well_formed && member_index (self, bid.agent, &idx) && bid.score > 0.0;
  if (!well_formed)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }

  if (type == AUCTION_MSG_BID)
    on_bid (self, ctx, src, &bid, epoch);
  else if (type == AUCTION_MSG_ASK)
    on_ask (self, ctx, src, &bid, epoch);
  else
    on_award (self, ctx, src, &bid, epoch);
  return DMAS_OK;
}

static void *
auction_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime deadline, retain;
  int rc = ctx->api->param_duration (ctx, "deadline", &deadline);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "retain", &retain);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "auction: cannot read parameters deadline/retain (status %d)",
                      rc);
      return NULL;
    }
  if (retain == 0)
    {
      dmas_error_set (err, DMAS_EINVAL, "auction: retain must be > 0 (e.g. \"60s\")");
      return NULL;
    }

  Auction *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "auction: out of memory");
      return NULL;
    }
  self->deadline = deadline;
  self->retain = retain;
  self->self_id = dmas_self (ctx);
  self->members = ctx->api->members (ctx, &self->n_members);
  self->capacity = 64;
  self->slots = calloc (self->capacity, sizeof *self->slots);
  if (self->n_members == 0)
    {
      dmas_error_set (err, DMAS_EINVAL, "auction: the host reports no members");
      free (self->slots);
      free (self);
      return NULL;
    }
  if (self->slots == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "auction: out of memory");
      free (self->slots);
      free (self);
      return NULL;
    }
  return self;
}

static void
auction_destroy (void *self_)
{
  Auction *self = self_;
  if (self == NULL)
    return;
  /* Pending deadline timers are the host's to free (free_fn); their data only names slots. */
  for (size_t i = 0; i < self->capacity; i++)
    free (self->slots[i].bidders);
  free (self->slots);
  free (self->expiries);
  free (self);
}

static const DmasConsensusOps auction_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = auction_create,
  .destroy = auction_destroy,
  .propose = auction_propose,
  .on_message = auction_on_message,
  .agent_status = NULL,
};

static const DmasParamSpec auction_params[] = {
  { "deadline", DMAS_PARAM_DURATION, "100ms",
    "how long the home waits for bids after its own proposal before awarding" },
  { "retain", DMAS_PARAM_DURATION, "60s",
    "how long a decided or idle slot is remembered to ignore late and duplicate messages" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent auction_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "auction",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &auction_ops,
    .summary = "contract-net: the home agent collects bids until a deadline and awards",
    .params = auction_params,
  },
};

static const DmasPluginDesc auction_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "auction",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = auction_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &auction_desc;
}
