/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a component of a kind no host knows. */
#include "abi-plugin.h"

static const DmasComponent components[] = {
  ABI_COMPONENT ((DmasKind) 99, "unknown-kind", 1, 0, &stub_bidding_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("unknown-kind", components);

ABI_DESCRIBE (desc)
