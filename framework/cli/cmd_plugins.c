/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas plugins`: lists every component on the search path without creating instances. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cli/cli.h"
#include "cli/plugins-test.h"
#include "plugin/registry.h"

typedef struct {
  gchar *key;        /* kind/name */
  const DmasComponentInfo *info;
} Row;

static void
print_params (const DmasComponentInfo *info)
{
  gsize name_width = 0, type_width = 0;

  for (guint i = 0; info->params[i].name != NULL; i++)
    {
      const DmasParamSpec *spec = &info->params[i];
      name_width = MAX (name_width, strlen (spec->name));
      type_width = MAX (type_width, strlen (dmas_param_type_to_string (spec->type)));
    }
  if (info->params[0].name == NULL)
    {
      printf ("    (no parameters)\n");
      return;
    }
  /* The loader refused unknown types, so every type has a name here. */
  for (guint i = 0; info->params[i].name != NULL; i++)
    {
      const DmasParamSpec *spec = &info->params[i];
      g_autofree gchar *value = g_strdup_printf ("\"%s\"", spec->default_value);
      printf ("    %-*s  %-*s  default %-8s  %s\n", (int) name_width, spec->name,
              (int) type_width, dmas_param_type_to_string (spec->type),
              spec->type == DMAS_PARAM_STRING ? value : spec->default_value,
              spec->doc != NULL ? spec->doc : "");
    }
}

/* Columns are aligned over all rows so the listing reads as a table and still splits on
 * runs of spaces. */
static void
print_table (GPtrArray *list, gboolean with_params)
{
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  gsize key_width = 0, version_width = 0, summary_width = 0;

  for (guint i = 0; i < list->len; i++)
    {
      Row row;
      row.info = g_ptr_array_index (list, i);
      row.key = g_strdup_printf ("%s/%s", dmas_kind_to_string (row.info->kind), row.info->name);
      key_width = MAX (key_width, strlen (row.key));
      version_width = MAX (version_width, strlen (row.info->version));
      summary_width = MAX (summary_width, strlen (row.info->summary));
      g_array_append_val (rows, row);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      printf ("%-*s  %-*s  %-*s  %s\n", (int) key_width, row->key, (int) version_width,
              row->info->version, (int) summary_width, row->info->summary, row->info->file);
      if (with_params)
        print_params (row->info);
      g_free (row->key);
    }
}

int
dmas_cmd_plugins (int argc, char **argv)
{
  g_autofree gchar *plugin_path = NULL;
  gboolean with_params = FALSE;
  const GOptionEntry entries[] = {
    { "plugin-path", 0, 0, G_OPTION_ARG_STRING, &plugin_path,
      "Search these directories first (colon-separated)", "DIRS" },
    { "params", 0, 0, G_OPTION_ARG_NONE, &with_params,
      "Also list each component's parameters with their types, defaults and docs", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autofree gchar *description = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasRegistry) registry = NULL;
  g_autoptr (GPtrArray) failures = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_auto (GStrv) dirs = NULL;

  /* `dmas plugins test PATH.so` checks one file (cli/plugins-test.c); everything else lists. */
  if (argc > 1 && strcmp (argv[1], "test") == 0)
    return dmas_cmd_plugins_test (argc - 1, argv + 1);

  g_set_prgname ("dmas plugins");
  g_option_context_set_summary (
      context, "Lists every plugin component found on the search path, one per line:\n"
               "kind/name, version, summary and file, sorted by kind and name.  Plugins are\n"
               "loaded and checked, but no component instance is created.");
  description = g_strdup_printf (
      "Search path, first match wins: --plugin-path, $DMAS_PLUGIN_PATH, the build\n"
      "tree's plugins/*/.libs (when dmas runs from its build tree), then\n"
      "%s.  Directories that do not exist are skipped.\n\n"
      "Files that fail to load are reported on stderr with the reason.\n"
      "'dmas plugins test PATH.so' checks the components of one plugin file through\n"
      "simulator runs (see dmas plugins test --help).\n"
      "Exit status: 0 when at least one component was found (even if some files\n"
      "failed to load), 1 when none was found, 2 on a usage error.\n", DMAS_PLUGINDIR);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dmas plugins: %s\n", error->message);
      return DMAS_EXIT_USAGE;
    }
  if (argc > 1)
    {
      fprintf (stderr, "dmas plugins: unexpected argument '%s' (see dmas plugins --help)\n",
               argv[1]);
      return DMAS_EXIT_USAGE;
    }

  dirs = dmas_plugin_search_path (plugin_path, NULL);
  registry = dmas_registry_new ();
  failures = g_ptr_array_new_with_free_func (g_free);
  dmas_registry_scan (registry, (const gchar *const *) dirs, failures);
  list = dmas_registry_list (registry);

  print_table (list, with_params);
  fflush (stdout);
  for (guint i = 0; i < failures->len; i++)
    fprintf (stderr, "dmas plugins: %s\n", (const gchar *) g_ptr_array_index (failures, i));
  if (list->len == 0)
    {
      g_autofree gchar *searched = g_strjoinv (", ", dirs);
      fprintf (stderr, "dmas plugins: no plugin components found; searched: %s\n",
               dirs[0] != NULL ? searched : "no existing directories");
      return DMAS_EXIT_FAILURE;
    }
  return DMAS_EXIT_OK;
}
