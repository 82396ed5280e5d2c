/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: built against the next ABI major. */
#include "abi-plugin.h"

static const DmasComponent components[] = { ABI_BIDDING ("abi-major") };
static const DmasPluginDesc desc = ABI_DESC_FULL (DMAS_PLUGIN_MAGIC, DMAS_ABI_MAJOR + 1, 0,
                                                  sizeof (DmasPluginDesc), "abi-major", NULL,
                                                  components);

ABI_DESCRIBE (desc)
