/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encoding of the controller's messages: dispatch, status report, hello. */
#include "config.h"

#include <dmas/wire.h>

#include "agents/central-private.h"
#include "agents/sched_msg.h"

/* STATUS: incarnation u32 | free u32 | queued u32 | running u32 | used_cores u64 |
 * first_seq u32 | generation u32 | n_held u32 | n_held x job id u64. */
void
dmas_central_encode_status (const CentralStatus *st, const DmasJobId *held, GByteArray *out)
{
  const guint len = CENTRAL_STATUS_LEN + 8u * st->n_held;
  g_byte_array_set_size (out, len);
  guint8 *p = out->data;
  dmas_put_u32 (p + 0, st->incarnation);
  dmas_put_u32 (p + 4, st->free_nodes);
  dmas_put_u32 (p + 8, st->queued);
  dmas_put_u32 (p + 12, st->running);
  dmas_put_u64 (p + 16, st->used_cores);
  dmas_put_u32 (p + 24, st->first_seq);
  dmas_put_u32 (p + 28, st->generation);
  dmas_put_u32 (p + 32, st->n_held);
  for (guint i = 0; i < st->n_held; i++)
    dmas_put_u64 (p + CENTRAL_STATUS_LEN + 8u * i, held[i]);
}

gboolean
dmas_central_decode_status (const guint8 *body, gsize len, CentralStatus *out,
                            const guint8 **held_out)
{
  if (len < CENTRAL_STATUS_LEN)
    return FALSE;
  out->incarnation = dmas_get_u32 (body + 0);
  out->free_nodes = dmas_get_u32 (body + 4);
  out->queued = dmas_get_u32 (body + 8);
  out->running = dmas_get_u32 (body + 12);
  out->used_cores = dmas_get_u64 (body + 16);
  out->first_seq = dmas_get_u32 (body + 24);
  out->generation = dmas_get_u32 (body + 28);
  out->n_held = dmas_get_u32 (body + 32);
  if ((len - CENTRAL_STATUS_LEN) / 8u != out->n_held || (len - CENTRAL_STATUS_LEN) % 8u != 0)
    return FALSE;
  *held_out = body + CENTRAL_STATUS_LEN;
  return TRUE;
}

/* DISPATCH: the announcement layout | seq u32 | generation u32. */
void
dmas_central_encode_dispatch (const DmasJob *job, guint32 seq, guint32 generation,
                              guint8 out[CENTRAL_DISPATCH_LEN])
{
  dmas_sched_encode_announce (job, out);
  dmas_put_u32 (out + DMAS_SCHED_ANNOUNCE_LEN, seq);
  dmas_put_u32 (out + DMAS_SCHED_ANNOUNCE_LEN + 4, generation);
}

gboolean
dmas_central_decode_dispatch (const guint8 *body, gsize len, DmasJob *job, guint32 *seq,
                              guint32 *generation)
{
  if (len != CENTRAL_DISPATCH_LEN
      || !dmas_sched_decode_announce (body, DMAS_SCHED_ANNOUNCE_LEN, job))
    return FALSE;
  *seq = dmas_get_u32 (body + DMAS_SCHED_ANNOUNCE_LEN);
  *generation = dmas_get_u32 (body + DMAS_SCHED_ANNOUNCE_LEN + 4);
  return *seq > 0;
}

/* HELLO and CTL_BEAT: generation u32 | replica u32. */
void
dmas_central_encode_hello (guint32 generation, guint32 replica, guint8 out[CENTRAL_HELLO_LEN])
{
  dmas_put_u32 (out + 0, generation);
  dmas_put_u32 (out + 4, replica);
}

gboolean
dmas_central_decode_hello (const guint8 *body, gsize len, guint32 *generation, guint32 *replica)
{
  if (len != CENTRAL_HELLO_LEN)
    return FALSE;
  *generation = dmas_get_u32 (body + 0);
  *replica = dmas_get_u32 (body + 4);
  return *generation > 0 && *replica < 2;
}
