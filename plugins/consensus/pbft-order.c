/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: request timer, execution and the normal case (bids, PRE-PREPARE, votes). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pbft-private.h"
#include "plausible.h"

/* --- timers ----------------------------------------------------------------------------- */

static void try_flush (Pbft *self, DmasCtx *ctx);

static DmasTime
current_timeout (const Pbft *self)
{
  uint32_t k = self->backoff > 20 ? 20 : self->backoff;
  return self->view_timeout << k;
}

static void
timer_stop (Pbft *self, DmasCtx *ctx)
{
  if (self->timer != 0)
    ctx->api->timer_cancel (ctx, self->timer);
  self->timer = 0;
}

void
pbft_timer_restart (Pbft *self, DmasCtx *ctx)
{
  timer_stop (self, ctx);
  self->timer = ctx->api->timer_add (ctx, current_timeout (self), pbft_view_timer_fired, self,
                                     NULL);
}

/* The request timer runs while something is undecided (or a view change is under way). */
void
pbft_timer_update (Pbft *self, DmasCtx *ctx, int progress)
{
  /* Also while a view change is under way: a replica with nothing to decide has no reason to
   * escalate views on its own (the f+1 rule brings it along when others move). */
  if (self->n_pending == 0)
    timer_stop (self, ctx);
  else if (progress || self->timer == 0)
    pbft_timer_restart (self, ctx);
}

/* --- execution -------------------------------------------------------------------------- */

static void
pending_compact (Pbft *self)
{
  size_t k = 0;
  for (size_t i = 0; i < self->n_pending; i++)
    {
      Slot *s = pbft_slot_find (self, self->pending[i].job, self->pending[i].epoch);
      if (s != NULL && !s->decided)
        self->pending[k++] = self->pending[i];
    }
  self->n_pending = k;
}

void
pbft_execute_ready (Pbft *self, DmasCtx *ctx)
{
  int progress = 0;
  while (self->last_exec + 1 < self->log_cap && self->log[self->last_exec + 1] != NULL)
    {
      uint64_t seq = self->last_exec + 1;
      Entry *e = self->log[seq];
      if (!e->executed && !e->committed && e->final == NULL)
        break;
      if (e->final == NULL)
        {
          e->final = malloc (e->batch_len ? e->batch_len : 1);
          if (e->final == NULL)
            break;
          memcpy (e->final, e->batch, e->batch_len);
          e->final_len = e->batch_len;
        }
      Decision d[self->batch];
      int count = pbft_batch_check (self, ctx, e->final, e->final_len, d);
      if (count < 0)
        {
          /* Only validated batches reach the log; this is memory corruption, not a peer. */
          dmas_log (ctx, DMAS_LOG_ERROR, "pbft: invalid committed batch at seq %llu",
                    (unsigned long long) seq);
          break;
        }
      e->executed = 1;
      self->last_exec = seq;
      progress = 1;
      for (int k = 0; k < count; k++)
        {
          Slot *s = pbft_slot_get (self, d[k].job, d[k].epoch);
          if (s == NULL || s->decided)
            continue;
          s->decided = 1;
          free (s->ev);
          s->ev = NULL;
          DmasSlot ds = { .job = d[k].job, .epoch = d[k].epoch,
                          .home = s->own ? s->home : d[k].home };
          ctx->api->decide (ctx, &ds, &d[k].winner);
        }
      pbft_persist_entry (self, ctx, seq);
    }
  if (progress)
    {
      self->backoff = 0;
      self->fetched = 0;
      pending_compact (self);
      pbft_timer_update (self, ctx, 1);
      try_flush (self, ctx);
    }
}

/* --- normal case ------------------------------------------------------------------------ */

static void
send_commit (Pbft *self, DmasCtx *ctx, uint64_t seq, Entry *e)
{
  uint8_t b[COMMIT_LEN];
  dmas_put_u32 (b, e->view);
  dmas_put_u64 (b + 4, seq);
  memcpy (b + 12, e->digest, DIGEST);
  e->com_has[self->me] = 1;
  memcpy (e->com_d[self->me], e->digest, DIGEST);
  ctx->api->broadcast (ctx, MSG_COMMIT, b, sizeof b);
}

void
pbft_check_progress (Pbft *self, DmasCtx *ctx, uint64_t seq)
{
  Entry *e = self->log[seq];
  if (!e->has_pp)
    return;
  if (!e->prepared)
    {
      uint32_t prim = pbft_primary_of (self, e->view), count = 0;
      for (uint32_t i = 0; i < self->n; i++)
        count += i != prim && e->prep_has[i] && memcmp (e->prep_d[i], e->digest, DIGEST) == 0;
      if (count < 2 * self->f)
        return;
      e->prepared = 1;
      /* The certificate: pre-prepare + 2f prepares, relayable because all are signed. */
      Buf b = { 0 };
      pbft_buf_u32 (&b, e->view);
      pbft_buf_u64 (&b, seq);
      pbft_buf_bytes (&b, e->pp_sig, SIG);
      pbft_buf_u32 (&b, (uint32_t) e->batch_len);
      pbft_buf_bytes (&b, e->batch, e->batch_len);
      pbft_buf_u32 (&b, 2 * self->f);
      uint32_t put = 0;
      for (uint32_t i = 0; i < self->n && put < 2 * self->f; i++)
        if (i != prim && e->prep_has[i] && memcmp (e->prep_d[i], e->digest, DIGEST) == 0)
          {
            pbft_buf_u32 (&b, i);
            pbft_buf_bytes (&b, e->prep_sig[i], SIG);
            put++;
          }
      if (b.oom)
        {
          free (b.p);
          e->prepared = 0;
          return;
        }
      free (e->cert);
      e->cert = b.p;
      e->cert_len = b.len;
      e->cert_view = e->view;
      pbft_persist_entry (self, ctx, seq);
      send_commit (self, ctx, seq, e);
    }
  if (!e->committed)
    {
      uint32_t count = 0;
      for (uint32_t i = 0; i < self->n; i++)
        count += e->com_has[i] && memcmp (e->com_d[i], e->digest, DIGEST) == 0;
      if (count < self->q)
        return;
      e->committed = 1;
      pbft_execute_ready (self, ctx);
    }
}

/* Accepts a pre-prepare for (view, seq) already validated; backups answer with PREPARE. */
void
pbft_accept_pre_prepare (Pbft *self, DmasCtx *ctx, uint64_t seq, const uint8_t *batch,
                         size_t len, const uint8_t *digest, const uint8_t *sig)
{
  Entry *e = pbft_entry_get (self, seq);
  if (e == NULL)
    return;
  pbft_entry_enter_view (self, e, self->view);
  e->batch = malloc (len ? len : 1);
  if (e->batch == NULL)
    return;
  memcpy (e->batch, batch, len);
  e->batch_len = len;
  memcpy (e->digest, digest, DIGEST);
  memcpy (e->pp_sig, sig, SIG);
  e->has_pp = 1;
  if (seq > self->seen_seq)
    self->seen_seq = seq;

  /* Mark the batch's slots as ordered so that this primary does not order them again. */
  Decision d[self->batch];
  int count = pbft_batch_check (self, ctx, batch, len, d);
  for (int k = 0; k < count; k++)
    {
      Slot *s = pbft_slot_get (self, d[k].job, d[k].epoch);
      if (s != NULL)
        {
          s->queued = 1;
          if (s->home == DMAS_AGENT_NONE)
            s->home = d[k].home;
        }
    }

  if (pbft_primary_of (self, self->view) != self->me)
    {
      uint8_t b[PREPARE_LEN], sb[36];
      dmas_put_u32 (b, self->view);
      dmas_put_u64 (b + 4, seq);
      memcpy (b + 12, digest, DIGEST);
      pbft_prep_bytes (sb, self->view, seq, digest, self->me);
      ctx->api->sign (ctx, sb, sizeof sb, b + 12 + DIGEST);
      e->prep_has[self->me] = 1;
      memcpy (e->prep_d[self->me], digest, DIGEST);
      memcpy (e->prep_sig[self->me], b + 12 + DIGEST, SIG);
      ctx->api->broadcast (ctx, MSG_PREPARE, b, sizeof b);
    }
  pbft_check_progress (self, ctx, seq);
}

/* The primary orders what is ready: a full batch, or anything when its pipeline is idle. */
static void
try_flush (Pbft *self, DmasCtx *ctx)
{
  while (pbft_is_primary (self) && self->n_ready > 0
         && (self->n_ready >= self->batch || self->next_seq <= self->last_exec + 1)
         && self->next_seq <= self->last_exec + LOG_WINDOW)
    {
      Buf b = { 0 };
      uint32_t count = 0;
      size_t used = 0;
      pbft_buf_u32 (&b, 0);
      while (used < self->n_ready && count < self->batch)
        {
          Slot *s = pbft_slot_find (self, self->ready[used].job, self->ready[used].epoch);
          used++;
          if (s == NULL || s->decided || s->ev == NULL)
            continue;
          pbft_batch_encode_slot (self, &b, s);
          count++;
        }
      memmove (self->ready, self->ready + used, (self->n_ready - used) * sizeof *self->ready);
      self->n_ready -= used;
      if (b.oom)
        {
          free (b.p);
          dmas_log (ctx, DMAS_LOG_ERROR, "pbft: out of memory building a pre-prepare");
          return;
        }
      if (count == 0)
        {
          free (b.p);
          continue;
        }
      dmas_put_u32 (b.p, count);

      uint64_t seq = self->next_seq++;
      Buf m = { 0 };
      uint8_t digest[DIGEST], sb[32];
      pbft_digest_of (b.p, b.len, digest);
      pbft_pp_bytes (sb, self->view, seq, digest);
      pbft_buf_u32 (&m, self->view);
      pbft_buf_u64 (&m, seq);
      uint8_t *sig = pbft_buf_grow (&m, SIG);
      if (sig)
        ctx->api->sign (ctx, sb, sizeof sb, sig);
      pbft_buf_bytes (&m, b.p, b.len);
      if (!m.oom)
        {
          ctx->api->metric (ctx, "rounds", 1.0);
          ctx->api->broadcast (ctx, MSG_PRE_PREPARE, m.p, m.len);
          pbft_accept_pre_prepare (self, ctx, seq, b.p, b.len, digest, m.p + 12);
        }
      free (m.p);
      free (b.p);
    }
}

static void
slot_check_ready (Pbft *self, DmasCtx *ctx, Slot *s)
{
  if (!pbft_is_primary (self) || s->decided || s->queued || s->ev == NULL)
    return;
  /* Every member answered (a refused liar has answered all it will), or the window is over:
   * with a quorum of evidence either way. */
  if ((s->n_ev + s->n_refused == self->n && s->n_ev >= self->q)
      || (s->window_over && s->n_ev >= self->q))
    {
      s->queued = 1;
      if (pbft_key_push (&self->ready, &self->n_ready, &self->cap_ready, s->job, s->epoch)
          != DMAS_OK)
        {
          s->queued = 0;
          return;
        }
      try_flush (self, ctx);
    }
}

static void
window_fired (DmasCtx *ctx, void *data)
{
  WindowData *w = data;
  Slot *s = pbft_slot_find (w->self, w->job, w->epoch);
  if (s == NULL)
    return;
  s->window = 0;
  s->window_over = 1;
  slot_check_ready (w->self, ctx, s);
  pbft_solicit (w->self, ctx, s);
}

/* Records a signed bid (already verified) for whoever is or will be primary.  An implausible
 * one (plausible.h) never enters the evidence: the primary must not order it as a winner and
 * the backups would reject the batch; its signer is accused (a signed impossible claim). */
void
pbft_slot_add_bid (Pbft *self, DmasCtx *ctx, Slot *s, uint32_t idx, double score,
                   const uint8_t *sig)
{
  if (s->decided)
    return;
  DmasSlot slot = { .job = s->job, .epoch = s->epoch, .home = s->home };
  DmasBid bid = { .job = s->job, .agent = self->members[idx], .reserved = 0, .score = score };
  const int plausible = consensus_bid_plausible (ctx, &slot, &bid, bid.agent);
  if (s->ev == NULL && (s->ev = calloc (self->n, sizeof *s->ev)) == NULL)
    return;
  if (!plausible)
    {
      /* Counted as answered, so the primary need not wait out the window for it. */
      if (!s->ev[idx].has && !s->ev[idx].refused)
        {
          s->ev[idx].refused = 1;
          s->n_refused++;
        }
      if (pbft_is_primary (self))
        slot_check_ready (self, ctx, s);
      return;
    }
  /* A real bid supersedes an abstention while the slot is not ordered yet (pbft-resend.c). */
  if (s->ev[idx].has && s->ev[idx].score == 0.0 && score > 0.0 && !s->queued)
    {
      s->ev[idx].score = score;
      memcpy (s->ev[idx].sig, sig, SIG);
    }
  if (!s->ev[idx].has)
    {
      s->ev[idx].has = 1;
      s->ev[idx].score = score;
      memcpy (s->ev[idx].sig, sig, SIG);
      s->n_ev++;
    }
  if (!pbft_is_primary (self))
    return;
  if (s->window == 0 && !s->window_over)
    {
      WindowData *w = malloc (sizeof *w);
      if (w != NULL)
        {
          *w = (WindowData){ self, s->job, s->epoch };
          s->window = ctx->api->timer_add (ctx, self->bid_window, window_fired, w, free);
        }
    }
  slot_check_ready (self, ctx, s);
}

void
pbft_send_own_bid (Pbft *self, DmasCtx *ctx, Slot *s)
{
  uint32_t prim = pbft_primary_of (self, self->view);
  if (prim == self->me)
    {
      pbft_slot_add_bid (self, ctx, s, self->me, s->own_score, s->own_sig);
      return;
    }
  pbft_send_own_bid_to (self, ctx, s, prim);
}

void
pbft_send_own_bid_to (Pbft *self, DmasCtx *ctx, const Slot *s, uint32_t to)
{
  uint8_t b[BID_MSG_LEN];
  dmas_put_u64 (b, s->job);
  dmas_put_u32 (b + 8, s->epoch);
  dmas_put_u32 (b + 12, s->home);
  dmas_put_u32 (b + 16, self->members[self->me]);
  dmas_put_double (b + 20, s->own_score);
  memcpy (b + 28, s->own_sig, SIG);
  ctx->api->send (ctx, self->members[to], MSG_BID, b, sizeof b);
}

int
pbft_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Pbft *self = self_;
  uint32_t idx;
  if (!pbft_member_index (self, slot->home, &idx) || bid->job != slot->job
      || bid->agent != self->members[self->me] || !isfinite (bid->score) || bid->score < 0.0)
    {
      dmas_log (ctx, DMAS_LOG_ERROR, "pbft: invalid proposal for job %llu epoch %u",
                (unsigned long long) slot->job, slot->epoch);
      return DMAS_EINVAL;
    }
  Slot *s = pbft_slot_get (self, slot->job, slot->epoch);
  if (s == NULL)
    return DMAS_ENOMEM;
  if (s->own && !s->abstained)
    return DMAS_ESTATE;
  int was_pending = s->own;
  s->own = 1;
  s->abstained = 0;
  s->home = slot->home;
  if (s->decided)
    return DMAS_OK; /* decided before our own bidder answered */
  s->own_score = bid->score;
  uint8_t signed_[BID_SIGNED_LEN];
  pbft_bid_bytes (signed_, slot->job, slot->epoch, bid->agent, bid->score);
  int rc = ctx->api->sign (ctx, signed_, sizeof signed_, s->own_sig);
  if (rc != DMAS_OK)
    return rc;
  if (!was_pending
      && pbft_key_push (&self->pending, &self->n_pending, &self->cap_pending, s->job, s->epoch)
             != DMAS_OK)
    return DMAS_ENOMEM;
  if (self->active)
    pbft_send_own_bid (self, ctx, s);
  pbft_timer_update (self, ctx, 0);
  return DMAS_OK;
}
