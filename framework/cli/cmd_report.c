/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas report`: placeholder until the campaign issue lands; fails clearly. */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int
dmas_cmd_report (int argc, char **argv)
{
  (void) argc;
  (void) argv;
  fprintf (stderr, "dmas: report is not supported yet\n");
  return DMAS_EXIT_USAGE;
}
