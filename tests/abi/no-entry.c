/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: exports a dmas_plugin_* symbol, but not dmas_plugin_describe. */
#include <dmas/dmas.h>

DMAS_PLUGIN_EXPORT int dmas_plugin_other (void);

DMAS_PLUGIN_EXPORT int
dmas_plugin_other (void)
{
  return 0;
}
