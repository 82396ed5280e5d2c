/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end scenarios through the real `dmas run`: determinism and a hand-computed case. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
  gchar *tmpdir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  f->tmpdir = g_dir_make_tmp ("dmas-e2e-XXXXXX", &error);
  g_assert_no_error (error);
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

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  (void) data;
  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static gchar *
src_path (const gchar *rel)
{
  const gchar *src = g_getenv ("DMAS_SRCDIR");
  g_assert_nonnull (src);
  return g_build_filename (src, rel, NULL);
}

/* Runs `dmas run CONFIG -o OUTDIR EXTRA...` and asserts it exits 0. */
static void
run_dmas (const gchar *config, const gchar *outdir, const gchar *const *extra)
{
  const gchar *build = g_getenv ("DMAS_BUILDDIR");
  g_assert_nonnull (build);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_build_filename (build, "dmas", NULL));
  g_ptr_array_add (argv, g_strdup ("run"));
  g_ptr_array_add (argv, g_strdup (config));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (outdir));
  g_ptr_array_add (argv, g_strdup ("--quiet"));
  for (; extra != NULL && *extra != NULL; extra++)
    g_ptr_array_add (argv, g_strdup (*extra));
  g_ptr_array_add (argv, NULL);

  g_autofree gchar *out = NULL, *err = NULL;
  gint status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("dmas run failed:\n%s\n%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static gchar *
read_file (const gchar *dir, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* summary.json without its wall-clock group, re-serialised, for byte comparison. */
static gchar *
summary_without_wall_clock (const gchar *dir)
{
  g_autofree gchar *text = read_file (dir, "summary.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "wall_clock"));
  json_object_remove_member (root, "wall_clock");
  return json_to_string (json_parser_get_root (parser), TRUE);
}

static gchar *
summary_string (const gchar *dir, const gchar *member)
{
  g_autofree gchar *text = read_file (dir, "summary.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member (root, member));
}

static void
test_same_seed (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = src_path ("configs/quickstart.yaml");
  g_autofree gchar *a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "b", NULL);
  run_dmas (config, a, NULL);
  run_dmas (config, b, NULL);

  g_autofree gchar *sa = summary_without_wall_clock (a);
  g_autofree gchar *sb = summary_without_wall_clock (b);
  g_assert_cmpstr (sa, ==, sb);
  g_autofree gchar *ja = read_file (a, "jobs.csv");
  g_autofree gchar *jb = read_file (b, "jobs.csv");
  g_assert_cmpstr (ja, ==, jb);
  g_autofree gchar *ca = read_file (a, "config.resolved.yaml");
  g_autofree gchar *cb = read_file (b, "config.resolved.yaml");
  g_assert_cmpstr (ca, ==, cb);
}

static void
test_different_seed (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = src_path ("configs/quickstart.yaml");
  g_autofree gchar *a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "b", NULL);
  const gchar *seed_a[] = { "--seed", "42", NULL };
  const gchar *seed_b[] = { "--seed", "43", NULL };
  run_dmas (config, a, seed_a);
  run_dmas (config, b, seed_b);
  g_autofree gchar *da = summary_string (a, "trace_digest");
  g_autofree gchar *db = summary_string (b, "trace_digest");
  g_assert_cmpuint (strlen (da), ==, 64);
  g_assert_cmpstr (da, !=, db);
}

/* Column `name` of jobs.csv, one string per job row in file order. */
static GPtrArray *
jobs_column (const gchar *dir, const gchar *name)
{
  g_autofree gchar *text = read_file (dir, "jobs.csv");
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

/* tests/scenarios/tiny-2x3.yaml explains the expected values. */
static void
test_tiny_start_times (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = src_path ("tests/scenarios/tiny-2x3.yaml");
  run_dmas (config, f->tmpdir, NULL);

  g_autoptr (GPtrArray) ids = jobs_column (f->tmpdir, "job_id");
  g_autoptr (GPtrArray) starts = jobs_column (f->tmpdir, "starting_time");
  g_autoptr (GPtrArray) where = jobs_column (f->tmpdir, "allocated_resources");
  g_autoptr (GPtrArray) state = jobs_column (f->tmpdir, "final_state");
  const gdouble expected[] = { 0.004, 25.004, 50.004 };
  g_assert_cmpuint (ids->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (g_ascii_strtoull (ids->pdata[i], NULL, 10), ==, i + 1);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (starts->pdata[i], NULL), expected[i], 1e-9);
      g_assert_cmpstr (where->pdata[i], ==, "1");
      g_assert_cmpstr (state->pdata[i], ==, "COMPLETED_SUCCESSFULLY");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/scenarios/determinism/same-seed-same-bytes", Fixture, NULL, fixture_setup,
              test_same_seed, fixture_teardown);
  g_test_add ("/scenarios/determinism/different-seed-different-digest", Fixture, NULL,
              fixture_setup, test_different_seed, fixture_teardown);
  g_test_add ("/scenarios/tiny-2x3/start-times", Fixture, NULL, fixture_setup,
              test_tiny_start_times, fixture_teardown);
  return g_test_run ();
}
