/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas config`: prints the resolved config (every key, defaults filled) of a YAML file. */
#include "config.h"

#include <stdio.h>

#include <glib.h>

#include "cli/cli.h"

int
dmas_cmd_config (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree gchar *plugin_path = NULL;
  const GOptionEntry entries[] = {
    { "plugin-path", 0, 0, G_OPTION_ARG_STRING, &plugin_path,
      "Colon-separated plugin directories, searched first", "DIRS" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a key, e.g. --set network.latency=5ms (repeatable; VALUE is YAML, "
      "e.g. --set 'platform.clusters=[{nodes: 4}]')", "KEY=VALUE" },
    { NULL, 0, 0, G_OPTION_ARG_NONE, NULL, NULL, NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[CONFIG.yaml]");
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = NULL;
  g_autoptr (DmasRegistry) registry = NULL;
  g_autofree gchar *yaml = NULL;

  g_option_context_set_summary (context,
                                "Print the resolved config of CONFIG.yaml: every key in schema "
                                "order with its default filled in,\nafter the --set overrides. "
                                "Without CONFIG, print the built-in defaults.");
  g_option_context_add_main_entries (context, entries, NULL);
  /* The usage line then reads "dmas config [OPTION…]" rather than the shifted argv[0]. */
  g_set_prgname ("dmas config");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dmas: config: %s (see 'dmas config --help')\n", error->message);
      return DMAS_EXIT_USAGE;
    }
  if (argc > 2)
    {
      fprintf (stderr, "dmas: config: one CONFIG file at most, got %d (see 'dmas config "
                       "--help')\n", argc - 1);
      return DMAS_EXIT_USAGE;
    }

  if (!dmas_cli_setup (argc == 2 ? argv[1] : NULL, (const gchar *const *) sets, plugin_path,
                       &config, &registry, &error))
    {
      fprintf (stderr, "dmas: %s\n", error->message);
      return dmas_cli_exit_status (error);
    }
  yaml = dmas_config_to_yaml (config);
  fputs (yaml, stdout);
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      fprintf (stderr, "dmas: config: cannot write the output\n");
      return DMAS_EXIT_FAILURE;
    }
  return DMAS_EXIT_OK;
}
