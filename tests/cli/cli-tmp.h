/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tests of tests/cli share: removing the flat temporary directory a test worked in. */
#ifndef DMAS_TESTS_CLI_TMP_H
#define DMAS_TESTS_CLI_TMP_H

#include <glib.h>
#include <glib/gstdio.h>

/* Removes the files of `dir` (no subdirectories are made there), then `dir`. */
static inline void
cli_tmp_remove (const gchar *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

#endif /* DMAS_TESTS_CLI_TMP_H */
