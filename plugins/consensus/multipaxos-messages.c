/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: handlers of BID, ACCEPT, ACCEPTED, DECIDE, HEARTBEAT and NACK. */
#include <stdlib.h>

#include "multipaxos-private.h"

/* --- messages --------------------------------------------------------------------------- */

void
multipaxos_on_bid (Paxos *self, DmasCtx *ctx, DmasAgentId src, const ValueEntry *e)
{
  Instance *s = multipaxos_inst_get (self, e->job, e->epoch, e->home);
  if (s == NULL)
    return;
  if (s->decided)
    {
      uint8_t body[4 + VALUE_LEN];
      dmas_put_u32 (body, 1);
      multipaxos_put_value (body + 4, s, &s->acc_value);
      ctx->api->send (ctx, src, MSG_DECIDE, body, sizeof body);
      return;
    }
  /* Only news counts as progress: re-sent bids must not keep a stuck leader beating. */
  if (multipaxos_record_bid (self, ctx, s, &e->value))
    self->idle_ticks = 0;
  multipaxos_leader_consider (self, ctx, s);
}

void
multipaxos_on_accept (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  Ballot b = dmas_get_u64 (body);
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
  uint8_t *reply = malloc (BATCH_HEAD_LEN + (size_t) n * KEY_LEN);
  if (reply == NULL)
    return;
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++)
    {
      ValueEntry e;
      if (!multipaxos_get_value (self, body + BATCH_HEAD_LEN + (size_t) i * VALUE_LEN, &e))
        continue;
      Instance *s = multipaxos_inst_get (self, e.job, e.epoch, e.home);
      if (s == NULL)
        continue;
      if (!s->decided && (s->acc_ballot != b || s->acc_value.agent != e.value.agent
                          || s->acc_value.score != e.value.score))
        {
          s->acc_ballot = b;
          s->acc_value = e.value;
          multipaxos_persist_instance (self, ctx, s);
        }
      uint8_t *p = reply + BATCH_HEAD_LEN + (size_t) k++ * KEY_LEN;
      dmas_put_u64 (p, e.job);
      dmas_put_u32 (p + 8, e.epoch);
    }
  dmas_put_u64 (reply, b);
  dmas_put_u32 (reply + 8, k);
  ctx->api->send (ctx, src, MSG_ACCEPTED, reply, BATCH_HEAD_LEN + (size_t) k * KEY_LEN);
  free (reply);
  multipaxos_adopt_leader (self, ctx, src);
}

void
multipaxos_on_accepted (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  Ballot b = dmas_get_u64 (body);
  if (!self->leading || b != self->ballot)
    return;
  Key *won = malloc ((n ? n : 1) * sizeof *won);
  if (won == NULL)
    return;
  uint32_t n_won = 0;
  for (uint32_t i = 0; i < n; i++)
    {
      const uint8_t *p = body + BATCH_HEAD_LEN + (size_t) i * KEY_LEN;
      Key key = { dmas_get_u64 (p), dmas_get_u32 (p + 8) };
      Instance *s = multipaxos_inst_lookup (self, key.job, key.epoch);
      if (s != NULL && s->prop_ballot == b && multipaxos_count_ack (self, s, src))
        won[n_won++] = key;
    }
  if (n_won > 0)
    self->idle_ticks = 0;
  multipaxos_chosen (self, ctx, won, n_won);
  free (won);
}

void
multipaxos_on_decide (Paxos *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, uint32_t n)
{
  if (src == self->leader)
    {
      self->last_heard = dmas_now (ctx);
      self->probed = 0;
    }
  for (uint32_t i = 0; i < n; i++)
    {
      ValueEntry e;
      if (!multipaxos_get_value (self, body + 4 + (size_t) i * VALUE_LEN, &e))
        continue;
      Instance *s = multipaxos_inst_get (self, e.job, e.epoch, e.home);
      if (s != NULL)
        multipaxos_learn (self, ctx, s, &e.value);
    }
}

void
multipaxos_on_heartbeat (Paxos *self, DmasCtx *ctx, DmasAgentId src, Ballot b)
{
  if (b < self->promised || multipaxos_ballot_owner (b) != src)
    {
      multipaxos_send_ballot (ctx, src, MSG_NACK, self->promised);
      return;
    }
  multipaxos_see_ballot (self, ctx, b);
  multipaxos_adopt_leader (self, ctx, src);
}

void
multipaxos_on_nack (Paxos *self, DmasCtx *ctx, Ballot b)
{
  if (b <= self->ballot)
    return; /* stale */
  multipaxos_see_ballot (self, ctx, b);
  if (multipaxos_ballot_owner (b) != self->self_id && !self->leading && !self->candidate)
    multipaxos_adopt_leader (self, ctx, multipaxos_ballot_owner (b));
}

/* Returns the number of entries of a well-formed body of `type`, or -1. */
int64_t
multipaxos_entries_of (uint32_t type, const uint8_t *body, size_t len)
{
  size_t head, entry;
  switch (type)
    {
    case MSG_BID:
      return len == VALUE_LEN ? 1 : -1;
    case MSG_PREPARE:
    case MSG_NACK:
    case MSG_HEARTBEAT:
      return len == 8 ? 0 : -1;
    case MSG_PROMISE:
      head = BATCH_HEAD_LEN, entry = PROMISE_ENTRY_LEN;
      break;
    case MSG_ACCEPT:
      head = BATCH_HEAD_LEN, entry = VALUE_LEN;
      break;
    case MSG_ACCEPTED:
      head = BATCH_HEAD_LEN, entry = KEY_LEN;
      break;
    case MSG_DECIDE:
      head = 4, entry = VALUE_LEN;
      break;
    default:
      return -1;
    }
  if (len < head)
    return -1;
  uint32_t n = dmas_get_u32 (body + head - 4);
  if ((len - head) % entry != 0 || (len - head) / entry != n)
    return -1;
  return n;
}
