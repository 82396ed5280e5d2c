/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas evaluate`: the paper's resilience campaign, `dmas run configs/paper/resilience.yaml`. */
#include "config.h"

#include <stdio.h>

#include <glib.h>

#include "cli/cli.h"
#include "config/node.h"

int
dmas_cmd_evaluate (int argc, char **argv)
{
  g_autofree gchar *config = dmas_configs_path ("paper/resilience.yaml");
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--help") == 0 || g_strcmp0 (argv[i], "-h") == 0)
      {
        printf ("Usage: dmas evaluate [RUN OPTION...]\n\n"
                "Runs the resilience campaign %s:\nthe same as 'dmas run %s [RUN OPTION...]' "
                "(see 'dmas run --help').\n", config, config);
        return DMAS_EXIT_OK;
      }
  if (!g_file_test (config, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "dmas: evaluate: the resilience campaign %s does not exist (not "
                       "installed, or not written yet); run a campaign config with 'dmas run "
                       "CONFIG' instead\n", config);
      return DMAS_EXIT_FAILURE;
    }
  /* argv[0] stays (option parsing skips it); the config goes last, after the options. */
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, config);
  g_ptr_array_add (args, NULL);
  return dmas_cmd_run ((int) args->len - 1, (char **) args->pdata);
}
