/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lint test plugin: built without -fvisibility=hidden or the export list, so it leaks a symbol. */
#include "abi-plugin.h"

/* Deliberately not static and without a visibility attribute. */
int abi_exported_helper (void);

int
abi_exported_helper (void)
{
  return 42;
}

static const DmasComponent components[] = { ABI_BIDDING ("exports-extra") };
static const DmasPluginDesc desc = ABI_DESC ("exports-extra", components);

ABI_DESCRIBE (desc)
