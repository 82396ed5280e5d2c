/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: ops whose struct_size is smaller than the bidding API 1.0 layout. */
#include "abi-plugin.h"

static const DmasBiddingOps small_ops = {
  .struct_size = 8,
  .create = stub_create,
  .destroy = stub_destroy,
  .bid = stub_bid,
};

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_BIDDING, "ops-size", DMAS_BIDDING_API_MAJOR, DMAS_BIDDING_API_MINOR,
                 &small_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("ops-size", components);

ABI_DESCRIBE (desc)
