/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a component name outside [a-z0-9-]. */
#include "abi-plugin.h"

static const DmasComponent components[] = { ABI_BIDDING ("Bad_Name") };
static const DmasPluginDesc desc = ABI_DESC ("bad-name", components);

ABI_DESCRIBE (desc)
