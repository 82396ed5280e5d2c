/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/raft: stable storage of term, vote, log and lastApplied, and restoring them. */
#include <stdio.h>
#include <stdlib.h>

#include "raft-private.h"

/* --- stable storage --------------------------------------------------------------------- */

int
raft_persist_meta (Raft *self, DmasCtx *ctx)
{
  uint8_t meta[META_LEN];
  dmas_put_u64 (meta, self->term);
  dmas_put_u32 (meta + 8, self->voted_for);
  dmas_put_u64 (meta + 12, self->last);
  dmas_put_u64 (meta + 20, self->applied);
  return ctx->api->persist (ctx, "raft/meta", meta, sizeof meta);
}

int
raft_persist_entry (Raft *self, DmasCtx *ctx, uint64_t index)
{
  const Entry *e = &self->log[index - 1];
  char key[48];
  snprintf (key, sizeof key, "raft/e/%llu", (unsigned long long) index);
  size_t len = raft_entry_len (e);
  uint8_t *buf = malloc (len);
  if (buf == NULL)
    return DMAS_ENOMEM;
  raft_put_entry (buf, e);
  int rc = ctx->api->persist (ctx, key, buf, len);
  free (buf);
  return rc;
}

int
raft_restore_state (Raft *self, DmasCtx *ctx, DmasError *err)
{
  size_t len = 0;
  const uint8_t *meta = ctx->api->restore (ctx, "raft/meta", &len);
  if (meta == NULL)
    return DMAS_OK;
  if (len != META_LEN)
    return dmas_error_set (err, DMAS_EFAIL, "raft: stored meta record has %zu bytes, not %d",
                           len, META_LEN);
  self->term = dmas_get_u64 (meta);
  self->voted_for = dmas_get_u32 (meta + 8);
  uint64_t last = dmas_get_u64 (meta + 12);
  uint64_t applied = dmas_get_u64 (meta + 20);
  for (uint64_t i = 1; i <= last; i++)
    {
      char key[48];
      snprintf (key, sizeof key, "raft/e/%llu", (unsigned long long) i);
      const uint8_t *data = ctx->api->restore (ctx, key, &len);
      Entry e;
      if (data == NULL || raft_get_entry (data, len, &e) != len)
        return dmas_error_set (err, DMAS_EFAIL, "raft: stored log entry %llu is missing or bad",
                               (unsigned long long) i);
      if (raft_log_append (self, &e) != DMAS_OK)
        {
          free (e.d);
          return dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory restoring the log");
        }
    }
  if (applied > last)
    return dmas_error_set (err, DMAS_EFAIL, "raft: stored lastApplied beyond the log");
  /* Applied entries were decided before the crash: remember them, do not decide again. */
  for (uint64_t i = 0; i < applied; i++)
    for (uint32_t k = 0; k < self->log[i].n; k++)
      {
        Slot *s = raft_slot_get (self, self->log[i].d[k].slot.job, self->log[i].d[k].slot.epoch);
        if (s == NULL)
          return dmas_error_set (err, DMAS_ENOMEM, "raft: out of memory restoring the log");
        s->decided = 1;
      }
  self->applied = applied;
  self->commit = applied;
  return DMAS_OK;
}
