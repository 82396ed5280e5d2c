/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: built against an ABI minor newer than the host. */
#include "abi-plugin.h"

static const DmasComponent components[] = { ABI_BIDDING ("abi-minor") };
static const DmasPluginDesc desc = ABI_DESC_FULL (DMAS_PLUGIN_MAGIC, DMAS_ABI_MAJOR,
                                                  DMAS_ABI_MINOR + 1, sizeof (DmasPluginDesc),
                                                  "abi-minor", NULL, components);

ABI_DESCRIBE (desc)
