/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: the same (kind, name) twice in one plugin. */
#include "abi-plugin.h"

static const DmasComponent components[] = {
  ABI_BIDDING ("twice"),
  ABI_CONSENSUS ("twice"), /* same name, other kind: allowed */
  ABI_BIDDING ("twice"),
};
static const DmasPluginDesc desc = ABI_DESC ("dup-in-file", components);

ABI_DESCRIBE (desc)
