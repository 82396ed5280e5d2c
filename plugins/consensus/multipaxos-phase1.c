/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: leader failure detection, phase 1 (PREPARE, PROMISE) and leader changes. */
#include <stdlib.h>
#include <string.h>

#include "multipaxos-private.h"

/* --- timers ----------------------------------------------------------------------------- */

static void watch_fired (DmasCtx *ctx, void *data);
static void become_leader (Paxos *self, DmasCtx *ctx);

void
multipaxos_watch_arm (Paxos *self, DmasCtx *ctx)
{
  if (self->watch != 0 || self->leading || (self->n_pending_own == 0 && !self->candidate))
    return;
  DmasTime delay = self->leader_timeout
                   + (DmasTime) (ctx->api->rng_double (ctx) * (double) self->leader_timeout);
  self->watch = ctx->api->timer_add (ctx, delay, watch_fired, self, NULL);
}

void
multipaxos_beat_arm (Paxos *self, DmasCtx *ctx)
{
  if (self->beat == 0 && self->leading && self->n_open > 0)
    self->beat = ctx->api->timer_add (ctx, self->heartbeat, multipaxos_beat_fired, self, NULL);
}

static void
watch_fired (DmasCtx *ctx, void *data)
{
  Paxos *self = data;
  self->watch = 0;
  if (self->leading)
    return;
  if (self->candidate)
    {
      /* Phase 1 found no majority in time: try again higher, unless it keeps failing. */
      self->candidate = 0;
      if (++self->failed_elections >= RETRY_LIMIT)
        return;
      multipaxos_start_election (self, ctx);
      multipaxos_watch_arm (self, ctx);
      return;
    }
  if (self->n_pending_own == 0)
    return;
  DmasTime now = dmas_now (ctx);
  if (self->leader != DMAS_AGENT_NONE && now - self->last_heard < self->leader_timeout)
    multipaxos_resend_bids (self, ctx, 1);
  else if (self->leader != DMAS_AGENT_NONE && !self->probed)
    {
      self->probed = 1;
      multipaxos_resend_bids (self, ctx, 1);
    }
  else
    {
      if (self->failed_elections >= RETRY_LIMIT)
        return;
      multipaxos_start_election (self, ctx);
    }
  multipaxos_watch_arm (self, ctx);
}

/* --- phase 1 ---------------------------------------------------------------------------- */

static int
want_any (const Paxos *self, const Instance *s)
{
  (void) self;
  return !s->decided;
}

static int
want_held (const Paxos *self, const Instance *s)
{
  (void) self;
  return s->decided || s->acc_ballot != 0;
}

static void
step_down (Paxos *self, DmasCtx *ctx)
{
  if (!self->leading && !self->candidate)
    return;
  self->leading = 0;
  self->candidate = 0;
  self->batch_len = 0;
  if (self->flush != 0)
    {
      ctx->api->timer_cancel (ctx, self->flush);
      self->flush = 0;
    }
  if (self->beat != 0)
    {
      ctx->api->timer_cancel (ctx, self->beat);
      self->beat = 0;
    }
  multipaxos_watch_arm (self, ctx);
}

/* A higher ballot exists: remember its round, follow its owner. */
void
multipaxos_see_ballot (Paxos *self, DmasCtx *ctx, Ballot b)
{
  if (multipaxos_ballot_round (b) > self->max_round)
    self->max_round = multipaxos_ballot_round (b);
  if ((self->leading || self->candidate) && b > self->ballot)
    step_down (self, ctx);
}

void
multipaxos_adopt_leader (Paxos *self, DmasCtx *ctx, DmasAgentId agent)
{
  if (agent == self->self_id)
    return;
  self->last_heard = dmas_now (ctx);
  self->probed = 0;
  if (self->leader == agent)
    return;
  self->leader = agent;
  multipaxos_resend_bids (self, ctx, 0);
}

void
multipaxos_start_election (Paxos *self, DmasCtx *ctx)
{
  uint64_t round = self->max_round;
  if (multipaxos_ballot_round (self->promised) > round)
    round = multipaxos_ballot_round (self->promised);
  self->max_round = round + 1;
  self->ballot = self->max_round << 32 | self->self_id;
  self->promised = self->ballot;
  multipaxos_persist_meta (self, ctx); /* before PREPARE leaves: the round is never used twice */
  self->candidate = 1;
  self->leading = 0;
  self->leader = DMAS_AGENT_NONE;
  memset (self->promisers, 0, self->bitmap_len);
  self->n_promises = 0;
  ctx->api->metric (ctx, "ballots", 1.0);

  /* What phase 1 learns starts from this agent's own acceptor. */
  for (size_t i = 0; i < self->capacity; i++)
    {
      Instance *s = &self->table[i];
      if (!s->used)
        continue;
      s->p1_ballot = s->decided ? 0 : s->acc_ballot;
      s->p1_value = s->acc_value;
    }
  uint32_t idx;
  multipaxos_member_index (self, self->self_id, &idx);
  self->promisers[idx / 8] |= (uint8_t) (1u << (idx % 8));
  self->n_promises = 1;
  dmas_log (ctx, DMAS_LOG_DEBUG, "multipaxos: phase 1 with ballot %llu.%u",
            (unsigned long long) self->max_round, self->self_id);
  if (self->n_promises >= self->majority)
    {
      become_leader (self, ctx); /* a single agent is its own majority */
      return;
    }
  multipaxos_send_ballot (ctx, DMAS_AGENT_NONE, MSG_PREPARE, self->ballot);
  multipaxos_watch_arm (self, ctx);
}

static void
become_leader (Paxos *self, DmasCtx *ctx)
{
  self->candidate = 0;
  self->leading = 1;
  self->leader = DMAS_AGENT_NONE;
  self->failed_elections = 0;
  self->idle_ticks = 0;
  if (self->watch != 0)
    {
      ctx->api->timer_cancel (ctx, self->watch);
      self->watch = 0;
    }
  ctx->api->metric (ctx, "elections", 1.0);
  dmas_log (ctx, DMAS_LOG_DEBUG, "multipaxos: leads with ballot %llu.%u",
            (unsigned long long) multipaxos_ballot_round (self->ballot), self->self_id);
  if (self->n > 1)
    multipaxos_send_ballot (ctx, DMAS_AGENT_NONE, MSG_HEARTBEAT, self->ballot);

  uint32_t n;
  Key *keys = multipaxos_inst_keys (self, want_any, &n);
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    {
      Instance *s = multipaxos_inst_lookup (self, keys[i].job, keys[i].epoch);
      if (s->window != 0)
        {
          ctx->api->timer_cancel (ctx, s->window);
          s->window = 0;
        }
      multipaxos_set_stage (self, s, STAGE_IDLE);
    }
  for (uint32_t i = 0; keys != NULL && i < n; i++)
    multipaxos_leader_consider (self, ctx,
                                multipaxos_inst_lookup (self, keys[i].job, keys[i].epoch));
  free (keys);
  if (self->batch_len > 0)
    multipaxos_flush_batch (self, ctx);
  multipaxos_beat_arm (self, ctx);
}

void
multipaxos_on_prepare (Paxos *self, DmasCtx *ctx, DmasAgentId src, Ballot b)
{
  if (b < self->promised || multipaxos_ballot_owner (b) != src)
    {
      multipaxos_send_ballot (ctx, src, MSG_NACK, self->promised);
      return;
    }
  multipaxos_see_ballot (self, ctx, b);
  if (b > self->promised)
    {
      self->promised = b;
      multipaxos_persist_meta (self, ctx);
    }
  uint32_t n;
  Key *keys = multipaxos_inst_keys (self, want_held, &n);
  if (keys == NULL)
    return;
  size_t len = BATCH_HEAD_LEN + (size_t) n * PROMISE_ENTRY_LEN;
  uint8_t *body = malloc (len);
  if (body != NULL)
    {
      dmas_put_u64 (body, b);
      dmas_put_u32 (body + 8, n);
      for (uint32_t i = 0; i < n; i++)
        {
          Instance *s = multipaxos_inst_lookup (self, keys[i].job, keys[i].epoch);
          uint8_t *p = body + BATCH_HEAD_LEN + (size_t) i * PROMISE_ENTRY_LEN;
          multipaxos_put_value (p, s, &s->acc_value);
          dmas_put_u64 (p + VALUE_LEN, s->acc_ballot);
          p[VALUE_LEN + 8] = s->decided;
        }
      ctx->api->send (ctx, src, MSG_PROMISE, body, len);
    }
  free (body);
  free (keys);
  multipaxos_adopt_leader (self, ctx, src);
}

void
multipaxos_on_promise (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  uint32_t idx;
  Ballot b = dmas_get_u64 (body);
  if (!self->candidate || b != self->ballot || !multipaxos_member_index (self, src, &idx))
    return;
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (self->promisers[idx / 8] & bit)
    return;
  self->promisers[idx / 8] |= bit;
  for (uint32_t i = 0; i < n; i++)
    {
      const uint8_t *p = body + BATCH_HEAD_LEN + (size_t) i * PROMISE_ENTRY_LEN;
      ValueEntry e;
      if (!multipaxos_get_value (self, p, &e))
        continue;
      Instance *s = multipaxos_inst_get (self, e.job, e.epoch, e.home);
      if (s == NULL)
        continue;
      Ballot acc = dmas_get_u64 (p + VALUE_LEN);
      if (p[VALUE_LEN + 8])
        multipaxos_learn (self, ctx, s, &e.value);
      else if (acc > s->p1_ballot)
        {
          s->p1_ballot = acc;
          s->p1_value = e.value;
        }
    }
  if (++self->n_promises >= self->majority)
    become_leader (self, ctx);
}
