/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/gossip: epidemic spread of bids; each agent decides alone at a local deadline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

#include "plausible.h"
#include "slot-vec.h"

/* Protocol:
 *
 *   propose(slot, bid): the agent adds its bid to the set it knows for the slot and starts
 *   `rounds` gossip rounds, the first at once and the next every `period`.  In each round it
 *   picks min(fanout, n-1) distinct peers with its own random stream and sends each a GOSSIP
 *   carrying every bid it knows (the full set, not a delta: a lost message then costs nothing
 *   that the next round does not repair).  A GOSSIP merges into the receiver's set, also
 *   before the receiver's own proposal (kept until it comes).
 *   At `deadline` after its own proposal, the agent decides the best bid it knows by
 *   dmas_bid_better among scores > 0, or the rejection (DMAS_AGENT_NONE, score 0) when every
 *   bid it knows is 0.  Rounds still due are cancelled then.
 *
 * Implausible bids (host API 1.3): a bid its bidder's cluster could never back
 * (consensus_bid_plausible, plausible.h) is not learnt, so it is neither relayed nor decided;
 * the bidder is accused when the GOSSIP came from the bidder itself (authenticated), not when
 * a third agent relays it (unsigned: that agent may have forged it).  An agent's own bid is
 * learnt and relayed as its bidder made it (the others judge it), and checked at its deadline
 * before it may win there.
 *
 * Fault model: none ("crash, probabilistic" in DESIGN §6).  There is no agreement guarantee:
 * an agent that has not heard of the best bid by its deadline (lost messages, an unlucky
 * choice of peers, a bidder that crashed after telling only some peers) decides another
 * winner, and the host's safety checker and duplicate-execution count show it.  That is the
 * behaviour being measured.  Without loss, every bid reaches everyone with high probability
 * (certainly when fanout >= n-1, since each agent then tells everyone in round one).
 *
 * Cost without faults: every agent sends rounds * min(fanout, n-1) messages per slot, so
 * n * rounds * min(fanout, n-1) per decision; a GOSSIP is 20 + 12 * (bids it carries) bytes.
 *
 * Metrics: "gossip_msgs" (every GOSSIP sent, by any agent), "rounds" (rounds run by the slot's
 * home agent only, so that it counts rounds per slot rather than per agent), "late" (GOSSIP
 * for a slot already decided here), "malformed". */

enum {
  GOSSIP_MSG = 1,
};

/* job u64 | epoch u32 | home u32 | count u32 | count x (agent u32 | score f64) */
#define GOSSIP_HEAD_LEN 20
#define GOSSIP_ENTRY_LEN 12

typedef enum {
  GSLOT_BUFFERED = 0, /* GOSSIP heard before the local proposal */
  GSLOT_ACTIVE,       /* proposed: gossiping until the deadline */
  GSLOT_DONE          /* decided; kept `retain` to ignore late messages */
} GSlotState;

enum { KNOWN_NONE = 0, KNOWN_BID = 1, KNOWN_REFUSED = 2 };

typedef struct {
  SlotHead head;
  uint8_t state;        /* GSlotState */
  uint32_t rounds_done;
  DmasTimerId round_timer, deadline_timer;
  double *score;        /* per member index */
  uint8_t *known;       /* per member index: KNOWN_BID when score[] holds that member's bid,
                         * KNOWN_REFUSED when score[] holds the implausible one refused */
} GSlot;

typedef struct {
  int64_t fanout, rounds;
  DmasTime period, deadline, retain;
  const DmasAgentId *members;
  uint32_t n;
  DmasAgentId self_id;
  long self_idx;
  SlotVec slots;
  uint32_t *peers;      /* scratch for peer choice, n entries */
  uint8_t *body;        /* scratch for encoding, room for n bids */
} Gossip;

static void
gslot_free (SlotHead *head)
{
  GSlot *slot = (GSlot *) head;
  free (slot->score);
  free (slot->known);
  free (slot);
}

static GSlot *
gslot_get (Gossip *self, DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  GSlot *slot = (GSlot *) slot_vec_find (&self->slots, job, epoch);
  if (slot != NULL)
    return slot;
  slot = calloc (1, sizeof *slot);
  if (slot == NULL)
    return NULL;
  slot->head = (SlotHead){ job, epoch, home, DMAS_TIME_NONE };
  slot->score = calloc (self->n, sizeof *slot->score);
  slot->known = calloc (self->n, 1);
  if (slot->score == NULL || slot->known == NULL || slot_vec_push (&self->slots, &slot->head))
    {
      gslot_free (&slot->head);
      return NULL;
    }
  return slot;
}

static void
gslot_learn (GSlot *slot, long idx, double score)
{
  /* Bids are never revised in gossip: the first value heard is the bid. */
  if (slot->known[idx] != KNOWN_BID)
    {
      slot->known[idx] = KNOWN_BID;
      slot->score[idx] = score;
    }
}

/* Learns a bid heard from `src`, unless it is implausible: then it is remembered as refused,
 * so that the copies later rounds bring are not counted again, while a different (honest)
 * bid of that member can still be learnt -- a forger relaying first must not silence it. */
static void
gslot_hear (GSlot *slot, DmasCtx *ctx, DmasAgentId src, DmasAgentId agent, long idx,
            double score)
{
  if (slot->known[idx] == KNOWN_BID
      || (slot->known[idx] == KNOWN_REFUSED && slot->score[idx] == score))
    return;
  DmasSlot s = { .job = slot->head.job, .epoch = slot->head.epoch, .home = slot->head.home };
  DmasBid bid = { .job = slot->head.job, .agent = agent, .reserved = 0, .score = score };
  if (!consensus_bid_plausible (ctx, &s, &bid, agent == src ? agent : DMAS_AGENT_NONE))
    {
      slot->known[idx] = KNOWN_REFUSED;
      slot->score[idx] = score;
      return;
    }
  gslot_learn (slot, idx, score);
}

static size_t
encode (Gossip *self, const GSlot *slot)
{
  uint8_t *p = self->body;
  uint32_t count = 0;
  dmas_put_u64 (p, slot->head.job);
  dmas_put_u32 (p + 8, slot->head.epoch);
  dmas_put_u32 (p + 12, slot->head.home);
  for (uint32_t i = 0; i < self->n; i++)
    if (slot->known[i] == KNOWN_BID)
      {
        uint8_t *e = p + GOSSIP_HEAD_LEN + (size_t) count * GOSSIP_ENTRY_LEN;
        dmas_put_u32 (e, self->members[i]);
        dmas_put_double (e + 4, slot->score[i]);
        count++;
      }
  dmas_put_u32 (p + 16, count);
  return GOSSIP_HEAD_LEN + (size_t) count * GOSSIP_ENTRY_LEN;
}

/* One round: tell min(fanout, n-1) distinct random peers everything we know. */
static void
gossip_round (Gossip *self, DmasCtx *ctx, GSlot *slot)
{
  uint32_t m = 0;
  for (uint32_t i = 0; i < self->n; i++)
    if ((long) i != self->self_idx)
      self->peers[m++] = self->members[i];
  uint32_t k = (uint64_t) self->fanout < m ? (uint32_t) self->fanout : m;
  /* Partial Fisher-Yates: the first k entries become a uniform sample without repeats. */
  for (uint32_t i = 0; i < k; i++)
    {
      uint32_t j = i + (uint32_t) (ctx->api->rng_u64 (ctx) % (m - i));
      uint32_t t = self->peers[i];
      self->peers[i] = self->peers[j];
      self->peers[j] = t;
    }
  size_t len = encode (self, slot);
  if (k > 0)
    ctx->api->multicast (ctx, self->peers, k, GOSSIP_MSG, self->body, len);
  ctx->api->metric (ctx, "gossip_msgs", (double) k);
  if (slot->head.home == self->self_id)
    ctx->api->metric (ctx, "rounds", 1.0);
  slot->rounds_done++;
}

static void gossip_round_fired (DmasCtx *ctx, void *data);

static void
schedule_round (Gossip *self, DmasCtx *ctx, GSlot *slot)
{
  slot->round_timer = 0;
  if (slot->rounds_done >= (uint64_t) self->rounds)
    return;
  SlotTimer *t = slot_timer_new (self, &slot->head);
  if (t == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "gossip: out of memory, rounds of job %llu stop early",
                (unsigned long long) slot->head.job);
      return;
    }
  slot->round_timer = ctx->api->timer_add (ctx, self->period, gossip_round_fired, t, free);
}

static void
expire (Gossip *self, DmasCtx *ctx)
{
  slot_vec_expire (&self->slots, dmas_now (ctx), gslot_free);
}

static void
gossip_round_fired (DmasCtx *ctx, void *data)
{
  SlotTimer *t = data;
  Gossip *self = t->self;
  expire (self, ctx);
  GSlot *slot = (GSlot *) slot_vec_find (&self->slots, t->job, t->epoch);
  if (slot == NULL || slot->state != GSLOT_ACTIVE)
    return;
  gossip_round (self, ctx, slot);
  schedule_round (self, ctx, slot);
}

static void
gossip_deadline_fired (DmasCtx *ctx, void *data)
{
  SlotTimer *t = data;
  Gossip *self = t->self;
  expire (self, ctx);
  GSlot *slot = (GSlot *) slot_vec_find (&self->slots, t->job, t->epoch);
  if (slot == NULL || slot->state != GSLOT_ACTIVE)
    return;
  slot->deadline_timer = 0;
  if (slot->round_timer != 0)
    ctx->api->timer_cancel (ctx, slot->round_timer);
  slot->round_timer = 0;

  DmasSlot s = { .job = slot->head.job, .epoch = slot->head.epoch, .home = slot->head.home };
  DmasBid best = bid_rejected (slot->head.job);
  for (uint32_t i = 0; i < self->n; i++)
    if (slot->known[i] == KNOWN_BID)
      {
        DmasBid b = { .job = slot->head.job, .agent = self->members[i], .score = slot->score[i] };
        /* Others' bids were checked on receipt; our own bidder's is checked here, once. */
        if ((long) i == self->self_idx
            && !consensus_bid_plausible (ctx, &s, &b, DMAS_AGENT_NONE))
          continue;
        bid_keep_best (&best, &b);
      }
  slot->state = GSLOT_DONE;
  slot->head.expires = dmas_now (ctx) + self->retain;
  ctx->api->decide (ctx, &s, &best);
}

static int
gossip_propose (void *self_, DmasCtx *ctx, const DmasSlot *dslot, const DmasBid *bid)
{
  Gossip *self = self_;
  expire (self, ctx);
  if (member_index (self->members, self->n, dslot->home) < 0 || bid->job != dslot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "gossip: invalid proposal for job %llu epoch %u (home %u, bid by %u for job "
                "%llu, score %g)",
                (unsigned long long) dslot->job, dslot->epoch, dslot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }
  GSlot *slot = gslot_get (self, dslot->job, dslot->epoch, dslot->home);
  if (slot == NULL)
    return DMAS_ENOMEM;
  if (slot->state != GSLOT_BUFFERED)
    return DMAS_ESTATE; /* proposed twice */
  slot->head.home = dslot->home;
  slot->head.expires = DMAS_TIME_NONE;
  slot->state = GSLOT_ACTIVE;
  gslot_learn (slot, self->self_idx, bid->score);

  SlotTimer *t = slot_timer_new (self, &slot->head);
  if (t == NULL)
    return DMAS_ENOMEM;
  slot->deadline_timer = ctx->api->timer_add (ctx, self->deadline, gossip_deadline_fired, t,
                                              free);
  gossip_round (self, ctx, slot);
  schedule_round (self, ctx, slot);
  return DMAS_OK;
}

static int
gossip_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type,
                   const void *body_, size_t len)
{
  Gossip *self = self_;
  const uint8_t *body = body_;
  expire (self, ctx);
  if (type != GOSSIP_MSG || body == NULL || len < GOSSIP_HEAD_LEN
      || member_index (self->members, self->n, src) < 0)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  DmasJobId job = dmas_get_u64 (body);
  uint32_t epoch = dmas_get_u32 (body + 8);
  DmasAgentId home = dmas_get_u32 (body + 12);
  uint32_t count = dmas_get_u32 (body + 16);
  int ok = member_index (self->members, self->n, home) >= 0 && count <= self->n
           && len == GOSSIP_HEAD_LEN + (size_t) count * GOSSIP_ENTRY_LEN;
  for (uint32_t k = 0; ok && k < count; k++)
    {
      const uint8_t *e = body + GOSSIP_HEAD_LEN + (size_t) k * GOSSIP_ENTRY_LEN;
      double score = dmas_get_double (e + 4);
      ok = member_index (self->members, self->n, dmas_get_u32 (e)) >= 0 && isfinite (score)
           && score >= 0.0;
    }
  if (!ok)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }

  GSlot *slot = gslot_get (self, job, epoch, home);
  if (slot == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "gossip: out of memory, GOSSIP from %u dropped", src);
      return DMAS_OK;
    }
  if (slot->state == GSLOT_DONE)
    {
      ctx->api->metric (ctx, "late", 1.0);
      return DMAS_OK;
    }
  if (slot->state == GSLOT_BUFFERED)
    /* Forgotten if no proposal ever comes (this agent was down when the slot opened). */
    slot->head.expires = dmas_now (ctx) + self->retain;
  for (uint32_t k = 0; k < count; k++)
    {
      const uint8_t *e = body + GOSSIP_HEAD_LEN + (size_t) k * GOSSIP_ENTRY_LEN;
      DmasAgentId agent = dmas_get_u32 (e);
      gslot_hear (slot, ctx, src, agent, member_index (self->members, self->n, agent),
                  dmas_get_double (e + 4));
    }
  return DMAS_OK;
}

static void *
gossip_create (DmasCtx *ctx, DmasError *err)
{
  Gossip tmp = { 0 };
  int rc = ctx->api->param_int (ctx, "fanout", &tmp.fanout);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "rounds", &tmp.rounds);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "period", &tmp.period);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "deadline", &tmp.deadline);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "retain", &tmp.retain);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "gossip: cannot read its parameters (status %d)", rc);
      return NULL;
    }
  if (tmp.fanout < 1 || tmp.rounds < 1 || tmp.period == 0 || tmp.retain == 0)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "gossip: fanout and rounds must be >= 1, period and retain > 0 (got "
                      "fanout %lld, rounds %lld)",
                      (long long) tmp.fanout, (long long) tmp.rounds);
      return NULL;
    }
  tmp.self_id = dmas_self (ctx);
  tmp.members = ctx->api->members (ctx, &tmp.n);
  tmp.self_idx = member_index (tmp.members, tmp.n, tmp.self_id);
  if (tmp.self_idx < 0)
    {
      dmas_error_set (err, DMAS_EINVAL, "gossip: this agent (%u) is not a member", tmp.self_id);
      return NULL;
    }
  Gossip *self = malloc (sizeof *self);
  if (self != NULL)
    {
      *self = tmp;
      self->peers = calloc (tmp.n, sizeof *self->peers);
      self->body = malloc (GOSSIP_HEAD_LEN + (size_t) tmp.n * GOSSIP_ENTRY_LEN);
    }
  if (self == NULL || self->peers == NULL || self->body == NULL)
    {
      if (self != NULL)
        {
          free (self->peers);
          free (self->body);
          free (self);
        }
      dmas_error_set (err, DMAS_ENOMEM, "gossip: out of memory");
      return NULL;
    }
  return self;
}

static void
gossip_destroy (void *self_)
{
  Gossip *self = self_;
  if (self == NULL)
    return;
  /* Pending timers are the host's to free; their data only names slots. */
  slot_vec_clear (&self->slots, gslot_free);
  free (self->peers);
  free (self->body);
  free (self);
}

static const DmasConsensusOps gossip_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = gossip_create,
  .destroy = gossip_destroy,
  .propose = gossip_propose,
  .on_message = gossip_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_NONE,
};

static const DmasParamSpec gossip_params[] = {
  { "fanout", DMAS_PARAM_INT, "3", "peers each agent tells per round (at most n-1 are used)" },
  { "rounds", DMAS_PARAM_INT, "4", "gossip rounds per slot, the first at the agent's proposal" },
  { "period", DMAS_PARAM_DURATION, "20ms", "time between two gossip rounds" },
  { "deadline", DMAS_PARAM_DURATION, "200ms",
    "an agent decides the best bid it knows this long after its own proposal" },
  { "retain", DMAS_PARAM_DURATION, "60s",
    "how long a decided or idle slot is remembered to ignore late messages" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent gossip_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "gossip",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &gossip_ops,
    .summary = "epidemic spread of bids; each agent decides at a local deadline (no agreement "
               "guarantee)",
    .params = gossip_params,
  },
};

static const DmasPluginDesc gossip_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "gossip",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = gossip_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &gossip_desc;
}
