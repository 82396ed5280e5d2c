/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/leader-decides: the skeleton's consensus, where each slot's home agent decides. */
#include <string.h>

#include <dmas/dmas.h>

#include "skeleton.h"

/* The protocol, per slot (job, epoch):
 *
 *   every agent   sends its bid to the slot's home (the home keeps its own);
 *   the home      waits until every member it does not suspect has bid, then decides the best
 *                 bid (dmas_bid_better: score, then the shared tie-break) -- or "rejected"
 *                 when all n members bid 0 -- and broadcasts that decision;
 *   every agent   decides what the home's decision message says, once.
 *
 * Fault model: DMAS_FAULT_MODEL_NONE, declared below, and meant.  Without faults it is safe
 * (only the home chooses, and it chooses once), valid (the winner is a bid it received, > 0)
 * and live (every bid arrives).  With crashes it promises nothing: a home that crashes halfway
 * through its broadcast leaves some agents decided and others not, and the re-opened slot of a
 * new epoch can choose differently; a suspected agent that was only slow is skipped.  A
 * protocol that claims the crash model needs quorums (see consensus/raft, multipaxos). */

enum {
  MSG_BID = 1,    /* job u64 | epoch u32 | score f64 : to the home */
  MSG_DECIDE = 2, /* job u64 | epoch u32 | winner u32 | score f64 : from the home */
};
#define BID_LEN 20
#define DECIDE_LEN 24

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  int decided;
  int is_home;        /* this agent proposed the slot as its home */
  uint8_t *heard;     /* home only: heard[agent] != 0 once its bid arrived */
  uint32_t n_heard;
  DmasBid best;       /* home only: best bid so far (score 0, agent NONE at first) */
} Slot;

typedef struct {
  uint32_t n;         /* members are 0 .. n-1 */
  uint8_t *suspected; /* the failure detector's view, per agent */
  Slot *slots;
  size_t len, cap;
} Leader;

static void *
leader_create (DmasCtx *ctx, DmasError *err)
{
  Leader *self = skeleton_alloc (sizeof *self);
  if (self != NULL)
    {
      self->n = dmas_n_agents (ctx);
      self->suspected = skeleton_alloc (self->n > 0 ? self->n : 1);
    }
  if (self == NULL || self->suspected == NULL)
    {
      if (self != NULL)
        skeleton_free (self);
      dmas_error_set (err, DMAS_ENOMEM, "leader-decides: out of memory");
      return NULL;
    }
  return self;
}

static void
leader_destroy (void *data)
{
  Leader *self = data;
  for (size_t i = 0; i < self->len; i++)
    skeleton_free (self->slots[i].heard);
  skeleton_free (self->slots);
  skeleton_free (self->suspected);
  skeleton_free (self);
}

/* The record of (job, epoch), created on first use; NULL when out of memory.  A linear search
 * keeps the skeleton short; a real protocol indexes by job. */
static Slot *
slot_of (Leader *self, DmasJobId job, uint32_t epoch)
{
  for (size_t i = 0; i < self->len; i++)
    if (self->slots[i].job == job && self->slots[i].epoch == epoch)
      return &self->slots[i];
  if (self->len == self->cap)
    {
      size_t cap = self->cap > 0 ? 2 * self->cap : 16;
      Slot *grown = skeleton_alloc (cap * sizeof *grown);
      if (grown == NULL)
        return NULL;
      if (self->len > 0)
        memcpy (grown, self->slots, self->len * sizeof *grown);
      skeleton_free (self->slots);
      self->slots = grown;
      self->cap = cap;
    }
  Slot *s = &self->slots[self->len++];
  memset (s, 0, sizeof *s);
  s->job = job;
  s->epoch = epoch;
  s->best = (DmasBid){ .job = job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  return s;
}

static int
decide_once (DmasCtx *ctx, Slot *s, DmasAgentId home, DmasAgentId winner, double score)
{
  if (s->decided)
    return DMAS_OK;
  s->decided = 1;
  const DmasSlot slot = { .job = s->job, .epoch = s->epoch, .home = home };
  const DmasBid bid = { .job = s->job, .agent = winner, .score = score };
  return ctx->api->decide (ctx, &slot, &bid);
}

/* Home only: decides when every member it does not suspect has bid.  "Rejected" needs all n
 * bids at 0: a silent agent might be the one cluster that fits. */
static int
home_try_decide (Leader *self, DmasCtx *ctx, Slot *s)
{
  if (!s->is_home || s->decided)
    return DMAS_OK;
  for (uint32_t a = 0; a < self->n; a++)
    if (!s->heard[a] && !self->suspected[a])
      return DMAS_OK;
  if (s->best.score <= 0.0 && s->n_heard < self->n)
    return DMAS_OK;
  DmasAgentId winner = s->best.score > 0.0 ? s->best.agent : DMAS_AGENT_NONE;
  double score = s->best.score > 0.0 ? s->best.score : 0.0;
  uint8_t body[DECIDE_LEN];
  dmas_put_u64 (body, s->job);
  dmas_put_u32 (body + 8, s->epoch);
  dmas_put_u32 (body + 12, winner);
  dmas_put_double (body + 16, score);
  int rc = decide_once (ctx, s, dmas_self (ctx), winner, score);
  if (rc != DMAS_OK)
    return rc;
  ctx->api->metric (ctx, "leader-decides.decisions", 1.0);
  return ctx->api->broadcast (ctx, MSG_DECIDE, body, sizeof body);
}

static int
home_record_bid (Leader *self, DmasCtx *ctx, Slot *s, DmasAgentId agent, double score)
{
  if (agent >= self->n || s->heard[agent])
    return DMAS_OK; /* a duplicate changes nothing */
  s->heard[agent] = 1;
  s->n_heard++;
  const DmasBid bid = { .job = s->job, .agent = agent, .score = score };
  if (score > 0.0 && dmas_bid_better (&bid, &s->best))
    s->best = bid;
  return home_try_decide (self, ctx, s);
}

/* Makes `s` a slot this agent is home of. */
static int
home_prepare (Leader *self, Slot *s)
{
  s->is_home = 1;
  if (s->heard == NULL)
    s->heard = skeleton_alloc (self->n > 0 ? self->n : 1);
  return s->heard != NULL ? DMAS_OK : DMAS_ENOMEM;
}

static int
leader_propose (void *data, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Leader *self = data;
  Slot *s = slot_of (self, slot->job, slot->epoch);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (slot->home == dmas_self (ctx))
    {
      if (home_prepare (self, s) != DMAS_OK)
        return DMAS_ENOMEM;
      return home_record_bid (self, ctx, s, bid->agent, bid->score);
    }
  uint8_t body[BID_LEN];
  dmas_put_u64 (body, slot->job);
  dmas_put_u32 (body + 8, slot->epoch);
  dmas_put_double (body + 12, bid->score);
  return ctx->api->send (ctx, slot->home, MSG_BID, body, sizeof body);
}

static int
leader_on_message (void *data, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                   size_t len)
{
  Leader *self = data;
  const uint8_t *p = body;
  if (type == MSG_BID && len == BID_LEN)
    {
      Slot *s = slot_of (self, dmas_get_u64 (p), dmas_get_u32 (p + 8));
      if (s == NULL)
        return DMAS_ENOMEM;
      /* Only a slot's home is sent bids, so a bid makes this agent the home even when it
       * overtook the home's own propose (which then completes the set: the home waits for its
       * own bid like any other). */
      if (home_prepare (self, s) != DMAS_OK)
        return DMAS_ENOMEM;
      return home_record_bid (self, ctx, s, src, dmas_get_double (p + 12));
    }
  if (type == MSG_DECIDE && len == DECIDE_LEN)
    {
      Slot *s = slot_of (self, dmas_get_u64 (p), dmas_get_u32 (p + 8));
      if (s == NULL)
        return DMAS_ENOMEM;
      return decide_once (ctx, s, src, dmas_get_u32 (p + 12), dmas_get_double (p + 16));
    }
  dmas_log (ctx, DMAS_LOG_WARNING, "leader-decides: ignoring message type %u of %zu bytes",
            type, len);
  return DMAS_EINVAL;
}

/* A suspected agent no longer holds up the slots it has not bid in; one alive again does. */
static void
leader_agent_status (void *data, DmasCtx *ctx, DmasAgentId agent, int suspected)
{
  Leader *self = data;
  if (agent >= self->n)
    return;
  self->suspected[agent] = suspected != 0;
  if (!suspected)
    return;
  for (size_t i = 0; i < self->len; i++)
    (void) home_try_decide (self, ctx, &self->slots[i]);
}

const DmasConsensusOps skeleton_leader_decides_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = leader_create,
  .destroy = leader_destroy,
  .propose = leader_propose,
  .on_message = leader_on_message,
  .agent_status = leader_agent_status,
  .fault_model = DMAS_FAULT_MODEL_NONE,
};

const DmasParamSpec skeleton_leader_decides_params[] = {
  { NULL, 0, NULL, NULL },
};
