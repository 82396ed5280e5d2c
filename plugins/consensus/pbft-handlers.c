/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: handlers of the incoming messages, one per type. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pbft-private.h"

/* --- message handlers ------------------------------------------------------------------- */

void
pbft_on_bid (Pbft *self, DmasCtx *ctx, uint32_t src, Rd *r)
{
  DmasJobId job = pbft_rd_u64 (r);
  uint32_t epoch = pbft_rd_u32 (r);
  DmasAgentId home = pbft_rd_u32 (r);
  DmasAgentId agent = pbft_rd_u32 (r);
  double score = pbft_rd_f64 (r);
  const uint8_t *sig = pbft_rd_take (r, SIG);
  uint8_t signed_[BID_SIGNED_LEN];
  uint32_t hidx;
  if (r->bad || r->left || agent != self->members[src] || !isfinite (score) || score < 0.0
      || !pbft_member_index (self, home, &hidx))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  pbft_bid_bytes (signed_, job, epoch, agent, score);
  if (!pbft_verify (self, ctx, src, signed_, sizeof signed_, sig))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  Slot *s = pbft_slot_get (self, job, epoch);
  if (s == NULL)
    return;
  if (s->home == DMAS_AGENT_NONE)
    s->home = home;
  pbft_slot_add_bid (self, ctx, s, src, score, sig);
  /* Only a primary soliciting bids sends one to a backup (pbft-resend.c). */
  if (src == pbft_primary_of (self, self->view) && !pbft_is_primary (self))
    pbft_abstain (self, ctx, s);
  pbft_timer_update (self, ctx, 0);
}

void
pbft_on_pre_prepare (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  if (len < 12 + SIG + 4)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  uint32_t view = dmas_get_u32 (body);
  uint64_t seq = dmas_get_u64 (body + 4);
  const uint8_t *sig = body + 12;
  const uint8_t *batch = body + 12 + SIG;
  size_t blen = len - 12 - SIG;
  if (!self->active || view != self->view || src != pbft_primary_of (self, view) || seq == 0
      || seq > self->last_exec + LOG_WINDOW)
    return;
  uint8_t digest[DIGEST], sb[32];
  pbft_digest_of (batch, blen, digest);
  Entry *e = seq < self->log_cap ? self->log[seq] : NULL;
  if (e != NULL && e->view == view && e->has_pp)
    return; /* a duplicate, or equivocation within the view: the first one stands */
  pbft_pp_bytes (sb, view, seq, digest);
  if (!pbft_verify (self, ctx, src, sb, sizeof sb, sig)
      || pbft_batch_check (self, ctx, batch, blen, NULL) < 0)
    {
      ctx->api->metric (ctx, "invalid_evidence", 1.0);
      dmas_log (ctx, DMAS_LOG_WARNING, "pbft: invalid pre-prepare from primary %u (view %u, seq "
                "%llu): starting a view change", self->members[src], view,
                (unsigned long long) seq);
      pbft_start_view_change (self, ctx, self->view + 1);
      return;
    }
  pbft_accept_pre_prepare (self, ctx, seq, batch, blen, digest, sig);
}

void
pbft_on_vote (Pbft *self, DmasCtx *ctx, uint32_t src, uint32_t type, const uint8_t *body,
              size_t len)
{
  if (len != (type == MSG_PREPARE ? PREPARE_LEN : COMMIT_LEN))
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  uint32_t view = dmas_get_u32 (body);
  uint64_t seq = dmas_get_u64 (body + 4);
  const uint8_t *digest = body + 12;
  if (!self->active || view != self->view || seq == 0 || seq > self->last_exec + LOG_WINDOW)
    return;
  if (type == MSG_PREPARE)
    {
      uint8_t sb[36];
      pbft_prep_bytes (sb, view, seq, digest, src);
      if (src == pbft_primary_of (self, view) || !pbft_verify (self, ctx, src, sb, sizeof sb,
                                                               body + 12 + DIGEST))
        {
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
    }
  Entry *e = pbft_entry_get (self, seq);
  if (e == NULL)
    return;
  pbft_entry_enter_view (self, e, view);
  if (seq > self->seen_seq)
    self->seen_seq = seq;
  if (type == MSG_PREPARE)
    {
      if (e->prep_has[src])
        return;
      e->prep_has[src] = 1;
      memcpy (e->prep_d[src], digest, DIGEST);
      memcpy (e->prep_sig[src], body + 12 + DIGEST, SIG);
    }
  else
    {
      if (e->com_has[src])
        return;
      e->com_has[src] = 1;
      memcpy (e->com_d[src], digest, DIGEST);
    }
  pbft_check_progress (self, ctx, seq);
}

void
pbft_on_view_change (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  uint32_t view, replica;
  if (!pbft_vc_check (self, ctx, body, len, &view, &replica) || replica != src)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  if (view < self->view || (view == self->view && self->active))
    {
      /* A replica behind us: the current NEW-VIEW brings it here. */
      if (self->active && self->nv != NULL && pbft_primary_of (self, self->view) == self->me)
        ctx->api->send (ctx, self->members[src], MSG_NEW_VIEW, self->nv, self->nv_len);
      return;
    }
  if (!pbft_vc_store (self, view, replica, body, len))
    return;
  /* f+1 replicas want a higher view: at least one is correct, so join the smallest. */
  uint32_t count = 0, smallest = UINT32_MAX;
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return;
  for (size_t i = 0; i < self->n_vcs; i++)
    if (self->vcs[i].view > self->view && self->vcs[i].replica != self->me)
      {
        if (!who[self->vcs[i].replica])
          count++;
        who[self->vcs[i].replica] = 1;
        if (self->vcs[i].view < smallest)
          smallest = self->vcs[i].view;
      }
  free (who);
  if (count >= self->f + 1 && smallest != UINT32_MAX)
    pbft_start_view_change (self, ctx, smallest);
  if (!self->active && view == self->view && pbft_primary_of (self, view) == self->me)
    pbft_send_new_view (self, ctx);
}

void
pbft_on_new_view (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  Rd r = { body, len, 0 };
  uint32_t view = pbft_rd_u32 (&r);
  uint32_t nvc = pbft_rd_u32 (&r);
  if (r.bad || src != pbft_primary_of (self, view) || view < self->view
      || (view == self->view && self->active) || nvc < self->q || nvc > self->n)
    return;
  const uint8_t *vcs[nvc];
  size_t lens[nvc];
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return;
  for (uint32_t k = 0; k < nvc; k++)
    {
      uint32_t l = pbft_rd_u32 (&r), vv, rep;
      vcs[k] = pbft_rd_take (&r, l);
      lens[k] = l;
      if (r.bad || !pbft_vc_check (self, ctx, vcs[k], l, &vv, &rep) || vv != view || who[rep])
        {
          free (who);
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
      who[rep] = 1;
    }
  free (who);
  uint64_t max_s = pbft_rd_u64 (&r);
  Pick *picks = NULL;
  uint64_t mine = r.bad ? UINT64_MAX : pbft_compute_o (self, ctx, vcs, lens, nvc, &picks);
  if (mine == UINT64_MAX || mine != max_s || r.left != max_s * SIG)
    {
      free (picks);
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  const uint8_t *sigs = r.p;
  for (uint64_t seq = 1; seq <= max_s; seq++)
    {
      uint8_t sb[32];
      pbft_pp_bytes (sb, view, seq, picks[seq].digest);
      if (!pbft_verify (self, ctx, src, sb, sizeof sb, sigs + (seq - 1) * SIG))
        {
          free (picks);
          ctx->api->metric (ctx, "malformed", 1.0);
          return;
        }
    }
  pbft_enter_view (self, ctx, view, picks, max_s, sigs);
  free (picks);
}

void
pbft_on_fetch (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  if (len != 12)
    {
      ctx->api->metric (ctx, "malformed", 1.0);
      return;
    }
  uint64_t from = dmas_get_u64 (body);
  uint32_t view = dmas_get_u32 (body + 8);
  /* The asker is in an older view: the NEW-VIEW that proves the current one brings it here. */
  if (self->active && view < self->view && self->nv != NULL
      && pbft_primary_of (self, self->view) == self->me)
    ctx->api->send (ctx, self->members[src], MSG_NEW_VIEW, self->nv, self->nv_len);
  for (uint64_t seq = from; seq >= 1 && seq <= self->last_exec && seq < from + FETCH_CHUNK;
       seq++)
    {
      Entry *e = self->log[seq];
      if (e == NULL || e->final == NULL)
        continue;
      Buf b = { 0 };
      pbft_buf_u64 (&b, seq);
      pbft_buf_bytes (&b, e->final, e->final_len);
      if (!b.oom)
        ctx->api->send (ctx, self->members[src], MSG_FETCHED, b.p, b.len);
      free (b.p);
    }
}

void
pbft_on_fetched (Pbft *self, DmasCtx *ctx, uint32_t src, const uint8_t *body, size_t len)
{
  if (len < 8)
    return;
  uint64_t seq = dmas_get_u64 (body);
  if (seq <= self->last_exec || seq > self->last_exec + LOG_WINDOW)
    return;
  Entry *e = pbft_entry_get (self, seq);
  if (e == NULL || e->final != NULL)
    return;
  if (e->fetch_has == NULL)
    {
      e->fetch_has = calloc (self->n, 1);
      e->fetch_d = calloc (self->n, DIGEST);
      if (e->fetch_has == NULL || e->fetch_d == NULL)
        return;
    }
  if (e->fetch_has[src])
    return;
  e->fetch_has[src] = 1;
  pbft_digest_of (body + 8, len - 8, e->fetch_d[src]);
  uint32_t same = 0;
  for (uint32_t i = 0; i < self->n; i++)
    same += e->fetch_has[i] && memcmp (e->fetch_d[i], e->fetch_d[src], DIGEST) == 0;
  /* f+1 equal answers include a correct replica's: that batch did commit. */
  if (same < self->f + 1 || pbft_batch_check (self, ctx, body + 8, len - 8, NULL) < 0)
    return;
  e->final = malloc (len - 8 ? len - 8 : 1);
  if (e->final == NULL)
    return;
  memcpy (e->final, body + 8, len - 8);
  e->final_len = len - 8;
  if (seq > self->seen_seq)
    self->seen_seq = seq;
  pbft_execute_ready (self, ctx);
  if (self->last_exec + 1 >= self->fetch_from + FETCH_CHUNK && self->seen_seq > self->last_exec)
    {
      uint8_t b[12];
      self->fetch_from = self->last_exec + 1;
      dmas_put_u64 (b, self->fetch_from);
      dmas_put_u32 (b + 8, self->view);
      ctx->api->broadcast (ctx, MSG_FETCH, b, sizeof b);
    }
}
