/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: the descriptor claims to be smaller than the ABI 1.0 layout. */
#include "abi-plugin.h"

static const DmasComponent components[] = { ABI_BIDDING ("desc-size") };
static const DmasPluginDesc desc = ABI_DESC_FULL (DMAS_PLUGIN_MAGIC, DMAS_ABI_MAJOR,
                                                  DMAS_ABI_MINOR, 16, "desc-size", NULL,
                                                  components);

ABI_DESCRIBE (desc)
