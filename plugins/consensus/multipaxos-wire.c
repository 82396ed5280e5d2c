/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/multipaxos: encoding and checking of value entries, ballot-only messages. */
#include <math.h>

#include "multipaxos-private.h"

/* --- wire ------------------------------------------------------------------------------- */

void
multipaxos_put_value (uint8_t *p, const Instance *s, const DmasBid *v)
{
  dmas_put_u64 (p, s->job);
  dmas_put_u32 (p + 8, s->epoch);
  dmas_put_u32 (p + 12, s->home);
  dmas_put_u32 (p + 16, v->agent);
  dmas_put_double (p + 20, v->score);
}

/* Returns 0 when the value is not one a correct agent sends. */
int
multipaxos_get_value (const Paxos *self, const uint8_t *p, ValueEntry *e)
{
  uint32_t idx;
  e->job = dmas_get_u64 (p);
  e->epoch = dmas_get_u32 (p + 8);
  e->home = dmas_get_u32 (p + 12);
  e->value = (DmasBid){ .job = e->job, .agent = dmas_get_u32 (p + 16), .reserved = 0,
                        .score = dmas_get_double (p + 20) };
  if (!isfinite (e->value.score))
    return 0;
  if (e->value.agent == DMAS_AGENT_NONE)
    return e->value.score == 0.0;
  return multipaxos_member_index (self, e->value.agent, &idx) && e->value.score >= 0.0;
}

void
multipaxos_send_ballot (DmasCtx *ctx, DmasAgentId to, uint32_t type, Ballot b)
{
  uint8_t body[8];
  dmas_put_u64 (body, b);
  if (to == DMAS_AGENT_NONE)
    ctx->api->broadcast (ctx, type, body, sizeof body);
  else
    ctx->api->send (ctx, to, type, body, sizeof body);
}
