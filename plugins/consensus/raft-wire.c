/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: encoding and decoding of decisions and log entries (little-endian). */
#include <stdlib.h>

#include "raft-private.h"

void
raft_put_decision (uint8_t *p, const Decision *d)
{
  dmas_put_u64 (p, d->slot.job);
  dmas_put_u32 (p + 8, d->slot.epoch);
  dmas_put_u32 (p + 12, d->slot.home);
  dmas_put_u32 (p + 16, d->bid.agent);
  dmas_put_double (p + 20, d->bid.score);
}

void
raft_get_decision (const uint8_t *p, Decision *d)
{
  d->slot.job = dmas_get_u64 (p);
  d->slot.epoch = dmas_get_u32 (p + 8);
  d->slot.home = dmas_get_u32 (p + 12);
  d->bid.job = d->slot.job;
  d->bid.agent = dmas_get_u32 (p + 16);
  d->bid.reserved = 0;
  d->bid.score = dmas_get_double (p + 20);
}

size_t
raft_entry_len (const Entry *e)
{
  return ENTRY_HEADER_LEN + (size_t) e->n * DECISION_LEN;
}

void
raft_put_entry (uint8_t *p, const Entry *e)
{
  dmas_put_u64 (p, e->term);
  dmas_put_u32 (p + 8, e->n);
  for (uint32_t k = 0; k < e->n; k++)
    raft_put_decision (p + ENTRY_HEADER_LEN + (size_t) k * DECISION_LEN, &e->d[k]);
}

/* Parses one entry at p (len bytes left).  Returns its length, or 0 when malformed. */
size_t
raft_get_entry (const uint8_t *p, size_t len, Entry *e)
{
  if (len < ENTRY_HEADER_LEN)
    return 0;
  e->term = dmas_get_u64 (p);
  e->n = dmas_get_u32 (p + 8);
  if (e->n > (len - ENTRY_HEADER_LEN) / DECISION_LEN)
    return 0;
  e->d = NULL;
  if (e->n > 0)
    {
      e->d = malloc ((size_t) e->n * sizeof *e->d);
      if (e->d == NULL)
        return 0;
      for (uint32_t k = 0; k < e->n; k++)
        raft_get_decision (p + ENTRY_HEADER_LEN + (size_t) k * DECISION_LEN, &e->d[k]);
    }
  return raft_entry_len (e);
}
