/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a bidding component built against the next bidding API major. */
#include "abi-plugin.h"

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_BIDDING, "kind-api-major", DMAS_BIDDING_API_MAJOR + 1,
                 DMAS_BIDDING_API_MINOR, &stub_bidding_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("kind-api-major", components);

ABI_DESCRIBE (desc)
