/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the end-to-end scenario tests: temp dirs, running `dmas`, reading its results. */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include <gio/gio.h>

#include <glib/gstdio.h>

#include "scenario.h"

gchar *
scen_tmpdir_new (const gchar *prefix)
{
  g_autofree gchar *tmpl = g_strconcat (prefix, "-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  gchar *dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const gchar *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const gchar *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

void
scen_tmpdir_free (gchar *dir)
{
  if (dir == NULL)
    return;
  remove_tree (dir);
  g_free (dir);
}

void
scen_fixture_setup (ScenFixture *f, gconstpointer prefix)
{
  f->tmpdir = scen_tmpdir_new (prefix != NULL ? prefix : "dmas-scenario");
}

void
scen_fixture_teardown (ScenFixture *f, gconstpointer prefix)
{
  (void) prefix;
  scen_tmpdir_free (g_steal_pointer (&f->tmpdir));
}

gchar *
scen_src_path (const gchar *rel)
{
  const gchar *src = g_getenv ("DMAS_SRCDIR");
  g_assert_nonnull (src);
  return g_build_filename (src, rel, NULL);
}

gint
scen_dmas (const gchar *const *args, gchar **out, gchar **err)
{
  const gchar *build = g_getenv ("DMAS_BUILDDIR");
  g_assert_nonnull (build);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_build_filename (build, "dmas", NULL));
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, g_strdup (*args));
  g_ptr_array_add (argv, NULL);

  g_autofree gchar *stdout_text = NULL, *stderr_text = NULL;
  gint status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text,
                &stderr_text, &status, &error);
  g_assert_no_error (error);
  if (stderr_text != NULL && *stderr_text != '\0')
    g_test_message ("stderr: %s", stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

void
scen_run (const gchar *config, const gchar *outdir, const gchar *const *extra)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, (gpointer) "run");
  g_ptr_array_add (args, (gpointer) config);
  g_ptr_array_add (args, (gpointer) "-o");
  g_ptr_array_add (args, (gpointer) outdir);
  g_ptr_array_add (args, (gpointer) "--quiet");
  for (; extra != NULL && *extra != NULL; extra++)
    g_ptr_array_add (args, (gpointer) *extra);
  g_ptr_array_add (args, NULL);

  g_autofree gchar *out = NULL;
  const gint status = scen_dmas ((const gchar *const *) args->pdata, &out, NULL);
  if (status != 0)
    g_test_message ("dmas run exited with %d; stdout:\n%s", status, out);
  g_assert_cmpint (status, ==, 0);
}

gchar *
scen_read_file (const gchar *dir, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

JsonObject *
scen_summary (const gchar *dir)
{
  g_autofree gchar *text = scen_read_file (dir, "summary.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  JsonNode *root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  /* The object outlives the parser: the caller holds the only reference left. */
  return json_object_ref (json_node_get_object (root));
}

/* The member `member` of summary.json, asserted present.  Returns: (transfer full) the
 * summary's root, which owns *node_out. */
static JsonObject *
summary_member (const gchar *dir, const gchar *member, JsonNode **node_out)
{
  JsonObject *summary = scen_summary (dir);
  if (!json_object_has_member (summary, member))
    g_test_message ("summary.json has no member '%s'", member);
  g_assert_true (json_object_has_member (summary, member));
  *node_out = json_object_get_member (summary, member);
  return summary;
}

gint64
scen_summary_int (const gchar *dir, const gchar *member)
{
  JsonNode *node = NULL;
  g_autoptr (JsonObject) summary = summary_member (dir, member, &node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

gdouble
scen_summary_double (const gchar *dir, const gchar *member)
{
  JsonNode *node = NULL;
  g_autoptr (JsonObject) summary = summary_member (dir, member, &node);
  /* json-glib reads "90" as an integer and "90.0" as a double; either is a number here. */
  const GType type = json_node_get_value_type (node);
  g_assert_true (type == G_TYPE_DOUBLE || type == G_TYPE_INT64);
  return json_node_get_double (node);
}

gchar *
scen_summary_string (const gchar *dir, const gchar *member)
{
  JsonNode *node = NULL;
  g_autoptr (JsonObject) summary = summary_member (dir, member, &node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  return json_node_dup_string (node);
}

GPtrArray *
scen_jobs_column (const gchar *dir, const gchar *name)
{
  g_autofree gchar *text = scen_read_file (dir, "jobs.csv");
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto (GStrv) header = g_strsplit (lines[0], ",", -1);
  gint col = -1;
  for (gint i = 0; header[i] != NULL; i++)
    if (g_strcmp0 (header[i], name) == 0)
      col = i;
  g_assert_cmpint (col, >=, 0);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  for (gint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (fields), >, (guint) col);
      g_ptr_array_add (values, g_strdup (fields[col]));
    }
  return values;
}

gdouble
scen_plugin_metric (const gchar *dir, const gchar *name)
{
  g_autoptr (JsonObject) root = scen_summary (dir);
  JsonObject *metrics = json_object_get_object_member (root, "plugin_metrics");
  g_assert_nonnull (metrics);
  /* A counter no plugin ever added to is absent: it counted nothing. */
  return json_object_has_member (metrics, name) ? json_object_get_double_member (metrics, name)
                                                : 0.0;
}

gchar *
scen_run_consensus (const gchar *prefix, const gchar *consensus, const gchar *const *sets,
                    gchar **out)
{
  gchar *tmpdir = scen_tmpdir_new (prefix);
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *method = g_strdup_printf ("scheduling.consensus=%s", consensus);
  g_autoptr (GPtrArray) extra = g_ptr_array_new ();

  *out = g_build_filename (tmpdir, "run", NULL);
  g_ptr_array_add (extra, (gpointer) "--set");
  g_ptr_array_add (extra, method);
  for (; sets != NULL && *sets != NULL; sets++)
    {
      g_ptr_array_add (extra, (gpointer) "--set");
      g_ptr_array_add (extra, (gpointer) *sets);
    }
  g_ptr_array_add (extra, NULL);
  scen_run (config, *out, (const gchar *const *) extra->pdata);

  g_autofree gchar *status = scen_summary_string (*out, "status");
  g_assert_cmpstr (status, ==, "complete");
  gint64 submitted = scen_summary_int (*out, "jobs_submitted");
  g_assert_cmpint (submitted, >, 0);
  g_assert_cmpint (scen_summary_int (*out, "jobs_completed"), ==, submitted);
  g_assert_cmpint (scen_summary_int (*out, "jobs_lost"), ==, 0);
  g_assert_cmpint (scen_summary_int (*out, "safety_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (*out, "validity_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (*out, "duplicate_executions"), ==, 0);
  return tmpdir;
}

/* ---- runs bounded in wall-clock time ---- */

typedef struct {
  GMainLoop *loop;
  gboolean timed_out;
} BoundedWait;

static void
bounded_exit (GObject *source, GAsyncResult *result, gpointer user_data)
{
  BoundedWait *w = user_data;
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_main_loop_quit (w->loop);
}

static gboolean
bounded_timeout (gpointer user_data)
{
  BoundedWait *w = user_data;
  w->timed_out = TRUE;
  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

gint
scen_dmas_bounded (const gchar *const *args, guint wall_limit_s)
{
  const gchar *build = g_getenv ("DMAS_BUILDDIR");
  g_assert_nonnull (build);
  g_autofree gchar *dmas = g_build_filename (build, "dmas", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, dmas);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_newv ((const gchar *const *) argv->pdata,
                                                    G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);

  g_autoptr (GMainContext) context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  BoundedWait w = { g_main_loop_new (context, FALSE), FALSE };
  g_subprocess_wait_async (proc, NULL, bounded_exit, &w);
  GSource *timer = g_timeout_source_new_seconds (wall_limit_s);
  g_source_set_callback (timer, bounded_timeout, &w, NULL);
  g_source_attach (timer, context);
  g_main_loop_run (w.loop);
  g_source_destroy (timer);
  g_source_unref (timer);
  if (w.timed_out)
    {
      g_subprocess_send_signal (proc, SIGINT);
      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);
    }
  g_main_loop_unref (w.loop);
  g_main_context_pop_thread_default (context);
  if (w.timed_out || !g_subprocess_get_if_exited (proc))
    return -1;
  return g_subprocess_get_exit_status (proc);
}
