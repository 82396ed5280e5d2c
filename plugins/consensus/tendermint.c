/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: Tendermint BFT consensus (Buchman, Kwon, Milosevic 2018), one height per slot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plausible.h"
#include "tendermint-private.h"

/* Protocol: Algorithm 1 of "The latest gossip on BFT consensus" (2018), one height per slot
 * (job, epoch), every height running concurrently and independently.  Line numbers below
 * ("L22") refer to that algorithm.
 *
 *   Values.  A value is a winner (agent, score), or the rejection (DMAS_AGENT_NONE, 0).  It
 *   travels with its evidence: the signed bids it was chosen from.  propose(slot, bid) signs
 *   the agent's own bid (host sign()) and broadcasts it as BID, so every proposer can build a
 *   proposal.  The proposer of round r is members[(hash(job, epoch) + r) mod n]; its
 *   getValue() is the best bid (dmas_bid_better, score > 0) among the signed bids it holds,
 *   once it holds a quorum of them: all n at once, or a quorum after `bid_wait` from the
 *   round's start (so a proposer does not skip a slow agent's better bid for nothing).
 *   valid(v): the evidence holds at least a quorum of distinct members' bids for this slot,
 *   every signature verifies, and v is the best of them (the rejection when all are 0).  A
 *   faulty proposer therefore cannot invent a winner nor pass over the best bid it shows.
 *   Votes name the value by (agent, score): two proposals that pick the same winner with the
 *   same score are the same value whatever their evidence.
 *
 *   Implausible bids (host API 1.3, plausible.h): valid(v) also asks that v be plausible (its
 *   winner's cluster can run the job, or v is the rejection).  A bid that is not is never
 *   held, so never shown as evidence, and its signer is accused; an agent's own implausible
 *   bid is broadcast as its bidder made it but held (and gossiped) as an abstention.
 *
 *   Quorums.  f = floor((n-1)/3); a quorum is n - f votes ("more than two thirds": 2f+1 when
 *   n = 3f+1).  n - f rather than a fixed 2f+1 keeps any two quorums intersecting in f+1
 *   agents, hence in a correct one, for every n (with n = 5, 2f+1 = 3 would not).  The
 *   round-skip rule (L55) and the catch-up below use f+1.
 *
 *   Messages (n agents, no faults, decision in round 0): BID broadcast n(n-1), PROPOSAL n-1,
 *   PREVOTE n(n-1), PRECOMMIT n(n-1): (3n+1)(n-1) per slot (39 for n = 4, 64 for n = 5).  An
 *   agent delivers its own proposal and votes to itself without the network.  Votes are
 *   signed (host sign()) so that they can be relayed; a vote straight from its voter is
 *   authentic by the envelope anyway, a relayed one must verify.
 *
 *   Deciding (L49): a quorum of precommits for v in any round.  The paper also waits for that
 *   round's PROPOSAL, to learn the block behind id(v); here a value is its own content and a
 *   quorum of precommits holds f+1 correct agents that checked valid(v).
 *
 *   Timeouts grow with the round: timeoutPropose(r) = timeout_propose + r * timeout_delta,
 *   timeoutPrevote(r) = timeoutPrecommit(r) = timeout_vote + r * timeout_delta.
 *
 *   Gossip.  Tendermint's gossip layer re-sends what peers lack; without it one lost message
 *   (dropped, or sent to an agent that was down) can stall a height forever.  A height that
 *   stays in one round for timeout_propose + 2 timeout_vote + 3 r timeout_delta re-sends the
 *   bids and votes it holds (see gossip()); a round that goes well never sees it.
 *
 *   Catch-up.  Real Tendermint lets a node that missed a height fetch the committed block
 *   with its commit.  Here, an agent that decided a slot in round d answers a laggard's own
 *   PROPOSAL/PREVOTE/PRECOMMIT for a round > d, or arriving timeout_propose after the
 *   decision (a re-send, not the decision's normal tail, so the count above holds), with the
 *   commit certificate: the signed precommits of round d, as COMMIT messages, kept `retain`.
 *   Past that, or for a decision restored from storage, it answers DECIDED(value), and f+1
 *   matching DECIDED from distinct agents make a laggard decide (one of them is correct).
 *
 *   Joining.  An agent that was down when the slot was announced never gets propose(); it
 *   starts the height in round r on f+1 messages of round r (L55 applied to a height it has
 *   not started).  Having no bid of its own, it abstains: it signs and broadcasts a bid of 0
 *   (so does a restarted agent whose bid is gone).  Without that, a height opened while only
 *   a quorum was up, one of which failed since, would never see a quorum of bids again, and
 *   no proposal could ever be valid.  A real bid supersedes an abstention wherever it
 *   arrives (propose() after all, or a peer's gossip).  An agent whose announcement was
 *   lost (a lossy link) hears the height from fewer than f+1 agents, maybe from its home
 *   alone: it also joins, in the highest round it heard of, once messages of the height keep
 *   coming a gossip interval (see Gossip) after the first one without propose().  Otherwise
 *   a slot only its home learnt of would stall for good.  On a good network propose() comes
 *   one bidding delay after the first message, long before.  Only a message a member signed
 *   for this very height (a bid or a vote) counts as hearing it: a damaged copy of another
 *   height's message, its epoch or job bit-flipped, never verifies, so it cannot open a height
 *   nobody announced (every correct agent would abstain there and decide the job rejected,
 *   against the winner of the real height).  A Byzantine agent signing messages of its own
 *   for such a height can still make correct ones join it, which they then decide rejected
 *   (they all abstain) at the cost of one height's rounds.
 *
 *   Stable storage.  Per open height, key "tendermint/<job>/<epoch>": round, lockedValue,
 *   lockedRound, validValue (with its evidence), validRound, and our prevote and precommit of
 *   the round; written when a round starts, when the lock changes and when we vote, before
 *   any message of that step leaves.  A decided height keeps a small record (its value), so
 *   a restarted agent never decides it twice.  Key "tendermint/open" lists the open heights.
 *   A restarted instance restores them in create() and resumes each at once (a timer of 0)
 *   in the persisted round, with the votes it had cast there (sent again), never proposing
 *   again in it: a correct agent must not vote twice, nor propose two values.  (Resuming in
 *   round + 1 instead left it alone there when the others waited in the round for its vote:
 *   with one agent down for good, nobody would ever move -- the skip rule needs f+1.)
 *
 * Metrics (summed over agents by the host): "rounds" +1 per round an agent starts (round 0 of
 * each height it opens, and every later round), "round_changes" +1 per round started beyond
 * 0; with n agents and no faults, "rounds" = n per slot and "round_changes" = 0.  Also
 * "retransmissions" (gossip firings), "catchups" (decisions taken from DECIDED),
 * "abstentions" (bids of 0 signed for a height joined without a bid), "invalid_proposals"
 * (valid(v) failed), "equivocations", "malformed", "unexpected", "evicted_rounds",
 * "dropped_rounds".
 *
 * Memory: decided slots keep a small record for the run (to answer laggards and ignore late
 * messages) and their certificate for `retain`; per slot at most MAX_ROUND_RECS rounds are
 * stored.  Past that a new round's record replaces the lowest past round's, else the
 * highest future round's (metric "evicted_rounds"), never the current round, lockedRound or
 * validRound; a message no record can be made for is dropped ("dropped_rounds").  A
 * Byzantine agent sending ever higher rounds cannot grow memory without bound, nor -- the
 * current round always finding room -- stop a height that ran many rounds from deciding. */

static int
value_well_formed (const Tendermint *self, Value v)
{
  uint32_t idx;
  if (v.agent == DMAS_AGENT_NONE)
    return v.score == 0.0;
  return tendermint_member_index (self, v.agent, &idx) && isfinite (v.score) && v.score > 0.0;
}

static int
tm_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body_,
               size_t len)
{
  Tendermint *self = self_;
  const uint8_t *body = body_;
  uint32_t src_idx;
  tendermint_resume_restored (self, ctx);

  int ok = body != NULL && tendermint_member_index (self, src, &src_idx) && src != self->self_id;
  switch (type)
    {
    case TM_MSG_BID: ok = ok && len == BID_LEN; break;
    case TM_MSG_PROPOSAL:
      ok = ok && len >= PROPOSAL_HEAD && dmas_get_u32 (body + 36) <= self->n
           && len == PROPOSAL_HEAD + (size_t) dmas_get_u32 (body + 36) * EV_LEN;
      break;
    case TM_MSG_PREVOTE:
    case TM_MSG_PRECOMMIT:
    case TM_MSG_DECIDED:
    case TM_MSG_COMMIT: ok = ok && len == VOTE_LEN; break;
    default: ok = 0; break;
    }
  uint32_t round_u = ok && type != TM_MSG_BID ? dmas_get_u32 (body + 16) : 0;
  ok = ok && round_u <= MAX_ROUND;
  if (!ok)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  DmasJobId job = dmas_get_u64 (body);
  uint32_t epoch = dmas_get_u32 (body + 8);
  DmasAgentId home = dmas_get_u32 (body + 12);
  int32_t round = (int32_t) round_u;

  /* Parse fully before touching any state, so a malformed message changes nothing. */
  SignedBid bid;
  Value v = { DMAS_AGENT_NONE, 0.0 };
  VoteKind kind = VOTE_NONE;
  int32_t vr = -1;
  uint32_t n_ev = 0;
  SignedBid *ev = NULL;
  DmasAgentId voter = src;
  uint32_t bid_idx = 0;
  uint8_t vsig[DMAS_SIG_SIZE] = { 0 };
  if (type == TM_MSG_BID)
    {
      bid.agent = dmas_get_u32 (body + 16);
      bid.score = dmas_get_double (body + 20);
      memcpy (bid.sig, body + 28, DMAS_SIG_SIZE);
      /* relayed bids: the signature decides */
      ok = tendermint_member_index (self, bid.agent, &bid_idx);
    }
  else if (type == TM_MSG_PROPOSAL)
    {
      uint32_t vr_u = dmas_get_u32 (body + 20);
      vr = vr_u == UINT32_MAX ? -1 : (int32_t) vr_u;
      v = (Value){ dmas_get_u32 (body + 24), dmas_get_double (body + 28) };
      n_ev = dmas_get_u32 (body + 36);
      ok = (vr_u == UINT32_MAX || vr_u < round_u) && value_well_formed (self, v);
      if (ok && n_ev > 0)
        {
          ev = malloc (n_ev * sizeof *ev);
          ok = ev != NULL;
          for (uint32_t i = 0; ok && i < n_ev; i++)
            {
              const uint8_t *p = body + PROPOSAL_HEAD + (size_t) i * EV_LEN;
              ev[i].agent = dmas_get_u32 (p);
              ev[i].score = dmas_get_double (p + 4);
              memcpy (ev[i].sig, p + 12, DMAS_SIG_SIZE);
            }
        }
    }
  else
    {
      kind = (VoteKind) dmas_get_u32 (body + 20);
      v = (Value){ dmas_get_u32 (body + 24), dmas_get_double (body + 28) };
      ok = (kind == VOTE_NIL && type != TM_MSG_DECIDED)
           || (kind == VOTE_VALUE && value_well_formed (self, v));
      if (kind == VOTE_NIL)
        v = (Value){ DMAS_AGENT_NONE, 0.0 };
      voter = dmas_get_u32 (body + 36);
      memcpy (vsig, body + 40, DMAS_SIG_SIZE);
      ok = ok && (type != TM_MSG_DECIDED || voter == src)
           && (type != TM_MSG_COMMIT || kind == VOTE_VALUE);
    }
  if (!ok)
    {
      free (ev);
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }

  Slot *s = tendermint_slot_get (self, ctx, job, epoch);
  if (s == NULL)
    {
      free (ev);
      return DMAS_OK;
    }
  if (s->home == DMAS_AGENT_NONE)
    s->home = home;

  if (s->state == SLOT_DONE)
    {
      /* Catch-up: a laggard still running rounds after our decision, or re-sending its
       * messages of our decision round (gossip comes long after the decision's own tail). */
      /* Only the sender's own messages: answering relayed ones would let two decided agents
       * answer each other's certificates forever. */
      if ((type == TM_MSG_PROPOSAL || type == TM_MSG_PREVOTE || type == TM_MSG_PRECOMMIT)
          && voter == src
          && (round > s->decided_round
              || dmas_now (ctx) - s->decided_at >= self->timeout_propose))
        {
          uint8_t out[VOTE_LEN];
          if (s->cert != NULL)
            {
              for (uint32_t i = 0; i < self->n; i++)
                if (s->cert[i].kind == VOTE_VALUE && self->members[i] != src)
                  {
                    tendermint_encode_vote (out, s, s->decided_round, VOTE_VALUE, s->cert[i].v,
                                            self->members[i], s->cert[i].sig);
                    ctx->api->send (ctx, src, TM_MSG_COMMIT, out, sizeof out);
                  }
            }
          else
            {
              tendermint_encode_vote (out, s, s->decided_round, VOTE_VALUE, s->decision,
                                      self->self_id, NULL);
              ctx->api->send (ctx, src, TM_MSG_DECIDED, out, sizeof out);
            }
        }
      free (ev);
      return DMAS_OK;
    }

  Vote vote = { (uint8_t) kind, v, { 0 } };
  memcpy (vote.sig, vsig, DMAS_SIG_SIZE);
  if (s->state == SLOT_BUFFERED && !s->heard
      && tendermint_signed_for_height (ctx, s, type, round, &vote, voter,
                                       type == TM_MSG_BID ? 1 : n_ev,
                                       type == TM_MSG_BID ? &bid : ev))
    {
      s->heard = 1;
      s->first_heard = dmas_now (ctx);
    }
  switch (type)
    {
    case TM_MSG_BID: tendermint_on_bid (ctx, s, bid_idx, &bid); break;
    case TM_MSG_PROPOSAL:
      tendermint_proposal_store (self, ctx, s, src, round, vr, v, n_ev, ev);
      break;
    case TM_MSG_PREVOTE:
    case TM_MSG_PRECOMMIT:
    case TM_MSG_COMMIT:
      {
        if (type == TM_MSG_COMMIT && voter == self->self_id)
          break; /* our own precommit coming back */
        /* A COMMIT is a precommit whose signature is always checked, whoever relays it. */
        tendermint_on_vote (self, ctx, s, type == TM_MSG_COMMIT ? DMAS_AGENT_NONE : src,
                            type == TM_MSG_COMMIT ? TM_MSG_PRECOMMIT : type, round, &vote, voter);
        break;
      }
    case TM_MSG_DECIDED: tendermint_on_decided (self, ctx, s, src_idx, round, v); break;
    default: break;
    }
  free (ev);
  tendermint_progress (self, ctx, s);
  return DMAS_OK;
}

static int
tm_propose (void *self_, DmasCtx *ctx, const DmasSlot *dslot, const DmasBid *bid)
{
  Tendermint *self = self_;
  uint32_t home_idx;
  tendermint_resume_restored (self, ctx);
  if (!tendermint_member_index (self, dslot->home, &home_idx) || bid->job != dslot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "tendermint: invalid proposal for job %llu epoch %u (home %u, bid by %u for "
                "job %llu, score %g)",
                (unsigned long long) dslot->job, dslot->epoch, dslot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }
  Slot *s = tendermint_slot_get (self, ctx, dslot->job, dslot->epoch);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->state == SLOT_DONE)
    return DMAS_OK; /* decided (caught up or restored) before our bidder answered */
  if (s->proposed)
    return DMAS_ESTATE;
  s->proposed = 1;
  s->home = dslot->home;

  SignedBid own = { .agent = self->self_id, .score = bid->score };
  uint8_t data[32];
  tendermint_bid_signed_bytes (data, dslot->job, dslot->epoch, self->self_id, bid->score);
  int rc = ctx->api->sign (ctx, data, sizeof data, own.sig);
  if (rc != DMAS_OK)
    return rc;
  /* Our bid goes out as our bidder made it (the others judge it); what we hold and may show
   * in a proposal of ours must be plausible, so an implausible one is held as an abstention. */
  SignedBid held = own;
  if (!consensus_bid_plausible (ctx, dslot, bid, DMAS_AGENT_NONE))
    {
      held.score = 0.0;
      tendermint_bid_signed_bytes (data, dslot->job, dslot->epoch, self->self_id, 0.0);
      rc = ctx->api->sign (ctx, data, sizeof data, held.sig);
      if (rc != DMAS_OK)
        return rc;
    }
  if (s->bids[self->self_idx].agent == DMAS_AGENT_NONE)
    s->n_bids++;
  s->bids[self->self_idx] = held; /* supersedes our abstention, if we joined before */
  tendermint_send_bid (ctx, s, &own);

  if (s->state == SLOT_BUFFERED)
    tendermint_start_round (self, ctx, s, 0);
  tendermint_progress (self, ctx, s);
  return rc;
}

/* --- life cycle --------------------------------------------------------------------------- */

static void tm_destroy (void *self_);

static void
resume_fired (DmasCtx *ctx, void *data)
{
  tendermint_resume_restored (data, ctx);
}

static void *
tm_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime tp, tv, td, bw, rt;
  int rc = ctx->api->param_duration (ctx, "timeout_propose", &tp);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "timeout_vote", &tv);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "timeout_delta", &td);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "bid_wait", &bw);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "retain", &rt);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "tendermint: cannot read parameters (status %d)", rc);
      return NULL;
    }
  if (tp == 0 || tv == 0)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "tendermint: timeout_propose and timeout_vote must be > 0 (e.g. \"300ms\")");
      return NULL;
    }
  if (bw >= tp)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "tendermint: bid_wait must be shorter than timeout_propose, or every "
                      "round-0 proposal would come after the validators gave up on it");
      return NULL;
    }

  Tendermint *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "tendermint: out of memory");
      return NULL;
    }
  self->timeout_propose = tp;
  self->timeout_vote = tv;
  self->timeout_delta = td;
  self->bid_wait = bw;
  self->retain = rt;
  self->self_id = dmas_self (ctx);
  self->members = ctx->api->members (ctx, &self->n);
  if (self->n == 0 || !tendermint_member_index (self, self->self_id, &self->self_idx))
    {
      dmas_error_set (err, DMAS_EINVAL, "tendermint: this instance is not one of the members");
      free (self);
      return NULL;
    }
  self->f = (self->n - 1) / 3;
  self->quorum = self->n - self->f;
  self->capacity = 64;
  self->table = calloc (self->capacity, sizeof *self->table);
  if (self->table == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "tendermint: out of memory");
      free (self);
      return NULL;
    }

  size_t len = 0;
  const uint8_t *index = ctx->api->restore (ctx, "tendermint/open", &len);
  for (size_t i = 0; index != NULL && i + 12 <= len; i += 12)
    {
      Slot *s = tendermint_slot_get (self, ctx, dmas_get_u64 (index + i),
                                     dmas_get_u32 (index + i + 8));
      if (s == NULL)
        {
          dmas_error_set (err, DMAS_ENOMEM, "tendermint: out of memory restoring state");
          tm_destroy (self);
          return NULL;
        }
      if (s->state == SLOT_ACTIVE)
        tendermint_open_index_append (self, s); /* the stored index already says so */
    }
  /* Resume the restored heights at once, not at whatever callback comes first: when the
   * others decided while we were down, nothing else may ever come (they answer our votes
   * with the commit certificate, but only once we send them). */
  if (self->resume_pending)
    ctx->api->timer_add (ctx, 0, resume_fired, self, NULL);
  return self;
}

static void
tm_destroy (void *self_)
{
  Tendermint *self = self_;
  if (self == NULL)
    return;
  for (size_t i = 0; i < self->capacity; i++)
    tendermint_slot_free (self->table[i]);
  free (self->table);
  free (self->open);
  free (self->certs);
  free (self);
}

static const DmasConsensusOps tm_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = tm_create,
  .destroy = tm_destroy,
  .propose = tm_propose,
  .on_message = tm_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_BYZANTINE,
};

static const DmasParamSpec tm_params[] = {
  { "timeout_propose", DMAS_PARAM_DURATION, "300ms",
    "how long a validator waits for the round's proposal in round 0 (plus timeout_delta per round)" },
  { "timeout_vote", DMAS_PARAM_DURATION, "100ms",
    "timeoutPrevote and timeoutPrecommit in round 0 (plus timeout_delta per round)" },
  { "timeout_delta", DMAS_PARAM_DURATION, "50ms",
    "how much every timeout grows per round, so rounds eventually outlast the network delay" },
  { "bid_wait", DMAS_PARAM_DURATION, "100ms",
    "how long a proposer holding a quorum but not all bids waits for the rest (< timeout_propose)" },
  { "retain", DMAS_PARAM_DURATION, "60s",
    "how long a decided slot keeps its commit certificate to bring lagging agents up to date" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent tm_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "tendermint",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &tm_ops,
    .summary = "Tendermint BFT: rotating proposer, prevote/precommit above 2/3, locking, "
               "signed bids as evidence",
    .params = tm_params,
  },
};

static const DmasPluginDesc tm_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "tendermint",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = tm_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &tm_desc;
}
