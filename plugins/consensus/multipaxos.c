/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: Multi-Paxos with a stable leader, one Paxos instance per slot. */
#include <math.h>
#include <stdlib.h>

#include "multipaxos-private.h"

/* Protocol (Lamport, "Paxos Made Simple"; Chandra et al., "Paxos Made Live").  Every agent is
 * proposer, acceptor and learner; an instance is one slot (job, epoch); its value is a bid
 * (the winner, or DMAS_AGENT_NONE with score 0 for "rejected").
 *
 *   Ballots are (round << 32 | proposer id): unique per proposer, totally ordered.  One
 *   promised ballot per acceptor covers every instance (Multi-Paxos), so phase 1 runs once per
 *   leader change, not per slot.
 *
 *   Phase 1: a candidate picks a round above every round it has seen or used, persists it,
 *   promises to itself and broadcasts PREPARE(b).  An acceptor with promised <= b promises b,
 *   persists it, and answers PROMISE(b, every instance it holds: accepted (ballot, value) or
 *   decided value).  On a majority of promises (itself included) the candidate leads:
 *   metric "elections".  For each undecided instance, a value some promise reported must be
 *   proposed again, the one with the highest accepted ballot (the Paxos safety rule); only
 *   instances nobody reported may get a fresh value.
 *
 *   Bids: every agent sends its bid to the leader it knows (BID), or keeps it until it knows
 *   one, and sends it again to each new leader.  The leader collects bids per slot until it
 *   has all n or `bid_window` after the first one, and proposes the best bid > 0 by
 *   dmas_bid_better (or the rejection).
 *   Implausible bids (host API 1.3, plausible.h): a bid its bidder's cluster could never back
 *   counts as declined wherever bids are collected, so the leader never proposes it; a BID's
 *   sender (it is the bid's agent) is accused.  Acceptors see only the leader's values, which
 *   a crash-fault protocol trusts.
 *
 *   Phase 2: ACCEPT(b, up to `batch` instances) to all; an acceptor with promised <= b
 *   accepts, persists each instance, and answers ACCEPTED(b, keys) to the leader.  Once a
 *   majority (the leader included) accepted an instance, its value is chosen: the leader
 *   decides and broadcasts DECIDE, every agent decides on receipt (once per slot).
 *   Metric "rounds" counts instances proposed in phase 2.
 *
 *   Acceptors persist (persist() before any reply leaves): the promised ballot and the
 *   highest round used ("paxos/meta"), and each instance's accepted ballot and value, or its
 *   decided value ("paxos/i/<k>"); create() restores them, so a restarted acceptor never
 *   accepts a ballot below one it promised.  A restarted agent does not decide again what its
 *   previous incarnation decided.
 *
 * Leader failure detection, deterministic from the instance's stream: an agent with a bid
 * still undecided checks every leader_timeout * (1 + U[0,1)).  If it heard from the leader in
 * the last leader_timeout it re-sends its pending bids (a lost BID or DECIDE costs one check);
 * if not, it re-sends them once more as a probe, and at the next silent check starts phase 1
 * (metric "ballots" counts phase 1 attempts).  A leader with undecided instances broadcasts
 * HEARTBEAT every `heartbeat` and re-sends ACCEPT for instances not chosen yet.  Any agent
 * answers a BID for a slot it knows decided with DECIDE to the sender.  A proposer told of a
 * higher ballot (NACK, or any message carrying one) steps down.  At the very start nobody
 * leads: the lowest member starts phase 1 at its first proposal, the others wait for it.
 *
 * Idle agents run no timer, so a finished run ends.  A leader whose instances make no
 * progress for RETRY_LIMIT heartbeats, or a candidate failing RETRY_LIMIT elections in a row,
 * stops its timers until a message or a proposal arrives: without a quorum the run ends as a
 * deadlock report instead of spinning forever.
 *
 * Messages per decision, no faults, stable leader, all bids in time, batch 1: (n-1) BID +
 * (n-1) ACCEPT + (n-1) ACCEPTED + (n-1) DECIDE = 4(n-1).  With batch b and full batches:
 * (n-1) + 3(n-1)/b per decision.  Batching costs latency under light load: a ready value
 * waits up to `batch_wait` for its batch to fill.  A leader change adds (n-1) PREPARE + (n-1)
 * PROMISE + (n-1) HEARTBEAT (announcing the new leader), and re-sent bids.
 *
 * Known cost: acceptors keep every instance for the whole run (decided ones as a 37-byte
 * record) and a PROMISE reports them all, because the safety rule needs every value a
 * majority may have chosen; phase 1 is rare, so this is what a leader change costs. */

static int
paxos_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type,
                  const void *body_, size_t len)
{
  Paxos *self = self_;
  const uint8_t *body = body_;
  uint32_t idx;
  int64_t n = body != NULL ? multipaxos_entries_of (type, body, len) : -1;
  ValueEntry e;
  /* Every message but BID and DECIDE starts with a ballot.  A round no run reaches (2^31
   * elections) is a damaged body: adopting it would overflow `round << 32` at the next
   * election and leave this agent with a ballot below everyone's. */
  int has_ballot = n >= 0 && type != MSG_BID && type != MSG_DECIDE;
  if (n < 0 || !multipaxos_member_index (self, src, &idx)
      || (has_ballot && multipaxos_ballot_round (dmas_get_u64 (body)) >= MAX_BALLOT_ROUND)
      || (type == MSG_BID && (!multipaxos_get_value (self, body, &e) || e.value.agent != src)))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  switch (type)
    {
    case MSG_BID:
      multipaxos_on_bid (self, ctx, src, &e);
      break;
    case MSG_PREPARE:
      multipaxos_on_prepare (self, ctx, src, dmas_get_u64 (body));
      break;
    case MSG_PROMISE:
      multipaxos_on_promise (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_ACCEPT:
      multipaxos_on_accept (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_ACCEPTED:
      multipaxos_on_accepted (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_DECIDE:
      multipaxos_on_decide (self, ctx, src, body, (uint32_t) n);
      break;
    case MSG_NACK:
      multipaxos_on_nack (self, ctx, dmas_get_u64 (body));
      break;
    case MSG_HEARTBEAT:
      multipaxos_on_heartbeat (self, ctx, src, dmas_get_u64 (body));
      break;
    default:
      break;
    }
  /* A message may end a quiet period that stopped the timers. */
  multipaxos_watch_arm (self, ctx);
  multipaxos_beat_arm (self, ctx);
  return DMAS_OK;
}

static int
paxos_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Paxos *self = self_;
  uint32_t idx;
  if (!multipaxos_member_index (self, slot->home, &idx) || bid->job != slot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR,
                "multipaxos: invalid proposal for job %llu epoch %u (home %u, bid by %u for "
                "job %llu, score %g)",
                (unsigned long long) slot->job, slot->epoch, slot->home, bid->agent,
                (unsigned long long) bid->job, bid->score);
      return DMAS_EINVAL;
    }
  Instance *s = multipaxos_inst_get (self, slot->job, slot->epoch, slot->home);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->own)
    return DMAS_ESTATE; /* proposed twice */
  s->own = 1;
  s->own_bid = *bid;
  if (s->decided)
    return DMAS_OK; /* the DECIDE overtook our own bidding */
  self->n_pending_own++;
  self->failed_elections = 0;
  self->idle_ticks = 0;
  multipaxos_record_bid (self, ctx, s, bid);
  if (self->leading)
    multipaxos_leader_consider (self, ctx, s);
  else if (self->leader != DMAS_AGENT_NONE)
    multipaxos_send_bid (ctx, s, self->leader);
  else if (!self->candidate && self->fresh && self->self_id == self->members[0])
    multipaxos_start_election (self, ctx);
  self->fresh = 0;
  multipaxos_watch_arm (self, ctx);
  return DMAS_OK;
}

static void *
paxos_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime leader_timeout, heartbeat, bid_window, batch_wait;
  int64_t batch;
  int rc = ctx->api->param_duration (ctx, "leader_timeout", &leader_timeout);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "heartbeat", &heartbeat);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "bid_window", &bid_window);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "batch_wait", &batch_wait);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "batch", &batch);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "multipaxos: cannot read parameters (status %d)", rc);
      return NULL;
    }
  if (heartbeat == 0 || leader_timeout <= heartbeat)
    {
      dmas_error_set (err, DMAS_EINVAL, "multipaxos: need 0 < heartbeat < leader_timeout "
                      "(e.g. heartbeat: 50ms, leader_timeout: 200ms)");
      return NULL;
    }
  if (batch < 1 || batch > 4096)
    {
      dmas_error_set (err, DMAS_EINVAL, "multipaxos: batch must be in 1..4096, not %lld",
                      (long long) batch);
      return NULL;
    }

  Paxos *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "multipaxos: out of memory");
      return NULL;
    }
  self->leader_timeout = leader_timeout;
  self->heartbeat = heartbeat;
  self->bid_window = bid_window;
  self->batch_wait = batch_wait;
  self->batch = (uint32_t) batch;
  self->self_id = dmas_self (ctx);
  self->members = ctx->api->members (ctx, &self->n);
  self->majority = self->n / 2 + 1;
  self->bitmap_len = (self->n + 7) / 8;
  self->leader = DMAS_AGENT_NONE;
  self->fresh = 1;
  self->capacity = 64;
  self->table = calloc (self->capacity, sizeof *self->table);
  self->promisers = calloc (self->bitmap_len ? self->bitmap_len : 1, 1);
  self->batch_keys = malloc (self->batch * sizeof *self->batch_keys);
  uint32_t idx;
  if (self->table == NULL || self->promisers == NULL || self->batch_keys == NULL)
    rc = dmas_error_set (err, DMAS_ENOMEM, "multipaxos: out of memory");
  else if (self->n == 0 || !multipaxos_member_index (self, self->self_id, &idx))
    rc = dmas_error_set (err, DMAS_EINVAL, "multipaxos: this agent is not a member");
  else if ((rc = multipaxos_restore_state (self, ctx)) != DMAS_OK)
    dmas_error_set (err, rc, "multipaxos: stable storage holds a damaged state (status %d)",
                    rc);
  if (rc != DMAS_OK)
    {
      if (self->table != NULL)
        for (size_t i = 0; i < self->capacity; i++)
          free (self->table[i].bits);
      free (self->table);
      free (self->promisers);
      free (self->batch_keys);
      free (self);
      return NULL;
    }
  /* A restarted agent follows whoever it last promised, until that one proves silent. */
  if (self->promised != 0 && multipaxos_ballot_owner (self->promised) != self->self_id)
    self->leader = multipaxos_ballot_owner (self->promised);
  self->last_heard = dmas_now (ctx);
  return self;
}

static void
paxos_destroy (void *self_)
{
  Paxos *self = self_;
  if (self == NULL)
    return;
  /* Pending window timers' data only names slots; the host frees it. */
  for (size_t i = 0; i < self->capacity; i++)
    free (self->table[i].bits);
  free (self->table);
  free (self->promisers);
  free (self->batch_keys);
  free (self);
}

static const DmasConsensusOps paxos_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = paxos_create,
  .destroy = paxos_destroy,
  .propose = paxos_propose,
  .on_message = paxos_on_message,
  .agent_status = NULL,
  .fault_model = DMAS_FAULT_MODEL_CRASH,
};

static const DmasParamSpec paxos_params[] = {
  { "leader_timeout", DMAS_PARAM_DURATION, "200ms",
    "an agent with an undecided bid suspects a leader silent this long; each check waits "
    "leader_timeout x (1 + U[0,1)) from the agent's stream" },
  { "heartbeat", DMAS_PARAM_DURATION, "50ms",
    "period of the leader's heartbeat and ACCEPT retransmission while it has undecided "
    "instances (must be below leader_timeout)" },
  { "bid_window", DMAS_PARAM_DURATION, "100ms",
    "how long the leader waits for all n bids of a slot after the first before proposing" },
  { "batch", DMAS_PARAM_INT, "1",
    "slots per ACCEPT/ACCEPTED/DECIDE: messages per decision (n-1) + 3(n-1)/batch" },
  { "batch_wait", DMAS_PARAM_DURATION, "10ms",
    "how long a ready value waits for its batch to fill (latency added under light load)" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent paxos_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "multipaxos",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &paxos_ops,
    .summary = "Multi-Paxos: stable leader, phase 1 on leader change, one instance per slot",
    .params = paxos_params,
  },
};

static const DmasPluginDesc paxos_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "multipaxos",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = paxos_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &paxos_desc;
}
