/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plugin search path: command line, environment, YAML, build tree, installed dir. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "plugin/plugin-private.h"

/* Adds `dir` unless it is empty, missing or already listed.  Missing directories are dropped
 * silently because most entries (the installed dir in a build tree, the build tree in an
 * installation) are expected not to exist. */
static void
add_dir (GPtrArray *dirs, const gchar *dir)
{
  g_autofree gchar *canonical = NULL;

  if (dir == NULL || dir[0] == '\0')
    return;
  canonical = g_canonicalize_filename (dir, NULL);
  if (!g_file_test (canonical, G_FILE_TEST_IS_DIR))
    return;
  for (guint i = 0; i < dirs->len; i++)
    if (strcmp (g_ptr_array_index (dirs, i), canonical) == 0)
      return;
  g_ptr_array_add (dirs, g_steal_pointer (&canonical));
}

static void
add_list (GPtrArray *dirs, const gchar *list)
{
  g_auto (GStrv) parts = NULL;

  if (list == NULL)
    return;
  parts = g_strsplit (list, G_SEARCHPATH_SEPARATOR_S, -1);
  for (gsize i = 0; parts[i] != NULL; i++)
    add_dir (dirs, parts[i]);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

/* Every DMAS_ABS_BUILDDIR/plugins/NAME/.libs, sorted: a new plugin folder needs no change here. */
static void
add_build_tree (GPtrArray *dirs)
{
  g_autofree gchar *plugins = g_build_filename (DMAS_ABS_BUILDDIR, "plugins", NULL);
  g_autoptr (GDir) handle = NULL;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const gchar *entry;

  if (!dmas_running_from_build_tree ())
    return;
  handle = g_dir_open (plugins, 0, NULL);
  if (handle == NULL)
    return;
  while ((entry = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (found, g_build_filename (plugins, entry, ".libs", NULL));
  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; i < found->len; i++)
    add_dir (dirs, g_ptr_array_index (found, i));
}

gchar **
dmas_plugin_search_path (const gchar *cli_path, GPtrArray *yaml_path)
{
  GPtrArray *dirs = g_ptr_array_new ();

  add_list (dirs, cli_path);
  add_list (dirs, g_getenv ("DMAS_PLUGIN_PATH"));
  for (guint i = 0; yaml_path != NULL && i < yaml_path->len; i++)
    add_dir (dirs, g_ptr_array_index (yaml_path, i));
  add_build_tree (dirs);
  add_dir (dirs, DMAS_PLUGINDIR);
  g_ptr_array_add (dirs, NULL);
  return (gchar **) g_ptr_array_free (dirs, FALSE);
}
