/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: the descriptor has the wrong magic number. */
#include "abi-plugin.h"

static const DmasComponent components[] = { ABI_BIDDING ("bad-magic") };
static const DmasPluginDesc desc = ABI_DESC_FULL (0xdeadbeefu, DMAS_ABI_MAJOR, DMAS_ABI_MINOR,
                                                  sizeof (DmasPluginDesc), "bad-magic", NULL,
                                                  components);

ABI_DESCRIBE (desc)
