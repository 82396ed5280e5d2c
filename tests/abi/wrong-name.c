/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: the plugin name differs from the file name. */
#include "abi-plugin.h"

static const DmasComponent components[] = { ABI_BIDDING ("wrong-name") };
static const DmasPluginDesc desc = ABI_DESC ("right-name", components);

ABI_DESCRIBE (desc)
