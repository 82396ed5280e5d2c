/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a component whose struct_size is smaller than the ABI 1.0 layout. */
#include "abi-plugin.h"

static const DmasComponent components[] = {
  {
    .struct_size = 8,
    .kind = DMAS_KIND_BIDDING,
    .name = "comp-size",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &stub_bidding_ops,
  },
};
static const DmasPluginDesc desc = ABI_DESC ("comp-size", components);

ABI_DESCRIBE (desc)
