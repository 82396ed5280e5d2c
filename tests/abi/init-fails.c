/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: every check passes but init() fails with a message. */
#include "abi-plugin.h"

static int
failing_init (DmasError *err)
{
  return dmas_error_set (err, DMAS_EFAIL, "the frobnicator is missing (install frobnicator)");
}

static const DmasComponent components[] = { ABI_BIDDING ("init-fails") };
static const DmasPluginDesc desc = ABI_DESC_FULL (DMAS_PLUGIN_MAGIC, DMAS_ABI_MAJOR,
                                                  DMAS_ABI_MINOR, sizeof (DmasPluginDesc),
                                                  "init-fails", failing_init, components);

ABI_DESCRIBE (desc)
