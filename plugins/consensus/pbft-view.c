/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: view change (certificates, VIEW-CHANGE, NEW-VIEW and its O). */
#include <stdlib.h>
#include <string.h>

#include "pbft-private.h"

/* --- view change ------------------------------------------------------------------------ */

/* Validates a prepared certificate; returns its seq (0 when invalid) and fills the parts. */
static uint64_t
cert_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, uint32_t *view_out,
            const uint8_t **batch_out, size_t *blen_out, uint8_t digest[DIGEST])
{
  Rd r = { data, len, 0 };
  uint32_t view = pbft_rd_u32 (&r);
  uint64_t seq = pbft_rd_u64 (&r);
  const uint8_t *ppsig = pbft_rd_take (&r, SIG);
  uint32_t blen = pbft_rd_u32 (&r);
  const uint8_t *batch = pbft_rd_take (&r, blen);
  uint32_t np = pbft_rd_u32 (&r);
  if (r.bad || seq == 0 || np != 2 * self->f)
    return 0;
  pbft_digest_of (batch, blen, digest);
  uint8_t sb[36];
  pbft_pp_bytes (sb, view, seq, digest);
  uint32_t prim = pbft_primary_of (self, view);
  if (!pbft_verify (self, ctx, prim, sb, 32, ppsig))
    return 0;
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return 0;
  for (uint32_t k = 0; k < np; k++)
    {
      uint32_t idx = pbft_rd_u32 (&r);
      const uint8_t *sig = pbft_rd_take (&r, SIG);
      if (r.bad || idx >= self->n || idx == prim || who[idx])
        {
          free (who);
          return 0;
        }
      who[idx] = 1;
      pbft_prep_bytes (sb, view, seq, digest, idx);
      if (!pbft_verify (self, ctx, idx, sb, sizeof sb, sig))
        {
          free (who);
          return 0;
        }
    }
  free (who);
  if (r.left != 0 || pbft_batch_check (self, ctx, batch, blen, NULL) < 0)
    return 0;
  *view_out = view;
  *batch_out = batch;
  *blen_out = blen;
  return seq;
}

/* Validates a VIEW-CHANGE (payload || sig); returns 1 with its view and replica. */
int
pbft_vc_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, uint32_t *view,
               uint32_t *replica)
{
  if (len < 16 + SIG || memcmp (data, "VC\0\0", 4) != 0)
    return 0;
  Rd r = { data + 4, len - 4 - SIG, 0 };
  *view = pbft_rd_u32 (&r);
  *replica = pbft_rd_u32 (&r);
  uint32_t nc = pbft_rd_u32 (&r);
  if (r.bad || *replica >= self->n
      || !pbft_verify (self, ctx, *replica, data, len - SIG, data + len - SIG))
    return 0;
  for (uint32_t k = 0; k < nc; k++)
    {
      uint32_t cl = pbft_rd_u32 (&r);
      const uint8_t *c = pbft_rd_take (&r, cl);
      uint32_t cv;
      const uint8_t *bb;
      size_t bl;
      uint8_t d[DIGEST];
      if (r.bad || cert_check (self, ctx, c, cl, &cv, &bb, &bl, d) == 0 || cv >= *view)
        return 0;
    }
  return r.left == 0;
}

static const uint8_t empty_batch[4] = { 0, 0, 0, 0 };

/* O of a NEW-VIEW: per seq, the batch of the certificate with the highest view (ties by
 * digest, so every replica computes the same O), the empty batch where none.  `picks` has
 * room for max_seq + 1 entries; returns max_seq, or UINT64_MAX on failure. */
uint64_t
pbft_compute_o (Pbft *self, DmasCtx *ctx, const uint8_t *const *vcs, const size_t *lens,
                uint32_t nvc, Pick **picks_out)
{
  uint64_t max_s = 0;
  Pick *picks = NULL;
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          picks = calloc (max_s + 1, sizeof *picks);
          if (picks == NULL)
            return UINT64_MAX;
        }
      for (uint32_t v = 0; v < nvc; v++)
        {
          Rd r = { vcs[v] + 16, lens[v] - 16 - SIG, 0 };
          uint32_t nc = dmas_get_u32 (vcs[v] + 12);
          for (uint32_t k = 0; k < nc; k++)
            {
              uint32_t cl = pbft_rd_u32 (&r);
              const uint8_t *c = pbft_rd_take (&r, cl);
              Pick p;
              uint64_t seq = r.bad ? 0
                                   : cert_check (self, ctx, c, cl, &p.view, &p.batch, &p.len,
                                                 p.digest);
              if (seq == 0)
                {
                  free (picks);
                  return UINT64_MAX;
                }
              if (pass == 0)
                max_s = seq > max_s ? seq : max_s;
              else if (picks[seq].batch == NULL || p.view > picks[seq].view
                       || (p.view == picks[seq].view
                           && memcmp (p.digest, picks[seq].digest, DIGEST) > 0))
                picks[seq] = p;
            }
        }
    }
  for (uint64_t s = 1; s <= max_s; s++)
    if (picks[s].batch == NULL)
      {
        picks[s].batch = empty_batch;
        picks[s].len = sizeof empty_batch;
        pbft_digest_of (empty_batch, sizeof empty_batch, picks[s].digest);
      }
  *picks_out = picks;
  return max_s;
}

/* Enters `view` with O: every seq re-issued, then the bids go to the new primary again. */
void
pbft_enter_view (Pbft *self, DmasCtx *ctx, uint32_t view, const Pick *picks, uint64_t max_s,
                 const uint8_t *sigs)
{
  dmas_log (ctx, DMAS_LOG_DEBUG, "pbft: entering view %u with %llu re-issued", view,
            (unsigned long long) max_s);
  self->view = view;
  self->active = 1;
  self->seen_seq = max_s;
  self->next_seq = max_s + 1;
  self->n_ready = 0;
  /* Nothing is ordered in the new view but O: the new primary orders the rest again. */
  for (size_t i = 0; i < self->cap; i++)
    {
      Slot *s = &self->slots[i];
      if (!s->used || s->decided)
        continue;
      s->queued = 0;
      s->window_over = 0;
      if (s->window != 0)
        ctx->api->timer_cancel (ctx, s->window);
      s->window = 0;
    }
  pbft_persist_state (self, ctx);
  for (uint64_t seq = 1; seq <= max_s; seq++)
    pbft_accept_pre_prepare (self, ctx, seq, picks[seq].batch, picks[seq].len, picks[seq].digest,
                             sigs + (seq - 1) * SIG);
  for (size_t i = 0; i < self->n_pending; i++)
    {
      Slot *s = pbft_slot_find (self, self->pending[i].job, self->pending[i].epoch);
      if (s != NULL && !s->decided)
        pbft_send_own_bid (self, ctx, s);
    }
  /* Last: `picks` may point into the stored view changes. */
  for (size_t i = 0; i < self->n_vcs;)
    if (self->vcs[i].view <= view)
      {
        free (self->vcs[i].bytes);
        self->vcs[i] = self->vcs[--self->n_vcs];
      }
    else
      i++;
  pbft_timer_update (self, ctx, 1);
  pbft_execute_ready (self, ctx);
}

void
pbft_send_new_view (Pbft *self, DmasCtx *ctx)
{
  const uint8_t *vcs[self->q];
  size_t lens[self->q];
  uint32_t got = 0;
  for (size_t i = 0; i < self->n_vcs && got < self->q; i++)
    if (self->vcs[i].view == self->view)
      {
        vcs[got] = self->vcs[i].bytes;
        lens[got++] = self->vcs[i].len;
      }
  if (got < self->q)
    return;
  Pick *picks = NULL;
  uint64_t max_s = pbft_compute_o (self, ctx, vcs, lens, got, &picks);
  if (max_s == UINT64_MAX)
    return;
  Buf b = { 0 };
  pbft_buf_u32 (&b, self->view);
  pbft_buf_u32 (&b, got);
  for (uint32_t k = 0; k < got; k++)
    {
      pbft_buf_u32 (&b, (uint32_t) lens[k]);
      pbft_buf_bytes (&b, vcs[k], lens[k]);
    }
  pbft_buf_u64 (&b, max_s);
  size_t sig_at = b.len;
  for (uint64_t seq = 1; seq <= max_s; seq++)
    {
      uint8_t sb[32];
      pbft_pp_bytes (sb, self->view, seq, picks[seq].digest);
      uint8_t *sig = pbft_buf_grow (&b, SIG);
      if (sig)
        ctx->api->sign (ctx, sb, sizeof sb, sig);
    }
  if (b.oom)
    {
      free (b.p);
      free (picks);
      return;
    }
  ctx->api->metric (ctx, "view_changes", 1.0);
  ctx->api->metric (ctx, "rounds", (double) max_s);
  ctx->api->broadcast (ctx, MSG_NEW_VIEW, b.p, b.len);
  free (self->nv);
  self->nv = b.p;
  self->nv_len = b.len;
  ctx->api->persist (ctx, "nv", b.p, b.len);
  pbft_enter_view (self, ctx, self->view, picks, max_s, self->nv + sig_at);
  free (picks);
}

int
pbft_vc_store (Pbft *self, uint32_t view, uint32_t replica, const uint8_t *data, size_t len)
{
  for (size_t i = 0; i < self->n_vcs; i++)
    if (self->vcs[i].view == view && self->vcs[i].replica == replica)
      return 0;
  if (self->n_vcs == self->cap_vcs)
    {
      size_t c = self->cap_vcs ? self->cap_vcs * 2 : 16;
      Vc *p = realloc (self->vcs, c * sizeof *p);
      if (p == NULL)
        return 0;
      self->vcs = p;
      self->cap_vcs = c;
    }
  uint8_t *copy = malloc (len);
  if (copy == NULL)
    return 0;
  memcpy (copy, data, len);
  self->vcs[self->n_vcs++] = (Vc){ view, replica, copy, len };
  return 1;
}

void
pbft_start_view_change (Pbft *self, DmasCtx *ctx, uint32_t view)
{
  if (view < self->view || (view == self->view && !self->active) )
    return;
  self->view = view;
  self->active = 0;
  self->backoff++;
  dmas_log (ctx, DMAS_LOG_DEBUG, "pbft: view change to %u (last executed %llu)", view,
            (unsigned long long) self->last_exec);
  Buf b = { 0 };
  pbft_buf_bytes (&b, "VC\0\0", 4);
  pbft_buf_u32 (&b, view);
  pbft_buf_u32 (&b, self->me);
  uint32_t nc = 0;
  pbft_buf_u32 (&b, 0);
  for (uint64_t seq = 1; seq <= self->max_seq && seq < self->log_cap; seq++)
    {
      Entry *e = self->log[seq];
      if (e != NULL && e->cert != NULL)
        {
          pbft_buf_u32 (&b, (uint32_t) e->cert_len);
          pbft_buf_bytes (&b, e->cert, e->cert_len);
          nc++;
        }
    }
  uint8_t *sig = pbft_buf_grow (&b, SIG);
  if (b.oom)
    {
      free (b.p);
      dmas_log (ctx, DMAS_LOG_ERROR, "pbft: out of memory building a view change");
      return;
    }
  dmas_put_u32 (b.p + 12, nc);
  ctx->api->sign (ctx, b.p, b.len - SIG, sig);
  pbft_persist_state (self, ctx);
  pbft_timer_restart (self, ctx);
  pbft_vc_store (self, view, self->me, b.p, b.len);
  ctx->api->broadcast (ctx, MSG_VIEW_CHANGE, b.p, b.len);
  free (b.p);
  if (pbft_primary_of (self, view) == self->me)
    pbft_send_new_view (self, ctx);
}

void
pbft_view_timer_fired (DmasCtx *ctx, void *data)
{
  Pbft *self = data;
  self->timer = 0;
  if (!self->fetched)
    {
      /* Maybe behind rather than stuck (a restarted replica, lost commits): ask for the
       * committed batches, and thereby for the current view, before suspecting the primary. */
      uint8_t b[12];
      self->fetched = 1;
      pbft_resend (self, ctx);
      self->fetch_from = self->last_exec + 1;
      dmas_put_u64 (b, self->fetch_from);
      dmas_put_u32 (b + 8, self->view);
      ctx->api->metric (ctx, "fetches", 1.0);
      ctx->api->broadcast (ctx, MSG_FETCH, b, sizeof b);
      pbft_timer_restart (self, ctx);
      return;
    }
  self->fetched = 0; /* the next expiry asks again: answers may have been lost */
  pbft_start_view_change (self, ctx, self->view + 1);
}
