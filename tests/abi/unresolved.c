/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: calls a function that no library defines, so RTLD_NOW must fail. */
#include "abi-plugin.h"

/* Declared, never defined anywhere: the link leaves it undefined (shared modules may). */
extern int dmas_abi_no_such_function (void);

static int
needs_missing (DmasError *err)
{
  (void) err;
  return dmas_abi_no_such_function ();
}

static const DmasComponent components[] = { ABI_BIDDING ("unresolved") };
static const DmasPluginDesc desc = ABI_DESC_FULL (DMAS_PLUGIN_MAGIC, DMAS_ABI_MAJOR,
                                                  DMAS_ABI_MINOR, sizeof (DmasPluginDesc),
                                                  "unresolved", needs_missing, components);

ABI_DESCRIBE (desc)
