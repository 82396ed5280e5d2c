/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/pbft: byte buffers, digests, signed byte strings and batch encode/check. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pbft-private.h"
#include "plausible.h"

/* --- byte buffers ----------------------------------------------------------------------- */

uint8_t *
pbft_buf_grow (Buf *b, size_t n)
{
  if (b->oom)
    return NULL;
  if (b->len + n > b->cap)
    {
      size_t cap = b->cap ? b->cap : 256;
      while (cap < b->len + n)
        cap *= 2;
      uint8_t *p = realloc (b->p, cap);
      if (p == NULL)
        {
          b->oom = 1;
          return NULL;
        }
      b->p = p;
      b->cap = cap;
    }
  uint8_t *at = b->p + b->len;
  b->len += n;
  return at;
}

void
pbft_buf_u32 (Buf *b, uint32_t v)
{
  uint8_t *p = pbft_buf_grow (b, 4);
  if (p)
    dmas_put_u32 (p, v);
}

void
pbft_buf_u64 (Buf *b, uint64_t v)
{
  uint8_t *p = pbft_buf_grow (b, 8);
  if (p)
    dmas_put_u64 (p, v);
}

static void
buf_f64 (Buf *b, double v)
{
  uint8_t *p = pbft_buf_grow (b, 8);
  if (p)
    dmas_put_double (p, v);
}

void
pbft_buf_bytes (Buf *b, const void *data, size_t n)
{
  uint8_t *p = pbft_buf_grow (b, n);
  if (p && n)
    memcpy (p, data, n);
}

const uint8_t *
pbft_rd_take (Rd *r, size_t n)
{
  if (r->bad || r->left < n)
    {
      r->bad = 1;
      return NULL;
    }
  const uint8_t *at = r->p;
  r->p += n;
  r->left -= n;
  return at;
}

uint32_t
pbft_rd_u32 (Rd *r)
{
  const uint8_t *p = pbft_rd_take (r, 4);
  return p ? dmas_get_u32 (p) : 0;
}

uint64_t
pbft_rd_u64 (Rd *r)
{
  const uint8_t *p = pbft_rd_take (r, 8);
  return p ? dmas_get_u64 (p) : 0;
}

double
pbft_rd_f64 (Rd *r)
{
  const uint8_t *p = pbft_rd_take (r, 8);
  return p ? dmas_get_double (p) : 0.0;
}

void
pbft_digest_of (const uint8_t *data, size_t len, uint8_t out[DIGEST])
{
  uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x9E3779B97F4A7C15ull ^ len;
  for (size_t i = 0; i < len; i++)
    {
      h1 = (h1 ^ data[i]) * 0x100000001b3ull;
      h2 = (h2 + data[i] + 1) * 0xBF58476D1CE4E5B9ull;
      h2 ^= h2 >> 29;
    }
  h2 = (h2 ^ (h2 >> 31)) * 0x94D049BB133111EBull;
  dmas_put_u64 (out, h1);
  dmas_put_u64 (out + 8, h2 ^ (h2 >> 32));
}

void
pbft_bid_bytes (uint8_t out[BID_SIGNED_LEN], DmasJobId job, uint32_t epoch, DmasAgentId agent,
                double score)
{
  dmas_put_u64 (out, job);
  dmas_put_u32 (out + 8, epoch);
  dmas_put_u32 (out + 12, agent);
  dmas_put_double (out + 16, score);
}

void
pbft_pp_bytes (uint8_t out[32], uint32_t view, uint64_t seq, const uint8_t digest[DIGEST])
{
  memcpy (out, "PP\0\0", 4);
  dmas_put_u32 (out + 4, view);
  dmas_put_u64 (out + 8, seq);
  memcpy (out + 16, digest, DIGEST);
}

void
pbft_prep_bytes (uint8_t out[36], uint32_t view, uint64_t seq, const uint8_t digest[DIGEST],
                 uint32_t replica)
{
  memcpy (out, "PR\0\0", 4);
  dmas_put_u32 (out + 4, view);
  dmas_put_u64 (out + 8, seq);
  memcpy (out + 16, digest, DIGEST);
  dmas_put_u32 (out + 32, replica);
}

int
pbft_verify (Pbft *self, DmasCtx *ctx, uint32_t idx, const void *data, size_t len,
             const uint8_t *sig)
{
  return ctx->api->verify (ctx, self->members[idx], data, len, sig) == 1;
}

/* --- batches ---------------------------------------------------------------------------- */

/* Checks a batch: decodable, at most `batch` slots, no slot twice, every slot with >= q
 * distinct valid signed bids and the decision exactly the best of them.  Fills `out` (may be
 * NULL; else room for self->batch entries) and returns the slot count, or -1 when invalid. */
int
pbft_batch_check (Pbft *self, DmasCtx *ctx, const uint8_t *data, size_t len, Decision *out)
{
  Rd r = { data, len, 0 };
  uint32_t count = pbft_rd_u32 (&r);
  if (r.bad || count > self->batch)
    return -1;
  Key seen[count ? count : 1];
  uint8_t *who = calloc (self->n, 1);
  if (who == NULL)
    return -1;
  for (uint32_t k = 0; k < count; k++)
    {
      DmasJobId job = pbft_rd_u64 (&r);
      uint32_t epoch = pbft_rd_u32 (&r);
      DmasAgentId home = pbft_rd_u32 (&r);
      DmasAgentId wagent = pbft_rd_u32 (&r);
      double wscore = pbft_rd_f64 (&r);
      uint32_t n_ev = pbft_rd_u32 (&r);
      if (r.bad || n_ev < self->q || n_ev > self->n)
        goto bad;
      for (uint32_t j = 0; j < k; j++)
        if (seen[j].job == job && seen[j].epoch == epoch)
          goto bad;
      seen[k] = (Key){ job, epoch };
      memset (who, 0, self->n);
      DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
      for (uint32_t j = 0; j < n_ev; j++)
        {
          uint32_t agent = pbft_rd_u32 (&r), idx;
          double score = pbft_rd_f64 (&r);
          const uint8_t *sig = pbft_rd_take (&r, SIG);
          if (r.bad || !pbft_member_index (self, agent, &idx) || who[idx] || !isfinite (score)
              || score < 0.0)
            goto bad;
          who[idx] = 1;
          uint8_t signed_[BID_SIGNED_LEN];
          pbft_bid_bytes (signed_, job, epoch, agent, score);
          if (!pbft_verify (self, ctx, idx, signed_, sizeof signed_, sig))
            goto bad;
          DmasBid b = { .job = job, .agent = agent, .reserved = 0, .score = score };
          if (score > 0.0 && (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best)))
            best = b;
        }
      if (best.agent != wagent || best.score != wscore)
        goto bad;
      /* valid(batch) also asks for a plausible winner: a primary must have left such a bid
       * out of the evidence (pbft_slot_add_bid). */
      DmasSlot ds = { .job = job, .epoch = epoch, .home = home };
      if (!consensus_bid_plausible (ctx, &ds, &best, best.agent))
        goto bad;
      if (out != NULL)
        out[k] = (Decision){ job, epoch, home, best };
    }
  free (who);
  return r.left == 0 ? (int) count : -1;
bad:
  free (who);
  return -1;
}

void
pbft_batch_encode_slot (Pbft *self, Buf *b, const Slot *s)
{
  DmasBid best = { .job = s->job, .agent = DMAS_AGENT_NONE, .reserved = 0, .score = 0.0 };
  for (uint32_t i = 0; i < self->n; i++)
    if (s->ev[i].has && s->ev[i].score > 0.0)
      {
        DmasBid c = { .job = s->job, .agent = self->members[i], .reserved = 0,
                      .score = s->ev[i].score };
        if (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&c, &best))
          best = c;
      }
  pbft_buf_u64 (b, s->job);
  pbft_buf_u32 (b, s->epoch);
  pbft_buf_u32 (b, s->home);
  pbft_buf_u32 (b, best.agent);
  buf_f64 (b, best.score);
  pbft_buf_u32 (b, s->n_ev);
  for (uint32_t i = 0; i < self->n; i++)
    if (s->ev[i].has)
      {
        pbft_buf_u32 (b, self->members[i]);
        buf_f64 (b, s->ev[i].score);
        pbft_buf_bytes (b, s->ev[i].sig, SIG);
      }
}
