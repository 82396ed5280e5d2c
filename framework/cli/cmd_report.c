/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas report DIR`: regenerates a campaign's tables, statistics, plots and page. */
#include "config.h"

#include <stdio.h>

#include <gio/gio.h>

#include "cli/cli.h"
#include "report/report.h"

int
dmas_cmd_report (int argc, char **argv)
{
  gboolean no_table = FALSE;
  const GOptionEntry entries[] = {
    { "no-table", 0, 0, G_OPTION_ARG_NONE, &no_table,
      "Do not print the comparison table on stdout", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DIR");
  g_autoptr (GError) error = NULL;

  g_set_prgname ("dmas report");
  g_option_context_set_summary (
      context, "Reads the campaign result directory DIR (campaign.json and runs/) and\n"
               "rewrites runs.jsonl, summary.csv, stats.json, the predecessor-compatible\n"
               "JSON files, plots/ and report.html from the stored runs, then prints the\n"
               "compact comparison table.  Runs not finished yet are reported as missing.");
  g_option_context_set_description (
      context, "Exit status: 0 on success, 1 when a file could not be read or written,\n"
               "2 on a usage error or when DIR is not a campaign result directory.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dmas report: %s\n", error->message);
      return DMAS_EXIT_USAGE;
    }
  if (argc != 2)
    {
      fprintf (stderr, "dmas report: %s (usage: dmas report DIR; see dmas report --help)\n",
               argc < 2 ? "missing the result directory" : "too many arguments");
      return DMAS_EXIT_USAGE;
    }
  const gchar *dir = argv[1];
  if (!dmas_report_generate (dir, &error)
      || (!no_table && !dmas_report_print_table (dir, stdout, &error)))
    {
      fprintf (stderr, "dmas report: %s\n", error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ? DMAS_EXIT_USAGE
                                                                        : DMAS_EXIT_FAILURE;
    }
  g_autofree gchar *page = g_build_filename (dir, "report.html", NULL);
  printf ("report: %s\n", page);
  return DMAS_EXIT_OK;
}
