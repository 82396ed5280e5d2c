/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas replay RUNDIR`: reruns one run of a campaign and checks that its trace digest matches. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "campaign/execute.h"
#include "cli/cli.h"

/* The directories of the plugins the campaign recorded, first: the replay loads the very
 * files the run used even when the search path has changed since. */
static gchar *
recorded_plugin_path (const gchar *rundir, const gchar *cli_path)
{
  g_autofree gchar *plan = g_build_filename (rundir, "..", "..", "campaign.json", NULL);
  g_autoptr (GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  if (cli_path != NULL)
    g_ptr_array_add (dirs, g_strdup (cli_path));
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root = json_parser_load_from_file (parser, plan, NULL)
                       ? json_parser_get_root (parser) : NULL;
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                : NULL;
  JsonArray *plugins = o != NULL && json_object_has_member (o, "plugins")
                           ? json_object_get_array_member (o, "plugins") : NULL;
  for (guint i = 0; plugins != NULL && i < json_array_get_length (plugins); i++)
    {
      JsonObject *p = json_array_get_object_element (plugins, i);
      const gchar *file = p != NULL ? json_object_get_string_member_with_default (p, "file", NULL)
                                    : NULL;
      if (file == NULL)
        continue;
      g_autofree gchar *dir = g_path_get_dirname (file);
      gboolean seen = FALSE;
      for (guint k = 0; k < dirs->len && !seen; k++)
        seen = strcmp (g_ptr_array_index (dirs, k), dir) == 0;
      if (!seen)
        g_ptr_array_add (dirs, g_steal_pointer (&dir));
    }
  if (dirs->len == 0)
    return NULL;
  g_ptr_array_add (dirs, NULL);
  return g_strjoinv (":", (gchar **) dirs->pdata);
}

static gchar *
recorded_digest (const gchar *rundir)
{
  g_autofree gchar *path = g_build_filename (rundir, "summary.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                              "trace_digest", NULL));
}

static void
remove_tree (const gchar *dir)
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

static int
replay (const gchar *rundir, const gchar *outdir, const gchar *cli_path)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *config_path = g_build_filename (rundir, "config.resolved.yaml", NULL);
  if (!g_file_test (config_path, G_FILE_TEST_IS_REGULAR))
    {
      fprintf (stderr, "dmas: replay: %s does not exist; RUNDIR is a campaign's "
                       "DIR/runs/ID directory\n", config_path);
      return DMAS_EXIT_USAGE;
    }
  g_autofree gchar *plugin_path = recorded_plugin_path (rundir, cli_path);
  g_autoptr (DmasConfig) config = NULL;
  g_autoptr (DmasRegistry) registry = NULL;
  if (!dmas_cli_setup (config_path, NULL, plugin_path, &config, &registry, &error))
    {
      fprintf (stderr, "dmas: replay: %s\n", error->message);
      return dmas_cli_exit_status (error);
    }

  g_autofree gchar *failure = g_build_filename (rundir, "failure.json", NULL);
  if (g_file_test (failure, G_FILE_TEST_EXISTS))
    /* In this process, not a worker: a crash happens here, where a debugger can catch it. */
    fprintf (stderr, "replay: this run failed in its campaign (%s); rerunning it in this "
                     "process; to debug: gdb --args dmas replay %s\n", failure, rundir);

  g_autofree gchar *tmp = NULL;
  if (outdir == NULL)
    {
      tmp = g_dir_make_tmp ("dmas-replay-XXXXXX", &error);
      if (tmp == NULL)
        {
          fprintf (stderr, "dmas: replay: %s\n", error->message);
          return DMAS_EXIT_FAILURE;
        }
    }
  const DmasExecuteOptions options = { .speed = 0.0, .handle_sigint = TRUE };
  g_autoptr (DmasExecution) x = dmas_execute (config, registry, outdir != NULL ? outdir : tmp,
                                              &options, &error);
  if (tmp != NULL)
    remove_tree (tmp);
  if (x == NULL)
    {
      fprintf (stderr, "dmas: replay: %s\n", error->message);
      return dmas_cli_exit_status (error);
    }
  if (x->status == DMAS_RUN_INTERRUPTED)
    {
      fprintf (stderr, "dmas: replay: interrupted\n");
      return DMAS_EXIT_INTERRUPTED;
    }

  g_autofree gchar *recorded = recorded_digest (rundir);
  if (recorded == NULL)
    {
      printf ("replay: digest %s; %s/summary.json records none (the run never finished), "
              "nothing to compare\n", x->digest, rundir);
      return DMAS_EXIT_FAILURE;
    }
  if (strcmp (recorded, x->digest) != 0)
    {
      printf ("replay: digest DIFFERS: recorded %s, replayed %s\n", recorded, x->digest);
      return DMAS_EXIT_FAILURE;
    }
  printf ("replay: digest matches (%s)\n", x->digest);
  return DMAS_EXIT_OK;
}

int
dmas_cmd_replay (int argc, char **argv)
{
  g_autofree gchar *outdir = NULL;
  g_autofree gchar *plugin_path = NULL;
  g_auto (GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir,
      "keep the replayed run's files in DIR (default: a temporary directory, removed)", "DIR" },
    { "plugin-path", 0, 0, G_OPTION_ARG_STRING, &plugin_path,
      "colon-separated plugin directories, searched before the recorded ones", "DIRS" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("RUNDIR");
  g_option_context_set_summary (context,
                                "Reruns one run of a campaign (DIR/runs/ID) from its recorded "
                                "config.resolved.yaml and seeds,\nand checks that the trace "
                                "digest matches its summary.json.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_set_prgname ("dmas replay");
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dmas: replay: %s (try 'dmas replay --help')\n", error->message);
      return DMAS_EXIT_USAGE;
    }
  if (args == NULL || args[0] == NULL || args[1] != NULL)
    {
      fprintf (stderr, "dmas: replay: give one RUNDIR, e.g. dmas replay results/x/runs/"
                       "000-raft-r1 (try 'dmas replay --help')\n");
      return DMAS_EXIT_USAGE;
    }
  return replay (args[0], outdir, plugin_path);
}
