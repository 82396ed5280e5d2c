/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: applying committed entries, role changes and elections. */
#include <stdlib.h>
#include <string.h>

#include "raft-private.h"

static int needs_leader (const Raft *self);

/* --- apply ------------------------------------------------------------------------------ */

void
raft_apply_committed (Raft *self, DmasCtx *ctx)
{
  if (self->applied >= self->commit)
    return;
  while (self->applied < self->commit)
    {
      Entry *e = &self->log[self->applied];
      for (uint32_t k = 0; k < e->n; k++)
        {
          Decision *d = &e->d[k];
          Slot *s = raft_slot_get (self, d->slot.job, d->slot.epoch);
          if (s != NULL && s->decided)
            continue;
          if (s != NULL)
            s->decided = 1;
          raft_pending_remove (self, d->slot.job, d->slot.epoch);
          ctx->api->decide (ctx, &d->slot, &d->bid);
        }
      self->applied++;
    }
  raft_persist_meta (self, ctx);
  if (!needs_leader (self) && self->election_timer != 0)
    {
      /* Nothing left that needs a leader. */
      ctx->api->timer_cancel (ctx, self->election_timer);
      self->election_timer = 0;
    }
}

/* --- roles ------------------------------------------------------------------------------ */

static void
collections_drop (Raft *self, DmasCtx *ctx)
{
  for (size_t i = 0; i < self->capacity && self->n_collecting > 0; i++)
    {
      Slot *s = &self->slots[i];
      if (s->used && s->bidders != NULL)
        {
          free (s->bidders);
          s->bidders = NULL;
          if (s->window != 0)
            ctx->api->timer_cancel (ctx, s->window);
          s->window = 0;
          self->n_collecting--;
        }
    }
  for (size_t i = 0; i < self->n_ready; i++)
    {
      Slot *s = raft_slot_lookup (self, self->ready[i].slot.job, self->ready[i].slot.epoch);
      if (s != NULL)
        s->ready = 0;
    }
  self->n_ready = 0;
}

/* Adopts a newer term (persisted before anything depends on it) and becomes follower. */
void
raft_become_follower (Raft *self, DmasCtx *ctx, uint64_t term)
{
  int changed = term != self->term;
  if (changed)
    {
      self->term = term;
      self->voted_for = DMAS_AGENT_NONE;
      raft_persist_meta (self, ctx);
    }
  if (self->role == ROLE_LEADER)
    {
      collections_drop (self, ctx);
      if (self->heartbeat_timer != 0)
        ctx->api->timer_cancel (ctx, self->heartbeat_timer);
      self->heartbeat_timer = 0;
    }
  if (self->role != ROLE_FOLLOWER || changed)
    self->leader = DMAS_AGENT_NONE;
  self->role = ROLE_FOLLOWER;
}

int
raft_send_append (Raft *self, DmasCtx *ctx, uint32_t f)
{
  uint64_t next = self->next_index[f];
  if (next < 1)
    next = 1;
  if (next > self->last + 1)
    next = self->last + 1;
  uint64_t prev = next - 1;
  uint64_t count = self->last - prev;
  if (count > MAX_ENTRIES_PER_MSG)
    count = MAX_ENTRIES_PER_MSG;
  size_t len = APPEND_HEADER_LEN;
  for (uint64_t i = 0; i < count; i++)
    len += raft_entry_len (&self->log[prev + i]);
  uint8_t *body = malloc (len);
  if (body == NULL)
    return DMAS_ENOMEM;
  dmas_put_u64 (body, self->term);
  dmas_put_u64 (body + 8, prev);
  dmas_put_u64 (body + 16, raft_term_at (self, prev));
  dmas_put_u64 (body + 24, self->commit);
  dmas_put_u32 (body + 32, (uint32_t) count);
  size_t off = APPEND_HEADER_LEN;
  for (uint64_t i = 0; i < count; i++)
    {
      raft_put_entry (body + off, &self->log[prev + i]);
      off += raft_entry_len (&self->log[prev + i]);
    }
  /* Pipelining: the next message carries what follows, unless a rejection says otherwise. */
  self->next_index[f] = prev + count + 1;
  int rc = ctx->api->send (ctx, self->members[f], RAFT_MSG_APPEND, body, len);
  free (body);
  return rc;
}

void
raft_advance_commit (Raft *self, DmasCtx *ctx)
{
  for (uint64_t idx = self->last; idx > self->commit; idx--)
    {
      if (raft_term_at (self, idx) != self->term)
        break; /* only current-term entries commit by counting (Raft §5.4.2) */
      uint32_t count = 0;
      for (uint32_t f = 0; f < self->n; f++)
        count += f == self->self_idx || self->match_index[f] >= idx;
      if (count >= raft_majority (self))
        {
          self->commit = idx;
          raft_apply_committed (self, ctx);
          return;
        }
    }
}

/* Appends one entry with the given decisions in the current term and replicates it. */
static void
leader_append (Raft *self, DmasCtx *ctx, const Decision *d, uint32_t n)
{
  Entry e = { .term = self->term, .n = n, .d = NULL };
  if (n > 0)
    {
      e.d = malloc ((size_t) n * sizeof *e.d);
      if (e.d == NULL)
        {
          dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, entry not appended");
          return;
        }
      memcpy (e.d, d, (size_t) n * sizeof *e.d);
    }
  if (raft_log_append (self, &e) != DMAS_OK)
    {
      free (e.d);
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, entry not appended");
      return;
    }
  for (uint32_t k = 0; k < n; k++)
    {
      Slot *s = raft_slot_lookup (self, d[k].slot.job, d[k].slot.epoch);
      if (s != NULL)
        s->ready = 0;
    }
  raft_persist_entry (self, ctx, self->last);
  raft_persist_meta (self, ctx);
  if (n > 0)
    ctx->api->metric (ctx, "rounds", 1.0);
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx && self->next_index[f] == self->last)
      raft_send_append (self, ctx, f);
  raft_advance_commit (self, ctx); /* a single agent is its own majority */
  raft_heartbeat_arm (self, ctx);
}

void
raft_ready_flush (Raft *self, DmasCtx *ctx)
{
  /* Emptied first, so that the appends below see no ready work left. */
  size_t total = self->n_ready;
  self->n_ready = 0;
  for (size_t done = 0; done < total;)
    {
      uint32_t k = (uint32_t) (total - done < self->batch ? total - done : self->batch);
      leader_append (self, ctx, &self->ready[done], k);
      done += k;
    }
}

void
raft_become_leader (Raft *self, DmasCtx *ctx)
{
  self->role = ROLE_LEADER;
  self->leader = self->self_id;
  if (self->election_timer != 0)
    ctx->api->timer_cancel (ctx, self->election_timer);
  self->election_timer = 0;
  for (uint32_t f = 0; f < self->n; f++)
    {
      self->next_index[f] = self->last + 1;
      self->match_index[f] = 0;
      self->peer_commit[f] = 0;
      self->last_heard[f] = dmas_now (ctx);
    }
  ctx->api->metric (ctx, "elections", 1.0);
  dmas_log (ctx, DMAS_LOG_DEBUG, "raft: leader of term %llu", (unsigned long long) self->term);
  /* The first round of AppendEntries tells everyone who leads (counted as a heartbeat).
   * Entries of earlier terms commit only under a current-term entry (Raft §5.4.2, §8): when
   * there are such entries, that round carries an empty entry. */
  ctx->api->metric (ctx, "heartbeats", 1.0);
  if (self->commit < self->last)
    leader_append (self, ctx, NULL, 0);
  else
    for (uint32_t f = 0; f < self->n; f++)
      if (f != self->self_idx)
        raft_send_append (self, ctx, f);
  /* Our own undecided bids; applying may shrink the pending list, so walk a copy. */
  size_t n_own = self->n_pending;
  Pending *own = n_own > 0 ? malloc (n_own * sizeof *own) : NULL;
  if (n_own > 0 && own == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, own bids not collected");
      n_own = 0;
    }
  if (n_own > 0)
    memcpy (own, self->pending, n_own * sizeof *own);
  for (size_t i = 0; i < n_own && self->role == ROLE_LEADER; i++)
    raft_leader_record_bid (self, ctx, &own[i].slot, &own[i].bid);
  free (own);
  raft_heartbeat_arm (self, ctx);
}

/* --- elections -------------------------------------------------------------------------- */

static void
start_election (Raft *self, DmasCtx *ctx)
{
  self->role = ROLE_CANDIDATE;
  self->leader = DMAS_AGENT_NONE;
  self->term++;
  self->voted_for = self->self_id;
  raft_persist_meta (self, ctx);
  ctx->api->metric (ctx, "terms", 1.0);
  memset (self->votes, 0, self->n);
  self->votes[self->self_idx] = 1;
  self->n_votes = 1;
  if (self->n_votes >= raft_majority (self))
    {
      raft_become_leader (self, ctx);
      return;
    }
  uint8_t body[VOTE_REQ_LEN];
  dmas_put_u64 (body, self->term);
  dmas_put_u64 (body + 8, self->last);
  dmas_put_u64 (body + 16, raft_term_at (self, self->last));
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx)
      ctx->api->send (ctx, self->members[f], RAFT_MSG_VOTE_REQ, body, sizeof body);
  raft_election_arm (self, ctx);
}

/* A follower or candidate watches for a leader while it holds undecided bids of its own, or
 * while an election it heard of has not produced a leader yet (otherwise an agent whose log is
 * too short to win could leave the cluster leaderless). */
static int
needs_leader (const Raft *self)
{
  return self->role != ROLE_LEADER
         && (self->n_pending > 0 || (self->disrupted && self->leader == DMAS_AGENT_NONE));
}

static void
election_fired (DmasCtx *ctx, void *data)
{
  Raft *self = data;
  self->election_timer = 0;
  if (!needs_leader (self))
    return; /* stay quiet until a proposal or an election needs us */
  start_election (self, ctx);
}

/* (Re)starts the election timeout, if this agent needs a leader. */
void
raft_election_arm (Raft *self, DmasCtx *ctx)
{
  if (self->election_timer != 0)
    ctx->api->timer_cancel (ctx, self->election_timer);
  self->election_timer = 0;
  if (!needs_leader (self))
    return;
  DmasTime span = self->election_timeout;
  DmasTime delay = span + (DmasTime) (ctx->api->rng_double (ctx) * (double) span);
  self->election_timer = ctx->api->timer_add (ctx, delay, election_fired, self, NULL);
}
