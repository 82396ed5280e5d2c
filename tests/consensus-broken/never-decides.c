/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A consensus that talks forever and never decides, built only for tests: a livelock. */
#include <stdlib.h>

#include <dmas/dmas.h>

/* consensus/never-decides: from its first propose on, every agent broadcasts a "round" message
 * every `period` and never calls decide().  The event queue never runs empty, so the deadlock
 * check cannot see it; the stall check (stall_timeout) must end the run with status
 * "stalled".  Never installed (check_LTLIBRARIES). */

enum { NEVER_MSG_ROUND = 1 };

typedef struct {
  DmasTime period;
  int ticking;
  uint64_t round;
} Never;

static void
tick (DmasCtx *ctx, void *data)
{
  Never *self = data;
  uint8_t body[8];
  dmas_put_u64 (body, ++self->round);
  ctx->api->broadcast (ctx, NEVER_MSG_ROUND, body, sizeof body);
  ctx->api->timer_add (ctx, self->period, tick, self, NULL);
}

static void *
never_create (DmasCtx *ctx, DmasError *err)
{
  Never *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  if (ctx->api->param_duration (ctx, "period", &self->period) != DMAS_OK || self->period == 0)
    {
      free (self);
      dmas_error_set (err, DMAS_EINVAL, "period: a duration > 0");
      return NULL;
    }
  return self;
}

static void
never_destroy (void *self)
{
  free (self);
}

static int
never_propose (void *self_, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  Never *self = self_;
  (void) slot;
  (void) bid;
  if (!self->ticking)
    {
      self->ticking = 1;
      ctx->api->timer_add (ctx, self->period, tick, self, NULL);
    }
  return DMAS_OK;
}

static int
never_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                  size_t len)
{
  (void) self;
  (void) ctx;
  (void) src;
  (void) body;
  return type == NEVER_MSG_ROUND && len == 8 ? DMAS_OK : DMAS_EINVAL;
}

static const DmasConsensusOps never_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = never_create,
  .destroy = never_destroy,
  .propose = never_propose,
  .on_message = never_on_message,
  .fault_model = DMAS_FAULT_MODEL_CRASH,
};

static const DmasParamSpec never_params[] = {
  { "period", DMAS_PARAM_DURATION, "1s", "time between two round broadcasts of an agent" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent never_components[] = { {
  .struct_size = sizeof (DmasComponent),
  .kind = DMAS_KIND_CONSENSUS,
  .name = "never-decides",
  .api_major = DMAS_CONSENSUS_API_MAJOR,
  .api_minor = DMAS_CONSENSUS_API_MINOR,
  .ops = &never_ops,
  .summary = "TEST ONLY: broadcasts rounds forever and never decides (a livelock)",
  .params = never_params,
} };

static const DmasPluginDesc never_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "never-decides",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = never_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);
DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &never_desc;
}
