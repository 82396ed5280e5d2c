/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: Raft (Ongaro & Ousterhout 2014) replicating a log of slot decisions. */
#include <math.h>
#include <stdlib.h>

#include "raft-private.h"

/* What is replicated: a log whose entries are decisions {job, epoch, home, winner, score}
 * (up to `batch` slots per entry).  An agent decides a slot when it applies the committed
 * entry holding it, so every agent decides what the log says, in log order.
 *
 * Bids: propose() keeps the agent's own bid as "pending" until the slot is decided, and sends
 * it (BID) to the agent it believes is leader; with no known leader it waits.  Whenever an
 * agent learns of a new leader (an AppendEntries from someone else) it sends it every pending
 * bid again: the leader ignores bids of slots already in its log and duplicates, so resending
 * is idempotent, and bids an old leader had collected but not appended are not lost.
 * The leader collects bids per slot and closes the slot when it has all n bids or
 * `bid_window` after the first bid it saw; the winner is the best bid > 0 by dmas_bid_better,
 * or DMAS_AGENT_NONE with score 0 (rejected).  It never closes a slot already in its log.
 *
 * Batching: closed slots wait in a ready list; a full list (`batch` slots) becomes one entry at
 * once, a shorter one at the next heartbeat.  batch = 1 appends every slot at once; batch = b
 * saves up to a factor b of AppendEntries traffic under load, at the price of up to one
 * heartbeat period of extra latency for slots that do not fill an entry.
 *
 * Raft proper: terms, RequestVote with the log up-to-date check, one vote per term, randomized
 * election timeouts in [election_timeout, 2 election_timeout) from the instance stream,
 * AppendEntries with the consistency check and conflict truncation, commit only of current-term
 * entries stored on a majority (a new leader that inherits uncommitted entries appends an empty
 * entry to commit them), followers learn the commit index from the next AppendEntries (so a
 * follower decides up to one `heartbeat` after the leader: that is most of the decision
 * latency, e.g. p50 52 ms on configs/quickstart.yaml with 1 ms links).  The
 * leader pipelines: after sending entries to a follower it assumes they arrive (nextIndex moves
 * past them) and backs off on a rejection.  At most 64 entries travel per message.
 *
 * Quiescence (a deviation that changes no safety argument): timers run only while there is work,
 * so a finished simulation ends.  A follower or candidate keeps an election timer only while it
 * holds undecided bids of its own (it needs a leader) or has heard a vote request of a term
 * whose leader it does not know yet; the leader heartbeats every `heartbeat`
 * while it collects bids, holds ready slots, has uncommitted entries, or some follower that the
 * failure detector does not suspect, and that answered within the last 10 election timeouts,
 * lags behind its log or commit index.
 *
 * Stable storage (persist before any message that depends on it): "raft/meta" = currentTerm
 * u64 | votedFor u32 | last log index u64 | lastApplied u64, and "raft/e/<index>" = one entry.
 * Committed entries never change, so each entry is written once (again only if a conflict
 * replaces an uncommitted one); the meta record stays 28 bytes.  lastApplied is stored so that
 * a restarted agent does not decide a slot twice; create() restores all of it and rejoins as a
 * follower.
 *
 * Messages (little-endian):
 *   BID        job u64 | epoch u32 | home u32 | agent u32 | score f64            (28 bytes)
 *   VOTE_REQ   term u64 | last index u64 | last term u64
 *   VOTE       term u64 | granted u32
 *   APPEND     term u64 | prev index u64 | prev term u64 | leader commit u64 | n u32 | entries
 *              entry: term u64 | k u32 | k decisions laid out as BID (agent = winner)
 *   APPEND_ACK term u64 | success u32 | match u64 | last index u64 | commit u64
 *              (on a rejection, `match` is the prev index that did not match)
 *
 * Message count per slot with no faults, a steady leader and batch 1: n-1 BIDs (the leader's
 * own bid stays local), n-1 APPENDs with the entry and n-1 APPEND_ACKs: 3(n-1); on top of that
 * 2(n-1) per heartbeat round (metric "heartbeats") and 2(n-1) per election attempt ("terms").
 * Slots further apart than `heartbeat` each need one heartbeat round to carry their commit:
 * 5(n-1) per slot then (configs/quickstart.yaml, n = 5: 20.27 with the election).  Exact total:
 * (n-1) (3 rounds + 2 heartbeats + 2 terms), asserted in tests/plugins/test-raft.c and
 * tests/scenarios/test-raft-e2e.c.
 *
 * Implausible bids (host API 1.3, plausible.h): the leader never closes a slot on a bid its
 * bidder's cluster could never back -- it counts as declined, and a remote bidder is accused.
 * Followers see no bids but their own (which go out as their bidder made them) and the
 * leader's decisions, which a crash-fault protocol trusts.
 *
 * Memory and storage grow with the number of slots: the whole log is kept (no snapshot or
 * compaction), one storage key per entry.
 *
 * Metrics: "elections" (a candidate became leader), "terms" (elections started), "rounds"
 * (entries with decisions appended by a leader), "heartbeats" (heartbeat rounds),
 * "duplicates" (bids already known), "malformed", "misrouted" (bids at a non-leader). */

static int
raft_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body_,
                 size_t len)
{
  Raft *self = self_;
  const uint8_t *body = body_;
  uint32_t src_idx;
  size_t need = type == RAFT_MSG_BID        ? DECISION_LEN
                : type == RAFT_MSG_VOTE_REQ ? VOTE_REQ_LEN
                : type == RAFT_MSG_VOTE     ? VOTE_LEN
                : type == RAFT_MSG_APPEND   ? APPEND_HEADER_LEN
                : type == RAFT_MSG_APPEND_ACK ? APPEND_ACK_LEN
                                              : 0;
  int exact = type != RAFT_MSG_APPEND;
  /* Every message but BID starts with a term.  One no run can reach (2^62 elections) is a
   * damaged body: adopting it would leave `term + 1` one wrap-around away from 0. */
  if (need == 0 || body == NULL || len < need || (exact && len != need)
      || (type != RAFT_MSG_BID && dmas_get_u64 (body) >= MAX_TERM)
      || !raft_member_index (self, src, &src_idx))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return DMAS_OK;
    }
  switch (type)
    {
    case RAFT_MSG_BID:
      {
        Decision d;
        raft_get_decision (body, &d);
        /* A bid speaks for its sender only: src is authentic, the agent field is not. */
        if (d.bid.agent != src || !isfinite (d.bid.score) || d.bid.score < 0.0)
          {
            ctx->api->metric (ctx, "malformed", 1.0);
            break;
          }
        if (self->role != ROLE_LEADER)
          {
            ctx->api->metric (ctx, "misrouted", 1.0);
            break;
          }
        raft_leader_record_bid (self, ctx, &d.slot, &d.bid);
        break;
      }
    case RAFT_MSG_VOTE_REQ:
      raft_on_vote_request (self, ctx, src, body);
      break;
    case RAFT_MSG_VOTE:
      raft_on_vote (self, ctx, src_idx, body);
      break;
    case RAFT_MSG_APPEND:
      raft_on_append (self, ctx, src, body, len);
      break;
    case RAFT_MSG_APPEND_ACK:
      raft_on_append_ack (self, ctx, src_idx, body);
      break;
    default:
      break;
    }
  return DMAS_OK;
}

static int
raft_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Raft *self = self_;
  uint32_t idx;
  if (!raft_member_index (self, slot->home, &idx) || bid->job != slot->job
      || bid->agent != self->self_id || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: invalid proposal for job %llu epoch %u",
                (unsigned long long) slot->job, slot->epoch);
      return DMAS_EINVAL;
    }
  Slot *s = raft_slot_get (self, slot->job, slot->epoch);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->decided)
    return DMAS_OK; /* the committed entry overtook our own bidding */
  for (size_t i = 0; i < self->n_pending; i++)
    if (self->pending[i].slot.job == slot->job && self->pending[i].slot.epoch == slot->epoch)
      return DMAS_ESTATE; /* proposed twice */
  if (self->n_pending == self->pending_cap)
    {
      size_t cap = self->pending_cap ? self->pending_cap * 2 : 16;
      Pending *p = realloc (self->pending, cap * sizeof *p);
      if (p == NULL)
        return DMAS_ENOMEM;
      self->pending = p;
      self->pending_cap = cap;
    }
  Pending *p = &self->pending[self->n_pending++];
  *p = (Pending){ .slot = *slot, .bid = *bid };
  if (self->role == ROLE_LEADER)
    {
      Pending copy = *p;
      raft_leader_record_bid (self, ctx, &copy.slot, &copy.bid);
      return DMAS_OK;
    }
  if (self->leader != DMAS_AGENT_NONE)
    raft_send_bid (self, ctx, p);
  if (self->election_timer == 0)
    raft_election_arm (self, ctx);
  return DMAS_OK;
}

static void
raft_agent_status (void *self_, DmasCtx *ctx, DmasAgentId agent, int suspected)
{
  Raft *self = self_;
  uint32_t idx;
  if (!raft_member_index (self, agent, &idx))
    return;
  self->suspected[idx] = suspected != 0;
  if (!suspected && self->role == ROLE_LEADER)
    {
      /* Back from a crash: it may have missed entries or commits. */
      self->peer_commit[idx] = 0;
      self->last_heard[idx] = dmas_now (ctx);
      raft_heartbeat_arm (self, ctx);
    }
}

/* --- life cycle ------------------------------------------------------------------------- */

static void raft_destroy (void *self_);

static void *
raft_create (DmasCtx *ctx, DmasError *err)
{
  DmasTime election_timeout, heartbeat, bid_window;
  int64_t batch;
  int rc = ctx->api->param_duration (ctx, "election_timeout", &election_timeout);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "heartbeat", &heartbeat);
  if (rc == DMAS_OK)
    rc = ctx->api->param_duration (ctx, "bid_window", &bid_window);
  if (rc == DMAS_OK)
    rc = ctx->api->param_int (ctx, "batch", &batch);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "raft: cannot read parameters (status %d)", rc);
      return NULL;
    }
  if (election_timeout == 0 || heartbeat == 0 || batch < 1 || batch > 4096)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "raft: election_timeout and heartbeat must be > 0 and batch in 1..4096");
      return NULL;
    }
  Raft *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory");
      return NULL;
    }
  self->election_timeout = election_timeout;
  self->heartbeat = heartbeat;
  self->bid_window = bid_window;
  self->batch = (uint32_t) batch;
  self->self_id = dmas_self (ctx);
  self->members = ctx->api->members (ctx, &self->n);
  self->voted_for = DMAS_AGENT_NONE;
  self->leader = DMAS_AGENT_NONE;
  self->capacity = 64;
  self->slots = calloc (self->capacity, sizeof *self->slots);
  if (self->n > 0)
    {
      self->votes = calloc (self->n, 1);
      self->suspected = calloc (self->n, 1);
      self->next_index = calloc (self->n, sizeof *self->next_index);
      self->match_index = calloc (self->n, sizeof *self->match_index);
      self->peer_commit = calloc (self->n, sizeof *self->peer_commit);
      self->last_heard = calloc (self->n, sizeof *self->last_heard);
    }
  if (self->n == 0 || !raft_member_index (self, self->self_id, &self->self_idx))
    {
      dmas_error_set (err, DMAS_EINVAL, "raft: this agent is not among the host's members");
      raft_destroy (self);
      return NULL;
    }
  if (self->slots == NULL || self->votes == NULL || self->suspected == NULL
      || self->next_index == NULL || self->match_index == NULL || self->peer_commit == NULL
      || self->last_heard == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory");
      raft_destroy (self);
      return NULL;
    }
  if (raft_restore_state (self, ctx, err) != DMAS_OK)
    {
      raft_destroy (self);
      return NULL;
    }
  return self;
}

static void
raft_destroy (void *self_)
{
  Raft *self = self_;
  if (self == NULL)
    return;
  /* Pending timers are the host's to free: window data only names slots by key. */
  for (uint64_t i = 0; i < self->last; i++)
    free (self->log[i].d);
  free (self->log);
  if (self->slots != NULL)
    for (size_t i = 0; i < self->capacity; i++)
      free (self->slots[i].bidders);
  free (self->slots);
  free (self->pending);
  free (self->ready);
  free (self->votes);
  free (self->suspected);
  free (self->next_index);
  free (self->match_index);
  free (self->peer_commit);
  free (self->last_heard);
  free (self);
}

static const DmasConsensusOps raft_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = raft_create,
  .destroy = raft_destroy,
  .propose = raft_propose,
  .on_message = raft_on_message,
  .agent_status = raft_agent_status,
  .fault_model = DMAS_FAULT_MODEL_CRASH,
};

static const DmasParamSpec raft_params[] = {
  { "election_timeout", DMAS_PARAM_DURATION, "150ms",
    "base election timeout T: each wait is drawn uniformly in [T, 2T)" },
  { "heartbeat", DMAS_PARAM_DURATION, "50ms",
    "period of the leader's AppendEntries while it has work (also carries the commit index)" },
  { "bid_window", DMAS_PARAM_DURATION, "100ms",
    "how long the leader waits for the n bids of a slot after the first one it saw" },
  { "batch", DMAS_PARAM_INT, "1",
    "max slots per log entry; partial entries are cut at the next heartbeat" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent raft_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "raft",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &raft_ops,
    .summary = "Raft: elected leader replicates a log of slot decisions, commit on majority",
    .params = raft_params,
  },
};

static const DmasPluginDesc raft_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "raft",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = raft_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &raft_desc;
}
