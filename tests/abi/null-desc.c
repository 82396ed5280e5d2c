/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: the entry point returns NULL. */
#include <dmas/dmas.h>

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return NULL;
}
