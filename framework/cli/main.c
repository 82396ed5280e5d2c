/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point of `dmas`: picks the subcommand and hands it the rest of the command line. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cli/cli.h"

typedef struct {
  const char *name;
  int (*fn) (int argc, char **argv);
  const char *summary;
} DmasCommand;

static const DmasCommand commands[] = {
  { "run", dmas_cmd_run, "run a simulation from a YAML config and write its results" },
  { "config", dmas_cmd_config, "print the resolved config (defaults filled) of a YAML file" },
  { "plugins", dmas_cmd_plugins, "list every plugin component found on the search path" },
  { "report", dmas_cmd_report, "regenerate the tables, statistics, plots and report.html of a campaign" },
  { "replay", dmas_cmd_replay, "rerun one run of a campaign and check its trace digest" },
  { "evaluate", dmas_cmd_evaluate, "run the resilience campaign (configs/paper/resilience.yaml)" },
  { "demo", dmas_cmd_demo, "the fault-tolerance demonstration: LLM agents, PBFT, Byzantine faults" },
  { "check", dmas_cmd_check, "verify the installation: plugins, config, gnuplot, LLM endpoint" },
  { "setup-env", dmas_cmd_setup_env, "write the LLM provider's URL and key to .env (mode 0600)" },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: dmas COMMAND [OPTION...]\n\n"
                "Decentralized HPC job scheduling under faults: simulate, measure, compare.\n\n"
                "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun 'dmas COMMAND --help' for the options of one command.\n"
                "Other options: --help, --version\n");
}

int
main (int argc, char **argv)
{
  /* Character set only: numbers in results must not change with the user's locale. */
  setlocale (LC_CTYPE, "");
  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("dmas %s\n", PACKAGE_VERSION);
      return 0;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].fn (argc - 1, argv + 1);

  fprintf (stderr, "dmas: unknown command '%s'\n", argv[1]);
  print_usage (stderr);
  return 2;
}
