/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: the leader's heartbeats and its collection of bids into closed slots. */
#include <stdlib.h>

#include "plausible.h"
#include "raft-private.h"

/* --- heartbeats ------------------------------------------------------------------------- */

/* Followers silent for this many election timeouts are not waited for (down or cut off, and
 * no failure detector says so): without this, a leader would heartbeat a dead agent forever
 * and a finished run would never end.  They catch up at the leader's next busy period. */
#define SILENT_TIMEOUTS 10

static int
leader_busy (const Raft *self, DmasCtx *ctx)
{
  if (self->n_collecting > 0 || self->n_ready > 0 || self->commit < self->last)
    return 1;
  DmasTime now = dmas_now (ctx);
  DmasTime silent = SILENT_TIMEOUTS * self->election_timeout;
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx && !self->suspected[f] && now - self->last_heard[f] < silent
        && (self->match_index[f] < self->last || self->peer_commit[f] < self->commit))
      return 1;
  return 0;
}

static void
heartbeat_fired (DmasCtx *ctx, void *data)
{
  Raft *self = data;
  self->heartbeat_timer = 0;
  if (self->role != ROLE_LEADER)
    return;
  raft_ready_flush (self, ctx);
  if (self->role != ROLE_LEADER)
    return;
  ctx->api->metric (ctx, "heartbeats", 1.0);
  for (uint32_t f = 0; f < self->n; f++)
    if (f != self->self_idx)
      raft_send_append (self, ctx, f);
  raft_heartbeat_arm (self, ctx);
}

/* Keeps the heartbeat running exactly while the leader has work (see Quiescence). */
void
raft_heartbeat_arm (Raft *self, DmasCtx *ctx)
{
  int busy = self->role == ROLE_LEADER && leader_busy (self, ctx);
  if (!busy && self->heartbeat_timer != 0)
    {
      ctx->api->timer_cancel (ctx, self->heartbeat_timer);
      self->heartbeat_timer = 0;
    }
  if (!busy || self->heartbeat_timer != 0)
    return;
  self->heartbeat_timer = ctx->api->timer_add (ctx, self->heartbeat, heartbeat_fired, self, NULL);
}

/* --- bid collection (leader) ------------------------------------------------------------ */

static void
slot_close (Raft *self, DmasCtx *ctx, Slot *s)
{
  if (s->window != 0)
    ctx->api->timer_cancel (ctx, s->window);
  s->window = 0;
  free (s->bidders);
  s->bidders = NULL;
  self->n_collecting--;
  if (self->n_ready == self->ready_cap)
    {
      size_t cap = self->ready_cap ? self->ready_cap * 2 : 16;
      Decision *r = realloc (self->ready, cap * sizeof *r);
      if (r == NULL)
        {
          dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, slot left open");
          return;
        }
      self->ready = r;
      self->ready_cap = cap;
    }
  /* best.agent is DMAS_AGENT_NONE with score 0 when nobody bid > 0: the rejection. */
  self->ready[self->n_ready++] = (Decision){
    .slot = { .job = s->job, .epoch = s->epoch, .home = s->home },
    .bid = s->best,
  };
  s->ready = 1;
  if (self->n_ready >= self->batch)
    raft_ready_flush (self, ctx);
  else
    raft_heartbeat_arm (self, ctx);
}

static void
window_fired (DmasCtx *ctx, void *data)
{
  WindowData *w = data;
  Raft *self = w->self;
  Slot *s = raft_slot_lookup (self, w->job, w->epoch);
  if (s == NULL || s->bidders == NULL || self->role != ROLE_LEADER)
    return;
  s->window = 0;
  slot_close (self, ctx, s);
}

void
raft_leader_record_bid (Raft *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  uint32_t idx;
  if (!raft_member_index (self, bid->agent, &idx))
    return;
  Slot *s = raft_slot_get (self, slot->job, slot->epoch);
  if (s == NULL)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, bid dropped");
      return;
    }
  /* Never close a slot twice: its entry (or its place in the ready list) decides it. */
  if (s->decided || s->ready || s->log_index != 0)
    {
      ctx->api->metric (ctx, "duplicates", 1.0);
      return;
    }
  if (s->bidders == NULL)
    {
      s->bidders = calloc ((self->n + 7) / 8, 1);
      WindowData *w = malloc (sizeof *w);
      if (s->bidders == NULL || w == NULL)
        {
          free (s->bidders);
          s->bidders = NULL;
          free (w);
          dmas_log (ctx, DMAS_LOG_ERROR, "raft: out of memory, bid dropped");
          return;
        }
      s->home = slot->home;
      s->n_bids = 0;
      s->best = (DmasBid){ .job = slot->job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
      self->n_collecting++;
      *w = (WindowData){ self, slot->job, slot->epoch };
      s->window = ctx->api->timer_add (ctx, self->bid_window, window_fired, w, free);
    }
  uint8_t bit = (uint8_t) (1u << (idx % 8));
  if (s->bidders[idx / 8] & bit)
    {
      ctx->api->metric (ctx, "duplicates", 1.0);
      return;
    }
  s->bidders[idx / 8] |= bit;
  s->n_bids++;
  /* The leader never proposes an implausible winner (plausible.h): such a bid counts as this
   * agent's, declined.  A BID's agent is its authenticated sender, so it is accused. */
  if (bid->score > 0.0 && consensus_bid_plausible (ctx, slot, bid, bid->agent)
      && (s->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &s->best)))
    s->best = *bid;
  if (s->n_bids == self->n)
    slot_close (self, ctx, s);
  else
    raft_heartbeat_arm (self, ctx);
}
