/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas config`: prints the resolved config (every key, defaults filled) of a YAML file. */
#include "config.h"

#include <stdio.h>

#include <glib.h>

#include "campaign/campaign.h"
#include "cli/cli.h"

/* A campaign: the base config resolved with the campaign keys after it, or (--plan) one line
 * per run: id, seed, world_seed. */
static int
print_campaign (DmasNode *root, const gchar *source, const gchar *plugin_path, gboolean plan)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasCampaign) campaign = dmas_campaign_new (root, source, plugin_path, &error);
  if (campaign == NULL)
    {
      fprintf (stderr, "dmas: %s\n", error->message);
      return dmas_cli_exit_status (error);
    }
  if (!plan)
    {
      g_autofree gchar *yaml = dmas_campaign_to_yaml (campaign);
      fputs (yaml, stdout);
      return DMAS_EXIT_OK;
    }
  printf ("# %u runs: id seed world_seed\n", campaign->runs->len);
  for (guint i = 0; i < campaign->runs->len; i++)
    {
      const DmasCampaignRun *run = g_ptr_array_index (campaign->runs, i);
      printf ("%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n", run->id, run->seed,
              run->world_seed);
    }
  return DMAS_EXIT_OK;
}

int
dmas_cmd_config (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree gchar *plugin_path = NULL;
  gboolean plan = FALSE;
  const GOptionEntry entries[] = {
    { "plan", 0, 0, G_OPTION_ARG_NONE, &plan,
      "For a campaign: list its runs (id, seed, world_seed) instead", NULL },
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
                                "Without CONFIG, print the built-in defaults.\nFor a campaign "
                                "(sweep: or repetitions:), the base config followed by the "
                                "campaign keys.");
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

  if (argc == 2)
    {
      /* --set applies to the raw tree first, as in `dmas run`: it can make a campaign. */
      g_autoptr (DmasNode) root = dmas_campaign_load_raw (argv[1], (const gchar *const *) sets,
                                                          &error);
      if (root == NULL)
        {
          fprintf (stderr, "dmas: %s\n", error->message);
          return dmas_cli_exit_status (error);
        }
      if (dmas_campaign_is_campaign (root))
        return print_campaign (g_steal_pointer (&root), argv[1], plugin_path, plan);
    }
  if (plan)
    {
      fprintf (stderr, "dmas: config: --plan lists the runs of a campaign; %s has no sweep: "
                       "and no repetitions:\n", argc == 2 ? argv[1] : "the built-in config");
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
