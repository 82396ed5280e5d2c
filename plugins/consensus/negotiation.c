/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/negotiation: the seed's multi-round negotiation, with bid withdrawal rounds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "plausible.h"
#include "slot-vec.h"

/* Protocol:
 *
 *   propose(slot, bid): the agent broadcasts ROUND(round 0, its bid, its view of the leading
 *   bid) and starts a timer that ticks every `round`.  Every ROUND it receives records the
 *   sender's current bid (the newest round wins, so reordering cannot revive a withdrawn bid)
 *   and marks the sender "heard" for the current round; the view it carries fills in a bid
 *   the receiver has never heard of directly (a lost BID repaired by a third agent).
 *   At each tick r = 1, 2, ...:
 *     1. the leading bid is the best known bid (dmas_bid_better among scores > 0), or "none";
 *     2. it is stable for s ticks when it was the same (agent and score) at the last s ticks;
 *     3. revision rule: an agent whose own bid is > 0 but is not the leading bid withdraws it
 *        (revises it to 0) -- it concedes.  Bids only ever go down to 0, so the set of
 *        standing bids shrinks and the process converges to the single best bid; the leader
 *        keeps (confirms) its bid;
 *     4. the agent broadcasts ROUND(r, its current bid, the leading bid);
 *     5. it decides the leading bid (the rejection when it is "none") when it heard from a
 *        majority (floor(n/2)+1, itself included) since the previous tick AND either the
 *        leading bid is stable for `k` ticks or this is tick `max_rounds` or later (then it
 *        decides the best bid it knows, stable or not: "forced").  A crash-model protocol must
 *        not decide without a quorum, so past `max_rounds` an agent that hears no majority
 *        keeps ticking, the period doubling up to 32 rounds, and gives up (no decision,
 *        metric "no_quorum") `give_up` after its proposal.
 *   The decision tick still broadcasts (step 4 before step 5), so that peers proposing a
 *   little later still hear a majority in their own last round.  A laggard still ticking
 *   after the others decided would hear nobody, so an agent that has decided answers a ROUND
 *   of a later round than its decision with its final ROUND (to the sender only), and an
 *   agent that never proposed (down when the slot opened) answers a ROUND of round
 *   >= max_rounds with what it knows: once the network heals the laggard hears a majority.
 *
 * Implausible bids (host API 1.3, plausible.h): a sender's own bid that its cluster could
 * never back is taken as declined (0: it still counts as heard) and the sender, authenticated
 * by the envelope, is accused; a leader view naming an implausible bid is not learnt.  The
 * agent's own bid goes out as its bidder made it, but is checked once at the proposal: an
 * implausible one never leads here, so the agent withdraws it at the first tick.
 *
 * Guarantees.  Declared fault model: none (DMAS_FAULT_MODEL_NONE), because agreement is not
 * guaranteed when messages are lost or late (below), although it needs a majority to decide,
 * which the availability metric does not reflect for it.  Without loss, when every live agent proposes within one
 * round of the others, every agent decides the same bid -- the best bid placed by any agent
 * that proposed before the first tick -- after exactly k ticks; a crashed minority does not
 * stop that; a crashed majority stops every decision.  Under message loss there is NO
 * agreement guarantee: an agent that misses the best bid (and every view naming it) while it
 * still hears a majority locks onto another leader for k ticks and decides it.  What it is
 * good for: the seed's negotiation made explicit and measurable -- a latency of k rounds and
 * a quadratic message cost in exchange for decisions that wait until views have converged.
 *
 * Cost without faults: every agent broadcasts k+1 times (round 0 and ticks 1..k) and nobody
 * answers (all decide at tick k): n (n-1) (k+1) messages of 40 bytes per decision.
 *
 * Metrics: "rounds" (ticks run by the slot's home agent, so per slot and not per agent),
 * "withdrawals", "forced" (decisions at or after max_rounds before the leader was stable),
 * "no_quorum" (slots given up), "answers" (ROUNDs answered to a laggard), "late" (ROUNDs for
 * a slot decided or given up here, e.g. the peers' decision-tick broadcasts), "malformed". */

enum {
  NEG_MSG_ROUND = 1,
};

/* job u64 | epoch u32 | home u32 | round u32 | score f64 | leader u32 | leader score f64 */
#define NEG_BODY_LEN 40

typedef enum {
  NSLOT_BUFFERED = 0, /* ROUNDs heard before the local proposal */
  NSLOT_ACTIVE,
  NSLOT_DONE
} NSlotState;

typedef enum {
  KNOWN_NONE = 0,
  KNOWN_RELAYED, /* carried as a peer's view of the leader */
  KNOWN_DIRECT   /* from the bidder itself */
} Known;

typedef struct {
  SlotHead head;
  uint8_t state;        /* NSlotState */
  uint32_t round;       /* ticks done */
  uint32_t stable;      /* consecutive ticks with the same leading bid */
  DmasTime proposed_at;
  DmasBid leader;       /* leading bid at the last tick */
  DmasTimerId timer;
  double *score;        /* per member index: its current bid as known here */
  uint32_t *score_round; /* the round of the message that told it */
  uint8_t *known;       /* Known, per member index */
  uint8_t *heard;       /* per member index: heard since the last tick */
  uint8_t own_refused;  /* our own bid is implausible: it never leads here */
} NSlot;

typedef struct {
  DmasTime period, retain, give_up;
  int64_t k, max_rounds;
  const DmasAgentId *members;
  uint32_t n;
  DmasAgentId self_id;
  long self_idx;
  SlotVec slots;
} Negotiation;

static void
nslot_free (SlotHead *head)
{
  NSlot *slot = (NSlot *) head;
  free (slot->score);
  free (slot->score_round);
  free (slot->known);
  free (slot->heard);
  free (slot);
}

static NSlot *
nslot_get (Negotiation *self, DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  NSlot *slot = (NSlot *) slot_vec_find (&self->slots, job, epoch);
  if (slot != NULL)
    return slot;
  slot = calloc (1, sizeof *slot);
  if (slot == NULL)
    return NULL;
  slot->head = (SlotHead){ job, epoch, home, DMAS_TIME_NONE };
  slot->leader = bid_rejected (job);
  slot->score = calloc (self->n, sizeof *slot->score);
  slot->score_round = calloc (self->n, sizeof *slot->score_round);
  slot->known = calloc (self->n, 1);
  slot->heard = calloc (self->n, 1);
  if (slot->score == NULL || slot->score_round == NULL || slot->known == NULL
      || slot->heard == NULL || slot_vec_push (&self->slots, &slot->head) != DMAS_OK)
    {
      nslot_free (&slot->head);
      return NULL;
    }
  return slot;
}

static DmasBid
leading_bid (const Negotiation *self, const NSlot *slot)
{
  DmasBid best = bid_rejected (slot->head.job);
  for (uint32_t i = 0; i < self->n; i++)
    if (slot->known[i] != KNOWN_NONE && !((long) i == self->self_idx && slot->own_refused))
      {
        DmasBid b = { .job = slot->head.job, .agent = self->members[i], .score = slot->score[i] };
        bid_keep_best (&best, &b);
      }
  return best;
}

static void
encode_round (const Negotiation *self, const NSlot *slot, const DmasBid *leader,
              uint8_t body[NEG_BODY_LEN])
{
  dmas_put_u64 (body, slot->head.job);
  dmas_put_u32 (body + 8, slot->head.epoch);
  dmas_put_u32 (body + 12, slot->head.home);
  dmas_put_u32 (body + 16, slot->round);
  dmas_put_double (body + 20, slot->score[self->self_idx]);
  dmas_put_u32 (body + 28, leader->agent);
  dmas_put_double (body + 32, leader->score);
}

static void
broadcast_round (Negotiation *self, DmasCtx *ctx, const NSlot *slot, const DmasBid *leader)
{
  uint8_t body[NEG_BODY_LEN];
  encode_round (self, slot, leader, body);
  ctx->api->broadcast (ctx, NEG_MSG_ROUND, body, sizeof body);
}

/* The answer to a laggard: this agent's last word, to `to` only. */
static void
answer_round (Negotiation *self, DmasCtx *ctx, const NSlot *slot, DmasAgentId to)
{
  uint8_t body[NEG_BODY_LEN];
  DmasBid leader = slot->state == NSLOT_DONE ? slot->leader : leading_bid (self, slot);
  encode_round (self, slot, &leader, body);
  ctx->api->send (ctx, to, NEG_MSG_ROUND, body, sizeof body);
  ctx->api->metric (ctx, "answers", 1.0);
}

static void
expire (Negotiation *self, DmasCtx *ctx)
{
  slot_vec_expire (&self->slots, dmas_now (ctx), nslot_free);
}

static void tick_fired (DmasCtx *ctx, void *data);

static int
schedule_tick (Negotiation *self, DmasCtx *ctx, NSlot *slot)
{
  SlotTimer *t = slot_timer_new (self, &slot->head);
  if (t == NULL)
    return DMAS_ENOMEM;
  /* Past max_rounds only a missing majority keeps us here: back off, up to 32 rounds. */
  uint32_t late = slot->round >= (uint64_t) self->max_rounds
                      ? slot->round - (uint32_t) self->max_rounds + 1
                      : 0;
  DmasTime period = self->period << (late < 5 ? late : 5);
  slot->timer = ctx->api->timer_add (ctx, period, tick_fired, t, free);
  return DMAS_OK;
}

static void
tick (Negotiation *self, DmasCtx *ctx, NSlot *slot)
{
  slot->round++;
  slot->heard[self->self_idx] = 1;
  uint32_t heard = 0;
  for (uint32_t i = 0; i < self->n; i++)
    heard += slot->heard[i];

  DmasBid leader = leading_bid (self, slot);
  int same = slot->round > 1 && leader.agent == slot->leader.agent
             && leader.score == slot->leader.score;
  slot->stable = same ? slot->stable + 1 : 1;
  slot->leader = leader;

  if (leader.agent != self->self_id && slot->score[self->self_idx] > 0.0)
    {
      slot->score[self->self_idx] = 0.0;
      slot->score_round[self->self_idx] = slot->round;
      ctx->api->metric (ctx, "withdrawals", 1.0);
    }
  broadcast_round (self, ctx, slot, &leader);
  if (slot->head.home == self->self_id)
    ctx->api->metric (ctx, "rounds", 1.0);

  int quorum = heard >= self->n / 2 + 1;
  int stable = slot->stable >= (uint64_t) self->k;
  int last = slot->round >= (uint64_t) self->max_rounds;
  int give_up = last && !quorum && dmas_now (ctx) - slot->proposed_at >= self->give_up;
  if ((quorum && (stable || last)) || give_up)
    {
      slot->state = NSLOT_DONE;
      slot->head.expires = dmas_now (ctx) + self->retain;
      if (give_up)
        {
          ctx->api->metric (ctx, "no_quorum", 1.0);
          dmas_log (ctx, DMAS_LOG_DEBUG,
                    "negotiation: job %llu epoch %u given up: %u of %u agents heard",
                    (unsigned long long) slot->head.job, slot->head.epoch, heard, self->n);
          return;
        }
      if (!stable)
        ctx->api->metric (ctx, "forced", 1.0);
      DmasSlot s = { .job = slot->head.job, .epoch = slot->head.epoch, .home = slot->head.home };
      ctx->api->decide (ctx, &s, &leader);
      return;
    }
  memset (slot->heard, 0, self->n);
  if (schedule_tick (self, ctx, slot) != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_ERROR, "negotiation: out of memory, job %llu left undecided",
              (unsigned long long) slot->head.job);
}

static void
tick_fired (DmasCtx *ctx, void *data)
{
  SlotTimer *t = data;
  Negotiation *self = t->self;
  expire (self, ctx);
  NSlot *slot = (NSlot *) slot_vec_find (&self->slots, t->job, t->epoch);
  if (slot == NULL || slot->state != NSLOT_ACTIVE)
    return;
  slot->timer = 0;
  tick (self, ctx, slot);
}

static int
negotiation_propose (void *self_, DmasCtx *ctx, const DmasSlot *dslot, const DmasBid *bid)
{
  Negotiation *self = self_;
  expire (self, ctx);
  if (member_index (self->members, self->n, dslot->home) < 0 || bid->job != dslot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "negotiation: invalid proposal for job %llu epoch %u (home %u, bid by %u for "
                "job %llu, score %g)",
                (unsigned long long) dslot->job, dslot->epoch, dslot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }
  NSlot *slot = nslot_get (self, dslot->job, dslot->epoch, dslot->home);
  if (slot == NULL)
    return DMAS_ENOMEM;
  if (slot->state != NSLOT_BUFFERED)
    return DMAS_ESTATE;
  slot->state = NSLOT_ACTIVE;
  slot->proposed_at = dmas_now (ctx);
  slot->head.home = dslot->home;
  slot->head.expires = DMAS_TIME_NONE;
  slot->score[self->self_idx] = bid->score;
  slot->known[self->self_idx] = KNOWN_DIRECT;
  slot->own_refused = !consensus_bid_plausible (ctx, dslot, bid, DMAS_AGENT_NONE);
  DmasBid leader = leading_bid (self, slot);
  broadcast_round (self, ctx, slot, &leader);
  return schedule_tick (self, ctx, slot);
}

static int
negotiation_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type,
                        const void *body_, size_t len)
{
  Negotiation *self = self_;
  const uint8_t *body = body_;
  expire (self, ctx);
  long src_idx = member_index (self->members, self->n, src);
  if (type != NEG_MSG_ROUND || body == NULL || len != NEG_BODY_LEN || src_idx < 0
      || src_idx == self->self_idx)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  DmasJobId job = dmas_get_u64 (body);
  uint32_t epoch = dmas_get_u32 (body + 8);
  DmasAgentId home = dmas_get_u32 (body + 12);
  uint32_t round = dmas_get_u32 (body + 16);
  double score = dmas_get_double (body + 20);
  DmasAgentId leader = dmas_get_u32 (body + 28);
  double leader_score = dmas_get_double (body + 32);
  long leader_idx = member_index (self->members, self->n, leader);
  int ok = member_index (self->members, self->n, home) >= 0 && isfinite (score) && score >= 0.0
           && isfinite (leader_score)
           && (leader == DMAS_AGENT_NONE ? leader_score == 0.0
                                         : leader_idx >= 0 && leader_score > 0.0);
  if (!ok)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }

  NSlot *slot = nslot_get (self, job, epoch, home);
  if (slot == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "negotiation: out of memory, ROUND from %u dropped", src);
      return DMAS_OK;
    }
  if (slot->state == NSLOT_DONE)
    {
      ctx->api->metric (ctx, "late", 1.0);
      if (round > slot->round)
        answer_round (self, ctx, slot, src);
      return DMAS_OK;
    }
  if (slot->state == NSLOT_BUFFERED)
    slot->head.expires = dmas_now (ctx) + self->retain;
  if (slot->state == NSLOT_BUFFERED && round >= (uint64_t) self->max_rounds)
    answer_round (self, ctx, slot, src);

  slot->heard[src_idx] = 1;
  DmasSlot ds = { .job = job, .epoch = epoch, .home = home };
  if (slot->known[src_idx] != KNOWN_DIRECT || round >= slot->score_round[src_idx])
    {
      DmasBid claim = { .job = job, .agent = src, .reserved = 0, .score = score };
      if (!consensus_bid_plausible (ctx, &ds, &claim, src))
        score = 0.0; /* declined: the sender still counts as heard */
      slot->score[src_idx] = score;
      slot->score_round[src_idx] = round;
      slot->known[src_idx] = KNOWN_DIRECT;
    }
  DmasBid view = { .job = job, .agent = leader, .reserved = 0, .score = leader_score };
  if (leader_idx >= 0 && slot->known[leader_idx] == KNOWN_NONE
      && consensus_bid_plausible (ctx, &ds, &view, leader == src ? src : DMAS_AGENT_NONE))
    {
      slot->score[leader_idx] = leader_score;
      slot->known[leader_idx] = KNOWN_RELAYED;
    }
  return DMAS_OK;
}

static void *
negotiation_create (DmasCtx *ctx, DmasError *err)
{
  Negotiation tmp = { 0 };
  int rc = ctx->api->param_duration (ctx, "round", &tmp.period);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "k", &tmp.k);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "max_rounds", &tmp.max_rounds);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "retain", &tmp.retain);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "give_up", &tmp.give_up);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "negotiation: cannot read its parameters (status %d)", rc);
      return NULL;
    }
  if (tmp.period == 0 || tmp.retain == 0 || tmp.k < 1 || tmp.max_rounds < tmp.k)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "negotiation: round and retain must be > 0 and 1 <= k <= max_rounds (got "
                      "k %lld, max_rounds %lld)",
                      (long long) tmp.k, (long long) tmp.max_rounds);
      return NULL;
    }
  tmp.self_id = dmas_self (ctx);
  tmp.members = ctx->api->members (ctx, &tmp.n);
  tmp.self_idx = member_index (tmp.members, tmp.n, tmp.self_id);
  if (tmp.self_idx < 0)
    {
      dmas_error_set (err, DMAS_EINVAL, "negotiation: this agent (%u) is not a member",
                      tmp.self_id);
      return NULL;
    }
  Negotiation *self = malloc (sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "negotiation: out of memory");
      return NULL;
    }
  *self = tmp;
  return self;
}

static void
negotiation_destroy (void *self_)
{
  Negotiation *self = self_;
  if (self == NULL)
    return;
  slot_vec_clear (&self->slots, nslot_free);
  free (self);
}

static const DmasConsensusOps negotiation_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = negotiation_create,
  .destroy = negotiation_destroy,
  .propose = negotiation_propose,
  .on_message = negotiation_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_NONE,
};

static const DmasParamSpec negotiation_params[] = {
  { "round", DMAS_PARAM_DURATION, "50ms", "length of one negotiation round" },
  { "k", DMAS_PARAM_INT, "3",
    "decide when the leading bid was the same for this many rounds (and a majority was heard)" },
  { "max_rounds", DMAS_PARAM_INT, "20",
    "from this round on decide the best known bid as soon as a majority is heard" },
  { "give_up", DMAS_PARAM_DURATION, "10m",
    "an agent that has heard no majority this long after its proposal leaves the slot "
    "undecided" },
  { "retain", DMAS_PARAM_DURATION, "60s",
    "how long a decided or idle slot is remembered to ignore late messages" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent negotiation_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "negotiation",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &negotiation_ops,
    .summary = "multi-round negotiation: non-leading bids withdraw until the leader is stable "
               "for k rounds",
    .params = negotiation_params,
  },
};

static const DmasPluginDesc negotiation_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "negotiation",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = negotiation_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &negotiation_desc;
}
