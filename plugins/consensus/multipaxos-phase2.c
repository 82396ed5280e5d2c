/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: learning, bid collection and phase 2 (ACCEPT, ACCEPTED, DECIDE). */
#include <stdlib.h>
#include <string.h>

#include "multipaxos-private.h"
#include "plausible.h"

/* --- learning --------------------------------------------------------------------------- */

void
multipaxos_learn (Paxos *self, DmasCtx *ctx, Instance *s, const DmasBid *value)
{
  if (s->decided)
    return;
  s->decided = 1;
  /* Progress: whoever gave up retrying may try again. */
  self->failed_elections = 0;
  s->acc_value = *value;
  s->acc_value.job = s->job;
  if (s->window != 0)
    {
      ctx->api->timer_cancel (ctx, s->window);
      s->window = 0;
    }
  multipaxos_set_stage (self, s, STAGE_IDLE);
  free (s->bits);
  s->bits = NULL;
  if (s->own)
    self->n_pending_own--;
  multipaxos_persist_instance (self, ctx, s);
  DmasSlot slot = { .job = s->job, .epoch = s->epoch, .home = s->home };
  DmasBid winner = s->acc_value;
  ctx->api->decide (ctx, &slot, &winner);
}

/* --- bids ------------------------------------------------------------------------------- */

/* Returns 0 when that agent's bid was already recorded (a re-sent or duplicated BID).  The
 * leader never proposes an implausible winner (plausible.h): such a bid counts as declined
 * and its sender (a BID's agent is the authenticated sender) is accused. */
int
multipaxos_record_bid (Paxos *self, DmasCtx *ctx, Instance *s, const DmasBid *bid)
{
  uint32_t idx;
  if (s->bits == NULL || !multipaxos_member_index (self, bid->agent, &idx))
    return 0;
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (s->bits[idx / 8] & bit)
    return 0;
  s->bits[idx / 8] |= bit;
  s->n_bids++;
  DmasSlot slot = { .job = s->job, .epoch = s->epoch, .home = s->home };
  if (bid->score > 0.0 && consensus_bid_plausible (ctx, &slot, bid, bid->agent)
      && (s->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &s->best)))
    s->best = *bid;
  return 1;
}

void
multipaxos_send_bid (DmasCtx *ctx, Instance *s, DmasAgentId to)
{
  uint8_t body[VALUE_LEN];
  multipaxos_put_value (body, s, &s->own_bid);
  s->bid_sent_to = to;
  ctx->api->send (ctx, to, MSG_BID, body, sizeof body);
}

static int
want_pending_own (const Paxos *self, const Instance *s)
{
  (void) self;
  return s->own && !s->decided;
}

/* Sends every undecided own bid to the leader (all of them, or only those not sent to it). */
void
multipaxos_resend_bids (Paxos *self, DmasCtx *ctx, int all)
{
  if (self->leader == DMAS_AGENT_NONE || self->n_pending_own == 0)
    return;
  uint32_t n;
  Key *keys = multipaxos_inst_keys (self, want_pending_own, &n);
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    {
      Instance *s = multipaxos_inst_lookup (self, keys[i].job, keys[i].epoch);
      if (all || s->bid_sent_to != self->leader)
        multipaxos_send_bid (ctx, s, self->leader);
    }
  free (keys);
}

/* --- phase 2 ---------------------------------------------------------------------------- */

void
multipaxos_chosen (Paxos *self, DmasCtx *ctx, const Key *keys, uint32_t n)
{
  if (n == 0)
    return;
  uint8_t *body = malloc (4 + (size_t) n * VALUE_LEN);
  if (body == NULL)
    return;
  dmas_put_u32 (body, n);
  for (uint32_t i = 0; i < n; i++)
    {
      Instance *s = multipaxos_inst_lookup (self, keys[i].job, keys[i].epoch);
      multipaxos_put_value (body + 4 + (size_t) i * VALUE_LEN, s, &s->prop_value);
      multipaxos_learn (self, ctx, s, &s->prop_value);
    }
  if (self->n > 1)
    ctx->api->broadcast (ctx, MSG_DECIDE, body, 4 + (size_t) n * VALUE_LEN);
  free (body);
}

/* Counts `agent`'s acceptance; returns 1 when it makes the instance chosen. */
int
multipaxos_count_ack (Paxos *self, Instance *s, DmasAgentId agent)
{
  uint32_t idx;
  if (s->decided || s->stage != STAGE_PROPOSED || !multipaxos_member_index (self, agent, &idx))
    return 0;
  uint8_t *acks = s->bits + self->bitmap_len;
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (acks[idx / 8] & bit)
    return 0;
  acks[idx / 8] |= bit;
  return ++s->n_acks == self->majority;
}

/* Sends ACCEPT for `keys` (instances in READY or PROPOSED), accepting them here first. */
static void
send_accept (Paxos *self, DmasCtx *ctx, const Key *keys, uint32_t n, int fresh_round)
{
  uint8_t *body = malloc (BATCH_HEAD_LEN + (size_t) n * VALUE_LEN);
  Key *won = malloc ((n ? n : 1) * sizeof *won);
  uint32_t n_won = 0;
  if (body == NULL || won == NULL)
    {
      free (body);
      free (won);
      return;
    }
  dmas_put_u64 (body, self->ballot);
  dmas_put_u32 (body + 8, n);
  for (uint32_t i = 0; i < n; i++)
    {
      Instance *s = multipaxos_inst_lookup (self, keys[i].job, keys[i].epoch);
      multipaxos_put_value (body + BATCH_HEAD_LEN + (size_t) i * VALUE_LEN, s, &s->prop_value);
      if (!fresh_round)
        continue;
      multipaxos_set_stage (self, s, STAGE_PROPOSED);
      s->prop_ballot = self->ballot;
      s->prop_at = dmas_now (ctx);
      s->n_acks = 0;
      memset (s->bits + self->bitmap_len, 0, self->bitmap_len);
      /* The leader's own acceptor: promised == ballot while it leads. */
      s->acc_ballot = self->ballot;
      s->acc_value = s->prop_value;
      multipaxos_persist_instance (self, ctx, s);
      if (multipaxos_count_ack (self, s, self->self_id))
        won[n_won++] = keys[i];
    }
  if (fresh_round)
    ctx->api->metric (ctx, "rounds", (double) n);
  if (self->n > 1)
    ctx->api->broadcast (ctx, MSG_ACCEPT, body, BATCH_HEAD_LEN + (size_t) n * VALUE_LEN);
  multipaxos_chosen (self, ctx, won, n_won);
  free (won);
  free (body);
  multipaxos_beat_arm (self, ctx);
}

void
multipaxos_flush_batch (Paxos *self, DmasCtx *ctx)
{
  if (self->flush != 0)
    {
      ctx->api->timer_cancel (ctx, self->flush);
      self->flush = 0;
    }
  uint32_t n = 0;
  for (uint32_t i = 0; i < self->batch_len; i++)
    {
      Instance *s
          = multipaxos_inst_lookup (self, self->batch_keys[i].job, self->batch_keys[i].epoch);
      if (s != NULL && !s->decided && s->stage == STAGE_READY)
        self->batch_keys[n++] = self->batch_keys[i];
    }
  self->batch_len = 0;
  if (n > 0 && self->leading)
    send_accept (self, ctx, self->batch_keys, n, 1);
}

static void
flush_fired (DmasCtx *ctx, void *data)
{
  Paxos *self = data;
  self->flush = 0;
  multipaxos_flush_batch (self, ctx);
}

static void
make_ready (Paxos *self, DmasCtx *ctx, Instance *s, const DmasBid *value)
{
  if (s->window != 0)
    {
      ctx->api->timer_cancel (ctx, s->window);
      s->window = 0;
    }
  multipaxos_set_stage (self, s, STAGE_READY);
  s->prop_value = *value;
  s->prop_value.job = s->job;
  self->batch_keys[self->batch_len++] = (Key){ s->job, s->epoch };
  if (self->batch_len >= self->batch)
    multipaxos_flush_batch (self, ctx);
  else if (self->flush == 0)
    self->flush = ctx->api->timer_add (ctx, self->batch_wait, flush_fired, self, NULL);
}

static void
window_fired (DmasCtx *ctx, void *data)
{
  WindowData *w = data;
  Paxos *self = w->self;
  Instance *s = multipaxos_inst_lookup (self, w->key.job, w->key.epoch);
  if (s == NULL)
    return;
  s->window = 0;
  if (self->leading && !s->decided && s->stage == STAGE_COLLECTING)
    make_ready (self, ctx, s, &s->best);
}

/* The leader moves an instance it holds bids for towards phase 2. */
void
multipaxos_leader_consider (Paxos *self, DmasCtx *ctx, Instance *s)
{
  if (!self->leading || s->decided)
    return;
  if (s->stage == STAGE_IDLE)
    {
      if (s->p1_ballot != 0)
        {
          make_ready (self, ctx, s, &s->p1_value); /* the Paxos safety rule */
          return;
        }
      if (s->n_bids == 0)
        return;
      multipaxos_set_stage (self, s, STAGE_COLLECTING);
      if (s->n_bids < self->n)
        {
          WindowData *w = malloc (sizeof *w);
          if (w != NULL)
            {
              *w = (WindowData){ self, { s->job, s->epoch } };
              s->window = ctx->api->timer_add (ctx, self->bid_window, window_fired, w, free);
            }
        }
      multipaxos_beat_arm (self, ctx);
    }
  if (s->stage == STAGE_COLLECTING && s->n_bids == self->n)
    make_ready (self, ctx, s, &s->best);
}

static int
want_proposed (const Paxos *self, const Instance *s)
{
  return !s->decided && s->stage == STAGE_PROPOSED && s->prop_ballot == self->ballot;
}

void
multipaxos_beat_fired (DmasCtx *ctx, void *data)
{
  Paxos *self = data;
  self->beat = 0;
  if (!self->leading || self->n_open == 0)
    return;
  if (++self->idle_ticks > RETRY_LIMIT)
    return; /* no progress for long: wait for a message or a proposal */
  multipaxos_send_ballot (ctx, DMAS_AGENT_NONE, MSG_HEARTBEAT, self->ballot);
  uint32_t n;
  Key *keys = multipaxos_inst_keys (self, want_proposed, &n);
  uint32_t k = 0;
  DmasTime now = dmas_now (ctx);
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    {
      Instance *s = multipaxos_inst_lookup (self, keys[i].job, keys[i].epoch);
      if (now - s->prop_at >= self->heartbeat)
        keys[k++] = keys[i];
    }
  if (k > 0)
    send_accept (self, ctx, keys, k, 0);
  free (keys);
  multipaxos_beat_arm (self, ctx);
}
