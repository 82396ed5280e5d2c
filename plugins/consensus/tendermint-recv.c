/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: received bids, proposals, votes and DECIDED, checked and stored. */
#include <stdlib.h>
#include <string.h>

#include "plausible.h"
#include "tendermint-private.h"

/* --- receiving ---------------------------------------------------------------------------- */

/* Stores the round's proposal from its proposer (the first one: a second, different one is
 * an equivocation and only counted) and checks valid(v) once. */
int
tendermint_proposal_store (Tendermint *self, DmasCtx *ctx, Slot *s, DmasAgentId src, int32_t round,
                           int32_t vr, Value v, uint32_t n_ev, const SignedBid *ev)
{
  if (src != tendermint_proposer_of (self, s, round))
    {
      ctx->api->metric (ctx, "unexpected", 1.0);
      return 0;
    }
  RoundRec *r = tendermint_round_get (self, ctx, s, round);
  if (r == NULL)
    return 0;
  if (r->prop.have)
    {
      if (!tendermint_value_eq (r->prop.v, v) || r->prop.vr != vr)
        ctx->api->metric (ctx, "equivocations", 1.0);
      return 0;
    }
  SignedBid *copy = n_ev ? malloc (n_ev * sizeof *copy) : NULL;
  if (n_ev && copy == NULL)
    return 0;
  if (n_ev)
    memcpy (copy, ev, n_ev * sizeof *copy);

  int valid = n_ev >= self->quorum && n_ev <= self->n;
  uint8_t *seen = calloc (self->n, 1);
  for (uint32_t i = 0; valid && i < n_ev; i++)
    {
      uint32_t idx;
      valid = seen != NULL && tendermint_member_index (self, ev[i].agent, &idx) && !seen[idx]
              && (src == self->self_id || tendermint_bid_verify (ctx, s->job, s->epoch, &ev[i]));
      if (valid)
        seen[idx] = 1;
    }
  free (seen);
  valid = valid && tendermint_value_eq (tendermint_best_of (s->job, ev, n_ev), v);
  /* valid(v) = plausible too: a correct proposer never shows an implausible bid (they are
   * refused on receipt), so one that wins its evidence is the proposer's doing; the winner
   * signed it, so it is accused as well. */
  DmasSlot ds = { .job = s->job, .epoch = s->epoch, .home = s->home };
  DmasBid winner = { .job = s->job, .agent = v.agent, .reserved = 0, .score = v.score };
  valid = valid && consensus_bid_plausible (ctx, &ds, &winner, v.agent);
  if (!valid)
    ctx->api->metric (ctx, "invalid_proposals", 1.0);

  r->prop = (Proposal){ .have = 1, .valid = valid, .vr = vr, .v = v, .n_ev = n_ev, .ev = copy };
  return 1;
}

void
tendermint_on_bid (DmasCtx *ctx, Slot *s, uint32_t idx, const SignedBid *b)
{
  if (s->state == SLOT_DONE)
    return;
  /* The first bid stays, except that a real one (> 0) supersedes an abstention: an agent
   * that joined a height before it learnt the job abstained, then bid once it did. */
  int had = s->bids[idx].agent != DMAS_AGENT_NONE;
  if (had && !(s->bids[idx].score == 0.0 && b->score > 0.0))
    {
      if (memcmp (s->bids[idx].sig, b->sig, DMAS_SIG_SIZE) != 0 && b->score > 0.0)
        ctx->api->metric (ctx, "equivocations", 1.0);
      return;
    }
  if (!tendermint_bid_verify (ctx, s->job, s->epoch, b))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  /* Never held, so never shown in a proposal; signed, so its author is accused. */
  DmasSlot ds = { .job = s->job, .epoch = s->epoch, .home = s->home };
  DmasBid claim = { .job = s->job, .agent = b->agent, .reserved = 0, .score = b->score };
  if (!consensus_bid_plausible (ctx, &ds, &claim, b->agent))
    return;
  s->bids[idx] = *b;
  if (!had)
    s->n_bids++;
}

/* A vote straight from its voter is authentic by the envelope; a relayed one must carry the
 * voter's signature. */
void
tendermint_on_vote (Tendermint *self, DmasCtx *ctx, Slot *s, DmasAgentId src, uint32_t type,
                    int32_t round, const Vote *vote, DmasAgentId voter)
{
  uint32_t idx;
  if (voter == self->self_id)
    return; /* ours, relayed back by a peer's gossip (it relays every vote it holds) */
  if (!tendermint_member_index (self, voter, &idx))
    {
      ctx->api->metric (ctx, "unexpected", 1.0);
      return;
    }
  RoundRec *r = tendermint_round_get (self, ctx, s, round);
  if (r == NULL)
    return;
  Vote *votes = type == TM_MSG_PREVOTE ? r->prevote : r->precommit;
  if (votes[idx].kind != VOTE_NONE)
    {
      if (votes[idx].kind != vote->kind || !tendermint_value_eq (votes[idx].v, vote->v))
        ctx->api->metric (ctx, "equivocations", 1.0);
      return;
    }
  if (voter != src)
    {
      uint8_t data[44];
      tendermint_vote_signed_bytes (data, type, s->job, s->epoch, round, (VoteKind) vote->kind,
                                    vote->v);
      if (ctx->api->verify (ctx, voter, data, sizeof data, vote->sig) != 1)
        {
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
    }
  votes[idx] = *vote;
}

/* A height this agent has not started is only "heard" (tendermint.c, Joining) on a message
 * some member signed for this very (job, epoch): a bid (a BID's, or one of a PROPOSAL's
 * evidence) or a vote.  The envelope names the sender, not the height: a damaged copy of
 * another height's message -- its epoch or job bit-flipped on the way from a faulty agent --
 * names a height nobody announced, and joining that on its word alone had every correct agent
 * abstain there and decide the job rejected, against the winner of the height that was
 * announced.  A signature binds the height, so such a copy never verifies.  DECIDED is
 * unsigned and never counts (f+1 of them decide by themselves). */
int
tendermint_signed_for_height (DmasCtx *ctx, const Slot *s, uint32_t type, int32_t round,
                              const Vote *vote, DmasAgentId voter, uint32_t n_bids,
                              const SignedBid *bids)
{
  switch (type)
    {
    case TM_MSG_BID:
    case TM_MSG_PROPOSAL:
      for (uint32_t i = 0; i < n_bids; i++)
        if (tendermint_bid_verify (ctx, s->job, s->epoch, &bids[i]))
          return 1;
      return 0;
    case TM_MSG_PREVOTE:
    case TM_MSG_PRECOMMIT:
    case TM_MSG_COMMIT:
      {
        /* a COMMIT relays a precommit, signed as one */
        uint8_t data[44];
        tendermint_vote_signed_bytes (data, type == TM_MSG_PREVOTE ? TM_MSG_PREVOTE
                                                                   : TM_MSG_PRECOMMIT,
                                      s->job, s->epoch, round, (VoteKind) vote->kind, vote->v);
        return ctx->api->verify (ctx, voter, data, sizeof data, vote->sig) == 1;
      }
    default: return 0;
    }
}

void
tendermint_on_decided (Tendermint *self, DmasCtx *ctx, Slot *s, uint32_t src_idx, int32_t round,
                       Value v)
{
  if (s->state == SLOT_DONE)
    return;
  if (s->decided_msgs == NULL && (s->decided_msgs = calloc (self->n, sizeof (Vote))) == NULL)
    return;
  if (s->decided_msgs[src_idx].kind != VOTE_NONE)
    return;
  s->decided_msgs[src_idx] = (Vote){ VOTE_VALUE, v, { 0 } };
  if (tendermint_count_votes (self, s->decided_msgs, VOTE_VALUE, &v) >= self->f + 1)
    {
      ctx->api->metric (ctx, "catchups", 1.0);
      /* Their decision round: from now on we answer laggards beyond it like they do. */
      tendermint_decide (self, ctx, s, v, round);
    }
}
