/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: round timeouts and the gossip that re-sends what peers lack. */
#include <stdlib.h>

#include "tendermint-private.h"

typedef struct {
  Tendermint *self;
  DmasJobId job;
  uint32_t epoch;
  int32_t round;
  TimerKind kind;
} TimerData;

/* Long enough that a round that goes well never sees it: a proposal, two vote steps. */
DmasTime
tendermint_gossip_interval (const Tendermint *self, int32_t round)
{
  return self->timeout_propose + 2 * self->timeout_vote + 3 * (DmasTime) round * self->timeout_delta;
}

static void
relay_votes (Tendermint *self, DmasCtx *ctx, const Slot *s, const RoundRec *r, uint32_t type)
{
  const Vote *votes = type == TM_MSG_PREVOTE ? r->prevote : r->precommit;
  uint8_t body[VOTE_LEN];
  for (uint32_t i = 0; i < self->n; i++)
    if (votes[i].kind != VOTE_NONE)
      {
        tendermint_encode_vote (body, s, r->round, (VoteKind) votes[i].kind, votes[i].v,
                                self->members[i], votes[i].sig);
        ctx->api->broadcast (ctx, type, body, sizeof body);
      }
}

/* Tendermint's gossip layer keeps re-sending what a peer lacks; without it a message lost
 * (dropped, or sent to an agent that was down) can leave a height short of a quorum forever
 * -- even among correct, connected agents, when the lost message was the vote of an agent
 * that crashed since.  Here a height stuck in the same round for gossip_interval re-sends,
 * signed by their authors: every bid it holds, its own proposal of the round, every vote it
 * holds for the round, the precommits of the previous round (which move an agent left
 * behind there into this one: with at most f agents ahead, the skip rule cannot), and the
 * prevotes of the rounds a proposal may cite as its validRound (lockedRound, validRound, the
 * current proposal's vr).  Receivers keep the first copy. */
static void
gossip (Tendermint *self, DmasCtx *ctx, Slot *s)
{
  ctx->api->metric (ctx, "retransmissions", 1.0);
  for (uint32_t i = 0; i < self->n; i++)
    if (s->bids[i].agent != DMAS_AGENT_NONE)
      tendermint_send_bid (ctx, s, &s->bids[i]);
  RoundRec *r = tendermint_round_find (s, s->round);
  int32_t cited[3] = { s->locked_round, s->valid_round, -1 };
  if (r != NULL)
    {
      if (r->prop.have && tendermint_proposer_of (self, s, s->round) == self->self_id)
        tendermint_send_proposal (ctx, s, s->round, r->prop.vr, r->prop.v, r->prop.n_ev,
                                  r->prop.ev);
      relay_votes (self, ctx, s, r, TM_MSG_PREVOTE);
      relay_votes (self, ctx, s, r, TM_MSG_PRECOMMIT);
      if (r->prop.have)
        cited[2] = r->prop.vr;
    }
  const RoundRec *prev = s->round > 0 ? tendermint_round_find (s, s->round - 1) : NULL;
  if (prev != NULL)
    relay_votes (self, ctx, s, prev, TM_MSG_PRECOMMIT);
  for (int k = 0; k < 3; k++)
    {
      int dup = cited[k] < 0 || cited[k] == s->round || (k > 0 && cited[k] == cited[0])
                || (k > 1 && cited[k] == cited[1]);
      const RoundRec *c = dup ? NULL : tendermint_round_find (s, cited[k]);
      if (c != NULL)
        relay_votes (self, ctx, s, c, TM_MSG_PREVOTE);
    }
}

/* --- timers ------------------------------------------------------------------------------- */

static void
timer_fired (DmasCtx *ctx, void *data)
{
  TimerData *d = data;
  Tendermint *self = d->self;
  tendermint_resume_restored (self, ctx);
  Slot *s = tendermint_table_lookup (self, d->job, d->epoch);
  if (s == NULL || s->state != SLOT_ACTIVE || s->round != d->round)
    return;
  switch (d->kind)
    {
    case T_PROPOSE: /* L57 */
      if (s->step == STEP_PROPOSE)
        tendermint_prevote (self, ctx, s, 0, (Value){ DMAS_AGENT_NONE, 0.0 });
      break;
    case T_PREVOTE: /* L61 */
      if (s->step == STEP_PREVOTE)
        tendermint_cast_vote (self, ctx, s, TM_MSG_PRECOMMIT, VOTE_NIL,
                              (Value){ DMAS_AGENT_NONE, 0.0 });
      break;
    case T_PRECOMMIT: /* L65 */
      tendermint_start_round (self, ctx, s, s->round + 1);
      break;
    case T_GOSSIP:
      gossip (self, ctx, s);
      tendermint_timer_schedule (self, ctx, s, T_GOSSIP,
                                 tendermint_gossip_interval (self, s->round));
      break;
    case T_BIDWAIT:
      break; /* progress() below retries the proposal now that bid_wait has passed */
    default:
      break;
    }
  tendermint_progress (self, ctx, s);
}

void
tendermint_timer_schedule (Tendermint *self, DmasCtx *ctx, Slot *s, TimerKind kind, DmasTime delay)
{
  TimerData *d = malloc (sizeof *d);
  if (d == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "tendermint: out of memory, timer lost");
      return;
    }
  *d = (TimerData){ self, s->job, s->epoch, s->round, kind };
  ctx->api->timer_add (ctx, delay, timer_fired, d, free);
}
