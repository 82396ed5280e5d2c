/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: re-sending what a lossy network lost; abstentions for slots never announced. */
#include <stdlib.h>
#include <string.h>

#include "pbft-private.h"

/* PBFT assumes links that eventually deliver: a real implementation retransmits until the
 * receiver acknowledges.  Here nothing is acknowledged, so each replica re-sends, at the
 * request timer's first expiry of a stretch without progress (pbft_view_timer_fired), the
 * messages of its own that the others may still need: its undecided bids to the primary, the
 * primary's PRE-PREPAREs and everyone's PREPAREs and COMMITs of the unexecuted sequence
 * numbers of the view, or, during a view change, its VIEW-CHANGE.  Without this a single lost
 * bid or pre-prepare could only be recovered by a view change, and under steady loss view
 * changes -- whose messages carry every certificate of the run -- followed each other without
 * end.  Receivers keep the first copy of everything, so re-sending is idempotent.  On a
 * network that loses nothing the timer does not expire while slots progress, and nothing is
 * re-sent.
 *
 * Abstentions.  An agent whose announcement of a slot was lost is never asked to bid, and a
 * primary that holds fewer than q bids waits for ever (every view's primary alike).  So a
 * primary whose bid window is over with fewer than q bids sends its own signed bid (an
 * abstention, score 0, if it has none) to the members it lacks a bid from, again at each
 * re-send; a backup that receives a bid from the primary of its view and never proposed in the
 * slot signs an abstention ("I cannot run a job I do not know") and sends it like a bid.  A
 * real bid (propose() after all) supersedes the abstention wherever the slot is not ordered
 * yet.  With every bid arriving, windows close with all n bids and nobody is asked. */

static void
resend_view_change (Pbft *self, DmasCtx *ctx)
{
  for (size_t i = 0; i < self->n_vcs; i++)
    if (self->vcs[i].view == self->view && self->vcs[i].replica == self->me)
      {
        ctx->api->broadcast (ctx, MSG_VIEW_CHANGE, self->vcs[i].bytes, self->vcs[i].len);
        return;
      }
}

static void
resend_pre_prepare (DmasCtx *ctx, uint64_t seq, const Entry *e)
{
  Buf m = { 0 };
  pbft_buf_u32 (&m, e->view);
  pbft_buf_u64 (&m, seq);
  pbft_buf_bytes (&m, e->pp_sig, SIG);
  pbft_buf_bytes (&m, e->batch, e->batch_len);
  if (!m.oom)
    ctx->api->broadcast (ctx, MSG_PRE_PREPARE, m.p, m.len);
  free (m.p);
}

static void
resend_votes (Pbft *self, DmasCtx *ctx, uint64_t seq, const Entry *e)
{
  if (e->prep_has[self->me])
    {
      uint8_t b[PREPARE_LEN];
      dmas_put_u32 (b, e->view);
      dmas_put_u64 (b + 4, seq);
      memcpy (b + 12, e->prep_d[self->me], DIGEST);
      memcpy (b + 12 + DIGEST, e->prep_sig[self->me], SIG);
      ctx->api->broadcast (ctx, MSG_PREPARE, b, sizeof b);
    }
  if (e->com_has[self->me])
    {
      uint8_t b[COMMIT_LEN];
      dmas_put_u32 (b, e->view);
      dmas_put_u64 (b + 4, seq);
      memcpy (b + 12, e->com_d[self->me], DIGEST);
      ctx->api->broadcast (ctx, MSG_COMMIT, b, sizeof b);
    }
}

void
pbft_abstain (Pbft *self, DmasCtx *ctx, Slot *s)
{
  uint32_t hidx;
  if (s->own || s->decided || !pbft_member_index (self, s->home, &hidx))
    return;
  uint8_t signed_[BID_SIGNED_LEN];
  pbft_bid_bytes (signed_, s->job, s->epoch, self->members[self->me], 0.0);
  if (ctx->api->sign (ctx, signed_, sizeof signed_, s->own_sig) != DMAS_OK)
    return;
  if (pbft_key_push (&self->pending, &self->n_pending, &self->cap_pending, s->job, s->epoch)
      != DMAS_OK)
    return;
  s->own = 1;
  s->abstained = 1;
  s->own_score = 0.0;
  ctx->api->metric (ctx, "abstentions", 1.0);
  if (self->active)
    pbft_send_own_bid (self, ctx, s);
}

void
pbft_solicit (Pbft *self, DmasCtx *ctx, Slot *s)
{
  if (!pbft_is_primary (self) || !self->active || s->decided || s->queued || s->ev == NULL
      || !s->window_over || s->n_ev >= self->q)
    return;
  pbft_abstain (self, ctx, s);
  if (!s->own)
    return;
  for (uint32_t i = 0; i < self->n; i++)
    if (i != self->me && !s->ev[i].has)
      pbft_send_own_bid_to (self, ctx, s, i);
}

void
pbft_resend (Pbft *self, DmasCtx *ctx)
{
  ctx->api->metric (ctx, "retransmissions", 1.0);
  if (!self->active)
    {
      resend_view_change (self, ctx);
      return;
    }
  for (size_t i = 0; i < self->n_pending; i++)
    {
      Slot *s = pbft_slot_find (self, self->pending[i].job, self->pending[i].epoch);
      if (s != NULL && s->own && !s->decided)
        pbft_send_own_bid (self, ctx, s);
    }
  if (pbft_is_primary (self))
    for (size_t i = 0; i < self->cap; i++)
      if (self->slots[i].used)
        pbft_solicit (self, ctx, &self->slots[i]);
  int primary = pbft_is_primary (self);
  uint64_t last = self->max_seq;
  if (last > self->last_exec + LOG_WINDOW)
    last = self->last_exec + LOG_WINDOW;
  for (uint64_t seq = self->last_exec + 1; seq <= last && seq < self->log_cap; seq++)
    {
      const Entry *e = self->log[seq];
      if (e == NULL || e->view != self->view || e->executed)
        continue;
      if (primary && e->has_pp)
        resend_pre_prepare (ctx, seq, e);
      resend_votes (self, ctx, seq, e);
    }
}
