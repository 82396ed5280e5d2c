/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test plugin bidding/crashy: bids like a plain fit test, and raises SIGSEGV when crash: true. */
#include <signal.h>
#include <stdlib.h>

#include <dmas/dmas.h>

#include "common.h"

static void *
crashy_create (DmasCtx *ctx, DmasError *err)
{
  int crash = 0;
  int rc = ctx->api->param_bool (ctx, "crash", &crash);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "crashy: cannot read the parameter crash");
      return NULL;
    }
  /* The campaign tests' stand-in for a plugin bug: the whole worker dies on a signal. */
  if (crash)
    raise (SIGSEGV);
  void *self = calloc (1, 1);
  if (self == NULL)
    dmas_error_set (err, DMAS_ENOMEM, "crashy: out of memory");
  return self;
}

static void
crashy_destroy (void *self)
{
  free (self);
}

static int
crashy_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
            DmasBid *out, DmasError *err)
{
  (void) self;
  (void) ctx;
  int rc = bid_check_input ("crashy", job, cluster, err);
  if (rc != DMAS_OK)
    return rc;
  out->score = bid_feasible (job, cluster) ? bid_final_score (1.0) : 0.0;
  return DMAS_OK;
}

static const DmasBiddingOps crashy_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = crashy_create,
  .destroy = crashy_destroy,
  .bid = crashy_bid,
  .job_finished = NULL,
};

static const DmasParamSpec crashy_params[] = {
  { "crash", DMAS_PARAM_BOOL, "false", "raise SIGSEGV when the instance is created" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent crashy_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "crashy",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &crashy_ops,
    .summary = "test bidder: fit or not, and a segfault on demand (crash: true)",
    .params = crashy_params,
  },
};

static const DmasPluginDesc crashy_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "crashy",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = crashy_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &crashy_desc;
}
