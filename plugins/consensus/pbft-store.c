/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: stable storage (persist the state and log entries, restore them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbft-private.h"

/* --- persistence ------------------------------------------------------------------------ */

void
pbft_persist_state (Pbft *self, DmasCtx *ctx)
{
  uint8_t b[4 + 1 + 8 + 8];
  dmas_put_u32 (b, self->view);
  b[4] = self->active;
  dmas_put_u64 (b + 5, self->last_exec);
  dmas_put_u64 (b + 13, self->max_seq);
  ctx->api->persist (ctx, "state", b, sizeof b);
}

void
pbft_persist_entry (Pbft *self, DmasCtx *ctx, uint64_t seq)
{
  Entry *e = self->log[seq];
  Buf b = { 0 };
  char key[32];
  pbft_buf_u32 (&b, e->executed);
  pbft_buf_u32 (&b, (uint32_t) e->final_len);
  pbft_buf_bytes (&b, e->final, e->final_len);
  pbft_buf_u32 (&b, e->cert_view);
  pbft_buf_u32 (&b, (uint32_t) e->cert_len);
  pbft_buf_bytes (&b, e->cert, e->cert_len);
  snprintf (key, sizeof key, "e%llu", (unsigned long long) seq);
  if (!b.oom)
    ctx->api->persist (ctx, key, b.p, b.len);
  else
    dmas_log (ctx, DMAS_LOG_ERROR, "pbft: out of memory persisting seq %llu",
              (unsigned long long) seq);
  free (b.p);
  pbft_persist_state (self, ctx);
}

int
pbft_restore (Pbft *self, DmasCtx *ctx)
{
  size_t len;
  const uint8_t *st = ctx->api->restore (ctx, "state", &len);
  if (st == NULL)
    return DMAS_OK;
  if (len != 21)
    return DMAS_EINVAL;
  self->view = dmas_get_u32 (st);
  self->active = st[4];
  uint64_t last_exec = dmas_get_u64 (st + 5);
  uint64_t max_seq = dmas_get_u64 (st + 13);
  for (uint64_t seq = 1; seq <= max_seq; seq++)
    {
      char key[32];
      snprintf (key, sizeof key, "e%llu", (unsigned long long) seq);
      const uint8_t *p = ctx->api->restore (ctx, key, &len);
      if (p == NULL)
        continue;
      Rd r = { p, len, 0 };
      uint32_t executed = pbft_rd_u32 (&r);
      uint32_t fl = pbft_rd_u32 (&r);
      const uint8_t *fin = pbft_rd_take (&r, fl);
      uint32_t cv = pbft_rd_u32 (&r);
      uint32_t cl = pbft_rd_u32 (&r);
      const uint8_t *cert = pbft_rd_take (&r, cl);
      Entry *e = pbft_entry_get (self, seq);
      if (r.bad || e == NULL)
        return DMAS_EINVAL;
      e->executed = executed != 0;
      if (fl > 0)
        {
          if ((e->final = malloc (fl)) == NULL)
            return DMAS_ENOMEM;
          memcpy (e->final, fin, fl);
          e->final_len = fl;
        }
      if (cl > 0)
        {
          if ((e->cert = malloc (cl)) == NULL)
            return DMAS_ENOMEM;
          memcpy (e->cert, cert, cl);
          e->cert_len = cl;
          e->cert_view = cv;
        }
      e->view = self->view;
      if (e->executed)
        {
          Decision d[self->batch];
          int count = pbft_batch_check (self, ctx, e->final, e->final_len, d);
          for (int k = 0; k < count; k++)
            {
              Slot *s = pbft_slot_get (self, d[k].job, d[k].epoch);
              if (s == NULL)
                return DMAS_ENOMEM;
              s->decided = 1;
            }
        }
    }
  self->last_exec = last_exec;
  self->seen_seq = max_seq;
  self->next_seq = max_seq + 1;
  const uint8_t *nv = ctx->api->restore (ctx, "nv", &len);
  if (nv != NULL && (self->nv = malloc (len)) != NULL)
    {
      memcpy (self->nv, nv, len);
      self->nv_len = len;
    }
  return DMAS_OK;
}
