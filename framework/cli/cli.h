/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The `dmas` subcommands; each parses its own options and returns the process exit status. */
#ifndef DMAS_CLI_H
#define DMAS_CLI_H

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand. */
enum {
  DMAS_EXIT_OK = 0,
  DMAS_EXIT_FAILURE = 1,   /* the run failed or found a problem (deadlock, ...) */
  DMAS_EXIT_USAGE = 2,     /* bad command line or config */
  DMAS_EXIT_INTERRUPTED = 130
};

int dmas_cmd_run (int argc, char **argv);
int dmas_cmd_config (int argc, char **argv);
int dmas_cmd_plugins (int argc, char **argv);

G_END_DECLS

#endif /* DMAS_CLI_H */
