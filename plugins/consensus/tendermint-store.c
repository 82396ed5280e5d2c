/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: stable storage of open and decided heights, restored after a restart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tendermint-private.h"

/* --- stable storage ----------------------------------------------------------------------- */

#define STORE_VERSION 0x544d3032u /* "TM02" */
#define STORE_HEAD 84
enum { STORE_OPEN = 1, STORE_DECIDED = 2 };

static void
slot_key (char key[64], DmasJobId job, uint32_t epoch)
{
  snprintf (key, 64, "tendermint/%llu/%u", (unsigned long long) job, epoch);
}

/* version u32 | status u32 | home u32 | round i32 | locked_round i32 | locked agent u32 |
 * locked score f64 | valid_round i32 | valid agent u32 | valid score f64 | n_ev u32 |
 * 2 x (kind u32 | agent u32 | score f64): our prevote and precommit of `round` | ev...
 * A decided record stores the decision round in `round` and the decision as `locked`. */
static void
put_vote (uint8_t *p, const Vote *v)
{
  dmas_put_u32 (p, v->kind);
  dmas_put_u32 (p + 4, v->kind == VOTE_VALUE ? v->v.agent : DMAS_AGENT_NONE);
  dmas_put_double (p + 8, v->kind == VOTE_VALUE ? v->v.score : 0.0);
}

static int
get_vote (const Tendermint *self, const uint8_t *p, Vote *v)
{
  uint32_t kind = dmas_get_u32 (p), idx;
  *v = (Vote){ (uint8_t) kind, { dmas_get_u32 (p + 4), dmas_get_double (p + 8) }, { 0 } };
  if (kind == VOTE_NONE || kind == VOTE_NIL)
    {
      v->v = (Value){ DMAS_AGENT_NONE, 0.0 };
      return 1;
    }
  return kind == VOTE_VALUE
         && (v->v.agent == DMAS_AGENT_NONE || tendermint_member_index (self, v->v.agent, &idx));
}

int
tendermint_slot_persist (Tendermint *self, DmasCtx *ctx, const Slot *s)
{
  int decided = s->state == SLOT_DONE;
  uint32_t n_ev = decided ? 0 : s->valid_n_ev;
  size_t len = STORE_HEAD + (size_t) n_ev * EV_LEN;
  uint8_t *buf = malloc (len);
  if (buf == NULL)
    return DMAS_ENOMEM;
  dmas_put_u32 (buf, STORE_VERSION);
  dmas_put_u32 (buf + 4, decided ? STORE_DECIDED : STORE_OPEN);
  dmas_put_u32 (buf + 8, s->home);
  dmas_put_u32 (buf + 12, (uint32_t) (decided ? s->decided_round : s->round));
  dmas_put_u32 (buf + 16, (uint32_t) s->locked_round);
  dmas_put_u32 (buf + 20, decided ? s->decision.agent : s->locked.agent);
  dmas_put_double (buf + 24, decided ? s->decision.score : s->locked.score);
  dmas_put_u32 (buf + 32, (uint32_t) s->valid_round);
  dmas_put_u32 (buf + 36, s->valid.agent);
  dmas_put_double (buf + 40, s->valid.score);
  dmas_put_u32 (buf + 48, n_ev);
  /* Our votes of the round, so that a restart resumes it without voting twice. */
  const RoundRec *r = decided ? NULL : tendermint_round_find (s, s->round);
  Vote none = { VOTE_NONE, { DMAS_AGENT_NONE, 0.0 }, { 0 } };
  put_vote (buf + 52, r != NULL ? &r->prevote[self->self_idx] : &none);
  put_vote (buf + 68, r != NULL ? &r->precommit[self->self_idx] : &none);
  for (uint32_t i = 0; i < n_ev; i++)
    {
      uint8_t *p = buf + STORE_HEAD + (size_t) i * EV_LEN;
      dmas_put_u32 (p, s->valid_ev[i].agent);
      dmas_put_double (p + 4, s->valid_ev[i].score);
      memcpy (p + 12, s->valid_ev[i].sig, DMAS_SIG_SIZE);
    }
  char key[64];
  slot_key (key, s->job, s->epoch);
  int rc = ctx->api->persist (ctx, key, buf, len);
  free (buf);
  return rc;
}

static void
open_index_persist (Tendermint *self, DmasCtx *ctx)
{
  uint8_t *buf = malloc (self->n_open * 12 + 1);
  if (buf == NULL)
    return;
  for (size_t i = 0; i < self->n_open; i++)
    {
      dmas_put_u64 (buf + 12 * i, self->open[i].job);
      dmas_put_u32 (buf + 12 * i + 8, self->open[i].epoch);
    }
  ctx->api->persist (ctx, "tendermint/open", buf, self->n_open * 12);
  free (buf);
}

int
tendermint_open_index_append (Tendermint *self, const Slot *s)
{
  if (self->n_open == self->cap_open)
    {
      size_t cap = self->cap_open ? self->cap_open * 2 : 16;
      void *grown = realloc (self->open, cap * sizeof *self->open);
      if (grown == NULL)
        return 0; /* the height still persists its own record; only its eager resume is lost */
      self->open = grown;
      self->cap_open = cap;
    }
  self->open[self->n_open].job = s->job;
  self->open[self->n_open].epoch = s->epoch;
  self->n_open++;
  return 1;
}

void
tendermint_open_index_add (Tendermint *self, DmasCtx *ctx, const Slot *s)
{
  if (tendermint_open_index_append (self, s))
    open_index_persist (self, ctx);
}

void
tendermint_open_index_remove (Tendermint *self, DmasCtx *ctx, const Slot *s)
{
  for (size_t i = 0; i < self->n_open; i++)
    if (self->open[i].job == s->job && self->open[i].epoch == s->epoch)
      {
        memmove (&self->open[i], &self->open[i + 1],
                 (self->n_open - i - 1) * sizeof *self->open);
        self->n_open--;
        open_index_persist (self, ctx);
        return;
      }
}

/* Rebuilds a slot from its stored record, or returns NULL when there is none (or it is
 * unreadable, which a fresh start handles safely only for heights this agent never voted in:
 * the record is written before any vote, so an unreadable one is logged loudly). */
Slot *
tendermint_slot_restore (Tendermint *self, DmasCtx *ctx, DmasJobId job, uint32_t epoch)
{
  char key[64];
  size_t len = 0;
  slot_key (key, job, epoch);
  const uint8_t *buf = ctx->api->restore (ctx, key, &len);
  if (buf == NULL)
    return NULL;
  uint32_t n_ev = len >= STORE_HEAD ? dmas_get_u32 (buf + 48) : 0;
  if (len < STORE_HEAD || dmas_get_u32 (buf) != STORE_VERSION || n_ev > self->n
      || len != STORE_HEAD + (size_t) n_ev * EV_LEN)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "tendermint: unreadable stored state for job %llu epoch %u",
                (unsigned long long) job, epoch);
      return NULL;
    }
  Slot *s = tendermint_slot_new (self, job, epoch);
  if (s == NULL)
    return NULL;
  s->home = dmas_get_u32 (buf + 8);
  if (dmas_get_u32 (buf + 4) == STORE_DECIDED)
    {
      tendermint_slot_free_volatile (s);
      s->state = SLOT_DONE;
      s->decided_round = (int32_t) dmas_get_u32 (buf + 12);
      s->decision = (Value){ dmas_get_u32 (buf + 20), dmas_get_double (buf + 24) };
      return s;
    }
  s->state = SLOT_ACTIVE;
  s->round = (int32_t) dmas_get_u32 (buf + 12);
  s->locked_round = (int32_t) dmas_get_u32 (buf + 16);
  s->locked = (Value){ dmas_get_u32 (buf + 20), dmas_get_double (buf + 24) };
  s->valid_round = (int32_t) dmas_get_u32 (buf + 32);
  s->valid = (Value){ dmas_get_u32 (buf + 36), dmas_get_double (buf + 40) };
  if (!get_vote (self, buf + 52, &s->resumed[0]) || !get_vote (self, buf + 68, &s->resumed[1]))
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "tendermint: unreadable stored votes for job %llu epoch %u",
                (unsigned long long) job, epoch);
      tendermint_slot_free (s);
      return NULL;
    }
  if (n_ev > 0)
    {
      s->valid_ev = calloc (n_ev, sizeof *s->valid_ev);
      if (s->valid_ev == NULL)
        {
          tendermint_slot_free (s);
          return NULL;
        }
      for (uint32_t i = 0; i < n_ev; i++)
        {
          const uint8_t *p = buf + STORE_HEAD + (size_t) i * EV_LEN;
          s->valid_ev[i].agent = dmas_get_u32 (p);
          s->valid_ev[i].score = dmas_get_double (p + 4);
          memcpy (s->valid_ev[i].sig, p + 12, DMAS_SIG_SIZE);
        }
      s->valid_n_ev = n_ev;
    }
  s->resume = 1;
  self->resume_pending = 1;
  return s;
}
