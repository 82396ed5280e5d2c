/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: handlers of RequestVote, AppendEntries and their replies. */
#include <math.h>
#include <stdlib.h>

#include "raft-private.h"

/* --- messages --------------------------------------------------------------------------- */

/* Whether every decision of an entry is one a correct leader writes: a member with a finite
 * score >= 0, or the rejection (nobody, 0).  A damaged body must not reach decide(). */
static int
entry_well_formed (const Raft *self, const Entry *e)
{
  for (uint32_t k = 0; k < e->n; k++)
    {
      const DmasBid *b = &e->d[k].bid;
      uint32_t idx;
      if (!isfinite (b->score) || b->score < 0.0)
        return 0;
      if (b->agent == DMAS_AGENT_NONE ? b->score != 0.0 : !raft_member_index (self, b->agent, &idx))
        return 0;
    }
  return 1;
}

void
raft_on_vote_request (Raft *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body)
{
  uint64_t term = dmas_get_u64 (body);
  uint64_t last = dmas_get_u64 (body + 8);
  uint64_t last_term = dmas_get_u64 (body + 16);
  if (term > self->term)
    raft_become_follower (self, ctx, term);
  if (term == self->term && self->role == ROLE_FOLLOWER && self->leader == DMAS_AGENT_NONE)
    self->disrupted = 1;
  uint64_t my_last_term = raft_term_at (self, self->last);
  int up_to_date = last_term > my_last_term || (last_term == my_last_term && last >= self->last);
  int granted = term == self->term && up_to_date
                && (self->voted_for == DMAS_AGENT_NONE || self->voted_for == src);
  if (granted && self->voted_for != src)
    {
      self->voted_for = src;
      raft_persist_meta (self, ctx);
    }
  if (granted || (self->disrupted && self->election_timer == 0))
    raft_election_arm (self, ctx);
  uint8_t reply[VOTE_LEN];
  dmas_put_u64 (reply, self->term);
  dmas_put_u32 (reply + 8, (uint32_t) granted);
  ctx->api->send (ctx, src, RAFT_MSG_VOTE, reply, sizeof reply);
}

void
raft_on_vote (Raft *self, DmasCtx *ctx, uint32_t src_idx, const uint8_t *body)
{
  uint64_t term = dmas_get_u64 (body);
  uint32_t granted = dmas_get_u32 (body + 8);
  if (term > self->term)
    {
      raft_become_follower (self, ctx, term);
      raft_election_arm (self, ctx);
      return;
    }
  if (self->role != ROLE_CANDIDATE || term != self->term || !granted || self->votes[src_idx])
    return;
  self->votes[src_idx] = 1;
  if (++self->n_votes >= raft_majority (self))
    raft_become_leader (self, ctx);
}

static void
send_append_ack (Raft *self, DmasCtx *ctx, DmasAgentId to, int success, uint64_t match)
{
  uint8_t reply[APPEND_ACK_LEN];
  dmas_put_u64 (reply, self->term);
  dmas_put_u32 (reply + 8, (uint32_t) success);
  dmas_put_u64 (reply + 12, match);
  dmas_put_u64 (reply + 20, self->last);
  dmas_put_u64 (reply + 28, self->commit);
  ctx->api->send (ctx, to, RAFT_MSG_APPEND_ACK, reply, sizeof reply);
}

void
raft_on_append (Raft *self, DmasCtx *ctx, DmasAgentId src, const uint8_t *body, size_t len)
{
  uint64_t term = dmas_get_u64 (body);
  uint64_t prev = dmas_get_u64 (body + 8);
  uint64_t prev_term = dmas_get_u64 (body + 16);
  uint64_t leader_commit = dmas_get_u64 (body + 24);
  uint32_t n = dmas_get_u32 (body + 32);
  if (term < self->term)
    {
      send_append_ack (self, ctx, src, 0, 0);
      return;
    }
  if (term > self->term || self->role != ROLE_FOLLOWER)
    raft_become_follower (self, ctx, term);
  self->disrupted = 0;
  if (self->leader != src)
    {
      self->leader = src;
      for (size_t i = 0; i < self->n_pending; i++)
        raft_send_bid (self, ctx, &self->pending[i]);
    }
  raft_election_arm (self, ctx);

  if (prev > self->last || raft_term_at (self, prev) != prev_term)
    {
      send_append_ack (self, ctx, src, 0, prev);
      return;
    }
  size_t off = APPEND_HEADER_LEN;
  uint64_t idx = prev;
  int wrote = 0;
  for (uint32_t k = 0; k < n; k++)
    {
      Entry e;
      size_t used = raft_get_entry (body + off, len - off, &e);
      if (used == 0 || !entry_well_formed (self, &e))
        {
          if (used != 0)
            free (e.d);
          ctx->api->metric (ctx, "malformed", 1.0);
          break;
        }
      off += used;
      idx++;
      if (idx <= self->last && raft_term_at (self, idx) == e.term)
        {
          free (e.d);
          continue;
        }
      if (idx <= self->last)
        raft_log_truncate (self, idx - 1);
      if (raft_log_append (self, &e) != DMAS_OK)
        {
          free (e.d);
          idx--;
          break;
        }
      raft_persist_entry (self, ctx, idx);
      wrote = 1;
    }
  if (wrote)
    raft_persist_meta (self, ctx);
  uint64_t new_commit = leader_commit < idx ? leader_commit : idx;
  if (new_commit > self->commit)
    {
      self->commit = new_commit;
      raft_apply_committed (self, ctx);
    }
  send_append_ack (self, ctx, src, 1, idx);
}

void
raft_on_append_ack (Raft *self, DmasCtx *ctx, uint32_t f, const uint8_t *body)
{
  uint64_t term = dmas_get_u64 (body);
  uint32_t success = dmas_get_u32 (body + 8);
  uint64_t match = dmas_get_u64 (body + 12);
  uint64_t last = dmas_get_u64 (body + 20);
  uint64_t commit = dmas_get_u64 (body + 28);
  if (term > self->term)
    {
      raft_become_follower (self, ctx, term);
      raft_election_arm (self, ctx);
      return;
    }
  if (self->role != ROLE_LEADER || term != self->term)
    return;
  self->last_heard[f] = dmas_now (ctx);
  if (commit > self->peer_commit[f])
    self->peer_commit[f] = commit;
  if (success)
    {
      if (match > self->last)
        return; /* cannot be: we never sent past our log */
      if (match > self->match_index[f])
        self->match_index[f] = match;
      if (self->next_index[f] < self->match_index[f] + 1)
        self->next_index[f] = self->match_index[f] + 1;
      raft_advance_commit (self, ctx);
      if (self->role == ROLE_LEADER && self->next_index[f] <= self->last)
        raft_send_append (self, ctx, f);
    }
  else
    {
      /* `match` is the prev index the follower could not match: back off below it (and
       * below its log's end), never below what it is known to hold. */
      uint64_t next = match > 0 ? match : 1;
      if (last + 1 < next)
        next = last + 1;
      if (next < self->match_index[f] + 1)
        next = self->match_index[f] + 1;
      self->next_index[f] = next;
      raft_send_append (self, ctx, f);
    }
  raft_heartbeat_arm (self, ctx);
}
