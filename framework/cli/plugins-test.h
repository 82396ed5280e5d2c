/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas plugins test PATH.so`: the checks of a plugin's components that work from outside. */
#ifndef DMAS_CLI_PLUGINS_TEST_H
#define DMAS_CLI_PLUGINS_TEST_H

#include <glib.h>

G_BEGIN_DECLS

/* `argv[0]` is "test".  Loads the plugin file named on the command line and checks each of its
 * components with real simulator runs of a small built-in scenario, printing one line per
 * property on stdout: "PASS|FAIL kind/name property (details)".
 * Returns: 0 when every property passed, 1 when one failed or the file does not load, 2 on a
 * usage error. */
int dmas_cmd_plugins_test (int argc, char **argv);

G_END_DECLS

#endif /* DMAS_CLI_PLUGINS_TEST_H */
