/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lint test plugin: loads fine but reads the wall clock, which tests/lint must flag. */
#include <time.h>

#include "abi-plugin.h"

static int
wall_clock_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
                DmasBid *out, DmasError *err)
{
  (void) self;
  (void) ctx;
  (void) job;
  (void) cluster;
  (void) err;
  out->score = (double) (time (NULL) % 2);
  return DMAS_OK;
}

static const DmasBiddingOps ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = stub_create,
  .destroy = stub_destroy,
  .bid = wall_clock_bid,
};

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_BIDDING, "uses-time", DMAS_BIDDING_API_MAJOR, DMAS_BIDDING_API_MINOR,
                 &ops),
};
static const DmasPluginDesc desc = ABI_DESC ("uses-time", components);

ABI_DESCRIBE (desc)
