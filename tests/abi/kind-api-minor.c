/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a consensus component built against a newer consensus API minor. */
#include "abi-plugin.h"

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_CONSENSUS, "kind-api-minor", DMAS_CONSENSUS_API_MAJOR,
                 DMAS_CONSENSUS_API_MINOR + 1, &stub_consensus_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("kind-api-minor", components);

ABI_DESCRIBE (desc)
