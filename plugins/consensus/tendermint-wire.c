/* SPDX-License-Identifier: GPL-3.0-or-later */
/* consensus/tendermint: signing, encoding and sending of BID, PROPOSAL and vote messages. */
#include <stdlib.h>
#include <string.h>

#include "tendermint-private.h"

/* --- sending ------------------------------------------------------------------------------ */

/* What a vote's signature covers: tag, message type, slot, round, kind and value. */
void
tendermint_vote_signed_bytes (uint8_t out[44], uint32_t type, DmasJobId job, uint32_t epoch,
                              int32_t round, VoteKind kind, Value v)
{
  memcpy (out, "tm-vote\0", 8);
  dmas_put_u32 (out + 8, type);
  dmas_put_u64 (out + 12, job);
  dmas_put_u32 (out + 20, epoch);
  dmas_put_u32 (out + 24, (uint32_t) round);
  dmas_put_u32 (out + 28, kind);
  dmas_put_u32 (out + 32, kind == VOTE_VALUE ? v.agent : DMAS_AGENT_NONE);
  dmas_put_double (out + 36, kind == VOTE_VALUE ? v.score : 0.0);
}

void
tendermint_encode_vote (uint8_t body[VOTE_LEN], const Slot *s, int32_t round, VoteKind kind,
                        Value v, DmasAgentId voter, const uint8_t *sig)
{
  dmas_put_u64 (body, s->job);
  dmas_put_u32 (body + 8, s->epoch);
  dmas_put_u32 (body + 12, s->home);
  dmas_put_u32 (body + 16, (uint32_t) round);
  dmas_put_u32 (body + 20, kind);
  dmas_put_u32 (body + 24, kind == VOTE_VALUE ? v.agent : DMAS_AGENT_NONE);
  dmas_put_double (body + 28, kind == VOTE_VALUE ? v.score : 0.0);
  dmas_put_u32 (body + 36, voter);
  if (sig != NULL)
    memcpy (body + 40, sig, DMAS_SIG_SIZE);
  else
    memset (body + 40, 0, DMAS_SIG_SIZE);
}

void
tendermint_send_proposal (DmasCtx *ctx, const Slot *s, int32_t round, int32_t vr, Value v,
                          uint32_t n_ev, const SignedBid *ev)
{
  size_t len = PROPOSAL_HEAD + (size_t) n_ev * EV_LEN;
  uint8_t *body = malloc (len);
  if (body == NULL)
    return; /* as if lost: the others time out */
  dmas_put_u64 (body, s->job);
  dmas_put_u32 (body + 8, s->epoch);
  dmas_put_u32 (body + 12, s->home);
  dmas_put_u32 (body + 16, (uint32_t) round);
  dmas_put_u32 (body + 20, (uint32_t) vr);
  dmas_put_u32 (body + 24, v.agent);
  dmas_put_double (body + 28, v.score);
  dmas_put_u32 (body + 36, n_ev);
  for (uint32_t i = 0; i < n_ev; i++)
    {
      uint8_t *p = body + PROPOSAL_HEAD + (size_t) i * EV_LEN;
      dmas_put_u32 (p, ev[i].agent);
      dmas_put_double (p + 4, ev[i].score);
      memcpy (p + 12, ev[i].sig, DMAS_SIG_SIZE);
    }
  ctx->api->broadcast (ctx, TM_MSG_PROPOSAL, body, len);
  free (body);
}

void
tendermint_send_bid (DmasCtx *ctx, const Slot *s, const SignedBid *b)
{
  uint8_t body[BID_LEN];
  dmas_put_u64 (body, s->job);
  dmas_put_u32 (body + 8, s->epoch);
  dmas_put_u32 (body + 12, s->home);
  dmas_put_u32 (body + 16, b->agent);
  dmas_put_double (body + 20, b->score);
  memcpy (body + 28, b->sig, DMAS_SIG_SIZE);
  ctx->api->broadcast (ctx, TM_MSG_BID, body, sizeof body);
}
