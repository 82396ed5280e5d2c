/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The `dmas` subcommands; each parses its own options and returns the process exit status. */
#ifndef DMAS_CLI_H
#define DMAS_CLI_H

#include <glib.h>

#include "config/config.h"
#include "plugin/registry.h"

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand. */
enum {
  DMAS_EXIT_OK = 0,
  DMAS_EXIT_FAILURE = 1,   /* the run failed or found a problem (deadlock, ...) */
  DMAS_EXIT_USAGE = 2,     /* bad command line or config */
  DMAS_EXIT_INTERRUPTED = 130
};

/* Loads the config at `path` (with the --set assignments), scans the plugin search path and
 * resolves the components the config names, writing their parameters (defaults filled) into
 * the config's resolved tree.  On success both outputs are (transfer full). */
gboolean dmas_cli_setup (const gchar *path, const gchar *const *sets, const gchar *plugin_path,
                         DmasConfig **config_out, DmasRegistry **registry_out, GError **error);
/* The exit status for a setup error: 2 for problems in what the user wrote, 1 otherwise. */
int dmas_cli_exit_status (const GError *error);
/* Prints "dmas: MESSAGE" on stderr and returns `status`. */
int dmas_cli_fail (int status, const gchar *fmt, ...) G_GNUC_PRINTF (2, 3);

int dmas_cmd_run (int argc, char **argv);
int dmas_cmd_config (int argc, char **argv);
int dmas_cmd_plugins (int argc, char **argv);
int dmas_cmd_report (int argc, char **argv);
int dmas_cmd_replay (int argc, char **argv);
int dmas_cmd_evaluate (int argc, char **argv);
int dmas_cmd_demo (int argc, char **argv);
int dmas_cmd_check (int argc, char **argv);
int dmas_cmd_setup_env (int argc, char **argv);

G_END_DECLS

#endif /* DMAS_CLI_H */
