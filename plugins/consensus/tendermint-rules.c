/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: the upon rules of Algorithm 1: rounds, votes, locking and deciding. */
#include <stdlib.h>
#include <string.h>

#include "tendermint-private.h"

static void
send_vote (Tendermint *self, DmasCtx *ctx, const Slot *s, uint32_t type, const Vote *own)
{
  uint8_t body[VOTE_LEN];
  tendermint_encode_vote (body, s, s->round, (VoteKind) own->kind, own->v, self->self_id,
                          own->sig);
  ctx->api->broadcast (ctx, type, body, sizeof body);
}

/* Records our own vote of the current round, durably, and sends it to the others. */
void
tendermint_cast_vote (Tendermint *self, DmasCtx *ctx, Slot *s, uint32_t type, VoteKind kind,
                      Value v)
{
  Vote own = { (uint8_t) kind, kind == VOTE_VALUE ? v : (Value){ DMAS_AGENT_NONE, 0.0 }, { 0 } };
  uint8_t data[44];
  tendermint_vote_signed_bytes (data, type, s->job, s->epoch, s->round, kind, own.v);
  ctx->api->sign (ctx, data, sizeof data, own.sig);
  s->step = type == TM_MSG_PREVOTE ? STEP_PREVOTE : STEP_PRECOMMIT;
  RoundRec *r = tendermint_round_get (self, ctx, s, s->round);
  if (r == NULL)
    return; /* out of memory: a vote we cannot store must not leave (as if lost) */
  Vote *slot_votes = type == TM_MSG_PREVOTE ? r->prevote : r->precommit;
  slot_votes[self->self_idx] = own;
  /* On stable storage before it leaves: a restart then resumes this very round knowing what
   * it voted, instead of skipping to the next round, where it could be alone (the others
   * waiting in this one for the vote it never sent). */
  tendermint_slot_persist (self, ctx, s);
  send_vote (self, ctx, s, type, &own);
}

void
tendermint_prevote (Tendermint *self, DmasCtx *ctx, Slot *s, int valid, Value v)
{
  tendermint_cast_vote (self, ctx, s, TM_MSG_PREVOTE, valid ? VOTE_VALUE : VOTE_NIL, v);
}

/* The proposer's half of StartRound (L14-L19), retried while it waits for bids. */
static void
try_propose (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  if (s->state != SLOT_ACTIVE || s->step != STEP_PROPOSE || s->proposal_sent
      || tendermint_proposer_of (self, s, s->round) != self->self_id)
    return;

  Value v;
  int32_t vr = -1;
  uint32_t n_ev = 0;
  SignedBid *ev = NULL;
  SignedBid *own = NULL;
  if (s->valid_round >= 0 && s->valid_ev != NULL)
    {
      v = s->valid;
      vr = s->valid_round;
      n_ev = s->valid_n_ev;
      ev = s->valid_ev;
    }
  else
    {
      int waited = dmas_now (ctx) - s->round_started >= self->bid_wait;
      if (s->n_bids < self->quorum || (s->n_bids < self->n && !waited))
        return;
      own = calloc (s->n_bids, sizeof *own);
      if (own == NULL)
        return;
      for (uint32_t i = 0; i < self->n; i++)
        if (s->bids[i].agent != DMAS_AGENT_NONE)
          own[n_ev++] = s->bids[i];
      ev = own;
      v = tendermint_best_of (s->job, ev, n_ev);
    }

  s->proposal_sent = 1;
  tendermint_send_proposal (ctx, s, s->round, vr, v, n_ev, ev);
  tendermint_proposal_store (self, ctx, s, self->self_id, s->round, vr, v, n_ev, ev);
  free (own);
}

/* A member in a height without a bid of its own -- it was down when the slot was announced,
 * so the host never called propose(), or it restarted before its bid left -- signs the
 * abstention: a bid of 0, "I cannot run a job I do not know".  Without it a height opened
 * while only a quorum of agents was up, one of which crashed since, could never gather the
 * quorum of bids valid(v) asks for, whoever comes back: it would run rounds forever.  A real
 * bid arriving later (propose(), or relayed) supersedes the abstention everywhere. */
static void
abstain (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  if (s->proposed || s->bids == NULL || s->bids[self->self_idx].agent != DMAS_AGENT_NONE)
    return;
  SignedBid own = { .agent = self->self_id, .score = 0.0 };
  uint8_t data[32];
  tendermint_bid_signed_bytes (data, s->job, s->epoch, self->self_id, 0.0);
  if (ctx->api->sign (ctx, data, sizeof data, own.sig) != DMAS_OK)
    return;
  s->bids[self->self_idx] = own;
  s->n_bids++;
  ctx->api->metric (ctx, "abstentions", 1.0);
  tendermint_send_bid (ctx, s, &own);
}

/* StartRound (L11-L21). */
void
tendermint_start_round (Tendermint *self, DmasCtx *ctx, Slot *s, int32_t round)
{
  if (s->state == SLOT_BUFFERED)
    {
      s->state = SLOT_ACTIVE;
      tendermint_open_index_add (self, ctx, s);
    }
  s->round = round;
  s->step = STEP_PROPOSE;
  s->proposal_sent = 0;
  s->round_started = dmas_now (ctx);
  ctx->api->metric (ctx, "rounds", 1.0);
  if (round > 0)
    ctx->api->metric (ctx, "round_changes", 1.0);
  /* Before anything of this round leaves: a restart resumes this round, not an older one. */
  tendermint_slot_persist (self, ctx, s);
  abstain (self, ctx, s);

  /* Everyone arms timeoutPropose, the proposer too: if it still lacks a quorum of bids
   * when it fires, it prevotes nil like the others (L57). */
  tendermint_timer_schedule (self, ctx, s, T_PROPOSE,
                             self->timeout_propose + (DmasTime) round * self->timeout_delta);
  tendermint_timer_schedule (self, ctx, s, T_GOSSIP, tendermint_gossip_interval (self, round));
  if (tendermint_proposer_of (self, s, round) == self->self_id)
    {
      try_propose (self, ctx, s);
      if (!s->proposal_sent && self->bid_wait > 0)
        tendermint_timer_schedule (self, ctx, s, T_BIDWAIT, self->bid_wait);
    }
}

/* A restored height goes on in its persisted round with the votes it had cast there (a
 * correct agent never votes twice in one step), sent again since they may never have left.
 * A proposer does not propose again: it may have proposed before the crash, and a second
 * proposal could differ (its bids are gone); the others time out on that round if not. */
static void
resume_round (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  RoundRec *r = tendermint_round_get (self, ctx, s, s->round);
  if (r == NULL)
    {
      tendermint_start_round (self, ctx, s, s->round + 1); /* cannot hold the round's votes */
      return;
    }
  s->round_started = dmas_now (ctx);
  s->proposal_sent = tendermint_proposer_of (self, s, s->round) == self->self_id;
  s->step = STEP_PROPOSE;
  static const uint32_t types[2] = { TM_MSG_PREVOTE, TM_MSG_PRECOMMIT };
  for (int k = 0; k < 2; k++)
    if (s->resumed[k].kind != VOTE_NONE)
      {
        Vote own = s->resumed[k];
        uint8_t data[44];
        tendermint_vote_signed_bytes (data, types[k], s->job, s->epoch, s->round,
                                      (VoteKind) own.kind, own.v);
        ctx->api->sign (ctx, data, sizeof data, own.sig);
        (k == 0 ? r->prevote : r->precommit)[self->self_idx] = own;
        s->step = k == 0 ? STEP_PREVOTE : STEP_PRECOMMIT;
        send_vote (self, ctx, s, types[k], &own);
      }
  memset (s->resumed, 0, sizeof s->resumed);
  if (s->step == STEP_PROPOSE)
    tendermint_timer_schedule (self, ctx, s, T_PROPOSE,
                               self->timeout_propose + (DmasTime) s->round * self->timeout_delta);
  tendermint_timer_schedule (self, ctx, s, T_GOSSIP, tendermint_gossip_interval (self, s->round));
  abstain (self, ctx, s);
}

void
tendermint_decide (Tendermint *self, DmasCtx *ctx, Slot *s, Value v, int32_t round)
{
  int was_open = s->state == SLOT_ACTIVE;
  s->state = SLOT_DONE;
  s->decision = v;
  s->decided_round = round;
  s->decided_at = dmas_now (ctx);
  /* The commit certificate: the quorum of signed precommits for v in the decision round. */
  Vote *cert = NULL;
  RoundRec *r = tendermint_round_find (s, round);
  if (r != NULL && (cert = calloc (self->n, sizeof *cert)) != NULL)
    for (uint32_t i = 0; i < self->n; i++)
      if (r->precommit[i].kind == VOTE_VALUE && tendermint_value_eq (r->precommit[i].v, v))
        cert[i] = r->precommit[i];
  tendermint_slot_free_volatile (s);
  if (cert != NULL)
    {
      if (self->certs_len == self->certs_cap)
        {
          size_t cap = self->certs_cap ? self->certs_cap * 2 : 64;
          Slot **ring = malloc (cap * sizeof *ring);
          if (ring != NULL)
            {
              for (size_t k = 0; k < self->certs_len; k++)
                ring[k] = self->certs[(self->certs_head + k) % self->certs_cap];
              free (self->certs);
              self->certs = ring;
              self->certs_cap = cap;
              self->certs_head = 0;
            }
        }
      if (self->certs_len < self->certs_cap)
        {
          s->cert = cert;
          self->certs[(self->certs_head + self->certs_len) % self->certs_cap] = s;
          self->certs_len++;
        }
      else
        free (cert);
    }
  tendermint_slot_persist (self, ctx, s);
  if (was_open)
    tendermint_open_index_remove (self, ctx, s);
  DmasSlot ds = { .job = s->job, .epoch = s->epoch, .home = s->home };
  DmasBid bid = { .job = s->job, .agent = v.agent, .reserved = 0,
                  .score = v.agent == DMAS_AGENT_NONE ? 0.0 : v.score };
  ctx->api->decide (ctx, &ds, &bid);
}

/* --- the upon rules ----------------------------------------------------------------------- */

/* Applies every rule of Algorithm 1 that the slot's state enables, until none does. */
void
tendermint_progress (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  for (;;)
    {
      if (s->state == SLOT_DONE)
        return;

      /* L49: a quorum of precommits for v in any round.  The paper also waits for the
       * round's PROPOSAL, to learn the block behind id(v); here a value is its own content,
       * and a quorum of precommits holds f+1 correct agents that checked valid(v), so the
       * precommits alone -- a commit certificate, relayable since they are signed -- decide. */
      for (uint32_t i = 0; i < s->n_rounds; i++)
        {
          RoundRec *r = &s->rounds[i];
          for (uint32_t k = 0; k < self->n; k++)
            if (r->precommit[k].kind == VOTE_VALUE
                && tendermint_count_votes (self, r->precommit, VOTE_VALUE, &r->precommit[k].v)
                       >= self->quorum)
              {
                tendermint_decide (self, ctx, s, r->precommit[k].v, r->round);
                return;
              }
        }

      if (s->resume)
        {
          s->resume = 0;
          resume_round (self, ctx, s);
          continue;
        }

      /* L55, and joining a height this agent never started: f+1 agents in a higher round. */
      int32_t skip = -1;
      for (uint32_t i = 0; i < s->n_rounds; i++)
        if (s->rounds[i].round > s->round && s->rounds[i].round > skip
            && tendermint_round_senders (self, s, &s->rounds[i]) >= self->f + 1)
          skip = s->rounds[i].round;
      if (skip >= 0)
        {
          tendermint_start_round (self, ctx, s, skip);
          continue;
        }
      /* Joining a height whose announcement never came (tendermint.c, Joining). */
      if (s->state == SLOT_BUFFERED && s->heard && !s->proposed
          && dmas_now (ctx) - s->first_heard >= tendermint_gossip_interval (self, 0))
        {
          int32_t join = 0;
          for (uint32_t i = 0; i < s->n_rounds; i++)
            if (s->rounds[i].round > join && tendermint_round_senders (self, s, &s->rounds[i]) > 0)
              join = s->rounds[i].round;
          tendermint_start_round (self, ctx, s, join);
          continue;
        }
      if (s->state != SLOT_ACTIVE)
        return;

      try_propose (self, ctx, s);
      RoundRec *r = tendermint_round_find (s, s->round);
      if (r == NULL)
        return;
      Proposal *p = &r->prop;

      if (s->step == STEP_PROPOSE && p->have)
        {
          if (p->vr == -1)
            {
              /* L22 */
              int ok = p->valid
                       && (s->locked_round == -1 || tendermint_value_eq (s->locked, p->v));
              tendermint_prevote (self, ctx, s, ok, p->v);
              continue;
            }
          RoundRec *rv = p->vr >= 0 && p->vr < s->round ? tendermint_round_find (s, p->vr) : NULL;
          if (rv != NULL
              && tendermint_count_votes (self, rv->prevote, VOTE_VALUE, &p->v) >= self->quorum)
            {
              /* L28 */
              int ok = p->valid
                       && (s->locked_round <= p->vr || tendermint_value_eq (s->locked, p->v));
              tendermint_prevote (self, ctx, s, ok, p->v);
              continue;
            }
        }

      if (s->step == STEP_PREVOTE && !r->prevote_timer
          && tendermint_count_votes (self, r->prevote, VOTE_NONE, NULL) >= self->quorum)
        {
          /* L34 */
          r->prevote_timer = 1;
          tendermint_timer_schedule (self, ctx, s, T_PREVOTE,
                                     self->timeout_vote
                                         + (DmasTime) s->round * self->timeout_delta);
        }

      if (s->step >= STEP_PREVOTE && p->have && p->valid && !r->polka_done
          && tendermint_count_votes (self, r->prevote, VOTE_VALUE, &p->v) >= self->quorum)
        {
          /* L36 */
          r->polka_done = 1;
          Value v = p->v;
          int lock = s->step == STEP_PREVOTE;
          if (lock)
            {
              s->locked = v;
              s->locked_round = s->round;
            }
          if (s->valid_ev == NULL || s->valid_n_ev < p->n_ev)
            {
              SignedBid *grown = realloc (s->valid_ev, p->n_ev * sizeof *grown);
              if (grown == NULL)
                return;
              s->valid_ev = grown;
            }
          memcpy (s->valid_ev, p->ev, p->n_ev * sizeof *p->ev);
          s->valid_n_ev = p->n_ev;
          s->valid = v;
          s->valid_round = s->round;
          /* the lock is durable before the precommit leaves */
          tendermint_slot_persist (self, ctx, s);
          if (lock)
            tendermint_cast_vote (self, ctx, s, TM_MSG_PRECOMMIT, VOTE_VALUE, v);
          continue;
        }

      if (s->step == STEP_PREVOTE
          && tendermint_count_votes (self, r->prevote, VOTE_NIL, NULL) >= self->quorum)
        {
          /* L44 */
          tendermint_cast_vote (self, ctx, s, TM_MSG_PRECOMMIT, VOTE_NIL, p->v);
          continue;
        }

      r = tendermint_round_find (s, s->round);
      if (r != NULL && !r->precommit_timer
          && tendermint_count_votes (self, r->precommit, VOTE_NONE, NULL) >= self->quorum)
        {
          /* L47 */
          r->precommit_timer = 1;
          tendermint_timer_schedule (self, ctx, s, T_PRECOMMIT,
                                     self->timeout_vote
                                         + (DmasTime) s->round * self->timeout_delta);
        }
      return;
    }
}

/* Drops commit certificates older than `retain`: laggards gossip every second or so, and
 * memory must follow the number of recent slots, not the length of the run. */
static void
certs_expire (Tendermint *self, DmasCtx *ctx)
{
  DmasTime now = dmas_now (ctx);
  while (self->certs_len > 0)
    {
      Slot *s = self->certs[self->certs_head];
      if (now - s->decided_at < self->retain)
        return;
      free (s->cert);
      s->cert = NULL;
      self->certs_head = (self->certs_head + 1) % self->certs_cap;
      self->certs_len--;
    }
}

void
tendermint_resume_restored (Tendermint *self, DmasCtx *ctx)
{
  certs_expire (self, ctx);
  if (!self->resume_pending)
    return;
  self->resume_pending = 0;
  /* Index order, not table order: the order of resumption is then the order of opening. */
  for (size_t i = 0; i < self->n_open; i++)
    {
      Slot *s = tendermint_table_lookup (self, self->open[i].job, self->open[i].epoch);
      if (s != NULL && s->resume)
        tendermint_progress (self, ctx, s);
    }
}
