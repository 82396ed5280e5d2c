/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: stable storage of the acceptor's ballot and instances. */
#include <stdio.h>
#include <stdlib.h>

#include "multipaxos-private.h"

/* --- stable storage --------------------------------------------------------------------- */

void
multipaxos_persist_meta (Paxos *self, DmasCtx *ctx)
{
  uint8_t meta[META_LEN];
  dmas_put_u64 (meta, self->promised);
  dmas_put_u64 (meta + 8, self->max_round);
  dmas_put_u32 (meta + 16, self->n_records);
  if (ctx->api->persist (ctx, "paxos/meta", meta, sizeof meta) != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_ERROR, "multipaxos: persist of the promised ballot failed");
}

void
multipaxos_persist_instance (Paxos *self, DmasCtx *ctx, Instance *s)
{
  int new_record = s->record == UINT32_MAX;
  if (new_record)
    s->record = self->n_records++;
  uint8_t rec[RECORD_LEN];
  multipaxos_put_value (rec, s, &s->acc_value);
  dmas_put_u64 (rec + VALUE_LEN, s->acc_ballot);
  rec[VALUE_LEN + 8] = s->decided;
  char key[48];
  snprintf (key, sizeof key, "paxos/i/%u", s->record);
  if (ctx->api->persist (ctx, key, rec, sizeof rec) != DMAS_OK)
    dmas_log (ctx, DMAS_LOG_ERROR, "multipaxos: persist of instance %s failed", key);
  /* The record exists before the count that makes restore() read it. */
  if (new_record)
    multipaxos_persist_meta (self, ctx);
}

int
multipaxos_restore_state (Paxos *self, DmasCtx *ctx)
{
  size_t len;
  const uint8_t *meta = ctx->api->restore (ctx, "paxos/meta", &len);
  if (meta == NULL)
    return DMAS_OK;
  if (len != META_LEN)
    return DMAS_EINVAL;
  self->fresh = 0;
  self->promised = dmas_get_u64 (meta);
  self->max_round = dmas_get_u64 (meta + 8);
  uint32_t n_records = dmas_get_u32 (meta + 16);
  for (uint32_t k = 0; k < n_records; k++)
    {
      char key[48];
      snprintf (key, sizeof key, "paxos/i/%u", k);
      const uint8_t *rec = ctx->api->restore (ctx, key, &len);
      ValueEntry e;
      if (rec == NULL || len != RECORD_LEN || !multipaxos_get_value (self, rec, &e))
        return DMAS_EINVAL;
      Instance *s = multipaxos_inst_get (self, e.job, e.epoch, e.home);
      if (s == NULL)
        return DMAS_ENOMEM;
      s->record = k;
      s->acc_value = e.value;
      s->acc_ballot = dmas_get_u64 (rec + VALUE_LEN);
      s->decided = rec[VALUE_LEN + 8] != 0;
      if (s->decided)
        {
          free (s->bits);
          s->bits = NULL;
        }
    }
  self->n_records = n_records;
  if (multipaxos_ballot_round (self->promised) > self->max_round)
    self->max_round = multipaxos_ballot_round (self->promised);
  return DMAS_OK;
}
