/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bidding/random: a seeded uniform score among the clusters that can run the job (a baseline). */
#include <stdlib.h>

#include <dmas/dmas.h>

#include "common.h"

/* The score, exactly as implemented:
 *
 *   infeasible (common.h) ⇒ 0, and nothing is drawn
 *   feasible             ⇒ 1 − u,  u = rng_double() uniform in [0, 1), so the score is in (0, 1]
 *
 * u comes from the instance's own host stream ("agent/<id>/bidding", seeded from the run
 * seed), one draw per feasible bid: the same seed gives the same scores, another seed other
 * ones, and no other component's randomness shifts them.  It ignores the cluster's state on
 * purpose: it is the baseline that any placement policy must beat. */

static void *
random_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  void *self = calloc (1, 1);
  if (self == NULL)
    dmas_error_set (err, DMAS_ENOMEM, "random: out of memory");
  return self;
}

static void
random_destroy (void *self)
{
  free (self);
}

static int
random_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
            DmasBid *out, DmasError *err)
{
  (void) self;
  int rc = bid_check_input ("random", job, cluster, err);
  if (rc != DMAS_OK)
    return rc;
  if (!bid_feasible (job, cluster))
    {
      out->score = 0.0;
      return DMAS_OK;
    }
  out->score = bid_final_score (1.0 - ctx->api->rng_double (ctx));
  return DMAS_OK;
}

static const DmasBiddingOps random_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = random_create,
  .destroy = random_destroy,
  .bid = random_bid,
  .job_finished = NULL,
};

static const DmasComponent random_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "random",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &random_ops,
    .summary = "seeded uniform score in (0, 1] for any cluster that fits (a baseline)",
    .params = NULL,
  },
};

static const DmasPluginDesc random_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "random",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = random_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &random_desc;
}
