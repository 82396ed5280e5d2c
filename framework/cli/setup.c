/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first step of `run` and `config`: the config, the plugins it names, their parameters. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include <gio/gio.h>

#include "agents/faults.h"
#include "cli/cli.h"
#include "config/config.h"
#include "plugin/registry.h"

gboolean
dmas_cli_setup (const gchar *path, const gchar *const *sets, const gchar *plugin_path,
                DmasConfig **config_out, DmasRegistry **registry_out, GError **error)
{
  g_autoptr (DmasConfig) config = dmas_config_load (path, sets, error);
  if (config == NULL)
    return FALSE;

  g_auto (GStrv) dirs = dmas_plugin_search_path (plugin_path, config->plugin_path);
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  /* Failures are kept by the registry: a lookup that misses lists them in its error, and a
   * broken file that is not needed must not stop the run. */
  dmas_registry_scan (registry, (const gchar *const *) dirs, NULL);
  if (!dmas_registry_fill_config (registry, config, error)
      || !dmas_faults_fill_config (registry, config, error))
    return FALSE;

  *config_out = g_steal_pointer (&config);
  *registry_out = g_steal_pointer (&registry);
  return TRUE;
}

int
dmas_cli_exit_status (const GError *error)
{
  /* Problems in what the user gave (config, names, parameters) are usage errors (2); anything
   * else is a failure (1). */
  if (error->domain == DMAS_CONFIG_ERROR)
    return DMAS_EXIT_USAGE;
  if (error->domain == DMAS_PLUGIN_ERROR
      && (error->code == DMAS_PLUGIN_ERROR_NOT_FOUND || error->code == DMAS_PLUGIN_ERROR_PARAMS))
    return DMAS_EXIT_USAGE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return DMAS_EXIT_USAGE;
  return DMAS_EXIT_FAILURE;
}

int
dmas_cli_fail (int status, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "dmas: %s\n", message);
  return status;
}
