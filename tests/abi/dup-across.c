/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a component name that good-old-minor already provides. */
#include "abi-plugin.h"

static const DmasComponent components[] = { ABI_BIDDING ("old-minor") };
static const DmasPluginDesc desc = ABI_DESC ("dup-across", components);

ABI_DESCRIBE (desc)
