/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A deliberately unsafe consensus, built only for tests: proof that the safety checker fires. */
#include <stdlib.h>
#include <string.h>

#include <dmas/dmas.h>

/* consensus/broken-quorum: every agent broadcasts its bid, then, `wait` after its own propose,
 * decides the best bid it has heard of -- no quorum, no leader, no second phase.  With message
 * delays longer than `wait`, or a crash in the middle of a broadcast, agents hear different
 * bids and decide different winners.  It claims the crash fault model so that the tests treat
 * it like a protocol that should be safe; the negative-control test asserts that the checker
 * reports safety_violations > 0 on it.  Never installed (check_LTLIBRARIES). */

enum { BROKEN_MSG_BID = 1 };
#define BODY_LEN 20 /* job u64 | agent u32 | score f64 */

typedef struct {
  DmasJobId job;
  uint32_t epoch;
  int proposed, decided;
  DmasAgentId home;
  DmasBid best;
} Record;

typedef struct {
  DmasTime wait;
  Record *records;
  size_t len, cap;
} Broken;

typedef struct {
  Broken *self;
  DmasJobId job;
  uint32_t epoch;
} Pending;

static Record *
record_of (Broken *self, DmasJobId job, uint32_t epoch)
{
  for (size_t i = 0; i < self->len; i++)
    if (self->records[i].job == job && self->records[i].epoch == epoch)
      return &self->records[i];
  if (self->len == self->cap)
    {
      size_t cap = self->cap ? 2 * self->cap : 16;
      Record *grown = realloc (self->records, cap * sizeof *grown);
      if (grown == NULL)
        return NULL;
      self->records = grown;
      self->cap = cap;
    }
  Record *r = &self->records[self->len++];
  memset (r, 0, sizeof *r);
  r->job = job;
  r->epoch = epoch;
  r->best = (DmasBid){ .job = job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  return r;
}

static void
hear (Record *r, const DmasBid *bid)
{
  if (bid->score > 0.0 && (r->best.agent == DMAS_AGENT_NONE || dmas_bid_better (bid, &r->best)))
    r->best = *bid;
}

static void
decide_now (DmasCtx *ctx, void *data)
{
  Pending *p = data;
  Record *r = record_of (p->self, p->job, p->epoch);
  if (r == NULL || r->decided)
    return;
  r->decided = 1;
  DmasSlot slot = { .job = p->job, .epoch = p->epoch, .home = r->home };
  ctx->api->decide (ctx, &slot, &r->best);
}

static void *
broken_create (DmasCtx *ctx, DmasError *err)
{
  Broken *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  if (ctx->api->param_duration (ctx, "wait", &self->wait) != DMAS_OK)
    {
      free (self);
      dmas_error_set (err, DMAS_EINVAL, "wait: not a duration");
      return NULL;
    }
  return self;
}

static void
broken_destroy (void *self_)
{
  Broken *self = self_;
  free (self->records);
  free (self);
}

static int
broken_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Broken *self = self_;
  Record *r = record_of (self, slot->job, slot->epoch);
  if (r == NULL)
    return DMAS_ENOMEM;
  if (r->proposed)
    return DMAS_OK;
  r->proposed = 1;
  r->home = slot->home;
  hear (r, bid);
  uint8_t body[BODY_LEN + 4];
  dmas_put_u64 (body, slot->job);
  dmas_put_u32 (body + 8, bid->agent);
  dmas_put_double (body + 12, bid->score);
  dmas_put_u32 (body + 20, slot->epoch);
  ctx->api->broadcast (ctx, BROKEN_MSG_BID, body, sizeof body);
  Pending *p = malloc (sizeof *p);
  if (p == NULL)
    return DMAS_ENOMEM;
  *p = (Pending){ .self = self, .job = slot->job, .epoch = slot->epoch };
  ctx->api->timer_add (ctx, self->wait, decide_now, p, free);
  return DMAS_OK;
}

static int
broken_on_message (void *self_, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                   size_t len)
{
  (void) ctx;
  (void) src;
  if (type != BROKEN_MSG_BID || len != BODY_LEN + 4)
    return DMAS_EINVAL;
  const uint8_t *b = body;
  DmasBid bid = { .job = dmas_get_u64 (b), .agent = dmas_get_u32 (b + 8),
                  .score = dmas_get_double (b + 12) };
  Record *r = record_of (self_, bid.job, dmas_get_u32 (b + 20));
  if (r == NULL)
    return DMAS_ENOMEM;
  if (!r->decided)
    hear (r, &bid);
  return DMAS_OK;
}

static const DmasConsensusOps broken_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = broken_create,
  .destroy = broken_destroy,
  .propose = broken_propose,
  .on_message = broken_on_message,
  .fault_model = DMAS_FAULT_MODEL_CRASH,
};

static const DmasParamSpec broken_params[] = {
  { "wait", DMAS_PARAM_DURATION, "1500us", "decide this long after the own propose" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent broken_components[] = { {
  .struct_size = sizeof (DmasComponent),
  .kind = DMAS_KIND_CONSENSUS,
  .name = "broken-quorum",
  .api_major = DMAS_CONSENSUS_API_MAJOR,
  .api_minor = DMAS_CONSENSUS_API_MINOR,
  .ops = &broken_ops,
  .summary = "TEST ONLY: decides without a quorum (negative control of the safety checker)",
  .params = broken_params,
} };

static const DmasPluginDesc broken_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "broken-quorum",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = broken_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);
DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &broken_desc;
}
