/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a component of the reserved kind llm. */
#include "abi-plugin.h"

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_LLM, "reserved-kind", 1, 0, &stub_bidding_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("reserved-kind", components);

ABI_DESCRIBE (desc)
