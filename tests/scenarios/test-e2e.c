/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end scenarios through the real `dmas run`: determinism and a hand-computed case. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scenario.h"

#define PREFIX "dmas-e2e"

/* summary.json without its wall-clock group, re-serialised, for byte comparison. */
static gchar *
summary_without_wall_clock (const gchar *dir)
{
  g_autoptr (JsonObject) root = scen_summary (dir);
  g_assert_true (json_object_has_member (root, "wall_clock"));
  json_object_remove_member (root, "wall_clock");
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), root);
  return json_to_string (node, TRUE);
}

static void
test_same_seed (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "b", NULL);
  scen_run (config, a, NULL);
  scen_run (config, b, NULL);

  g_autofree gchar *sa = summary_without_wall_clock (a);
  g_autofree gchar *sb = summary_without_wall_clock (b);
  g_assert_cmpstr (sa, ==, sb);
  g_autofree gchar *ja = scen_read_file (a, "jobs.csv");
  g_autofree gchar *jb = scen_read_file (b, "jobs.csv");
  g_assert_cmpstr (ja, ==, jb);
  g_autofree gchar *ca = scen_read_file (a, "config.resolved.yaml");
  g_autofree gchar *cb = scen_read_file (b, "config.resolved.yaml");
  g_assert_cmpstr (ca, ==, cb);
}

static void
test_different_seed (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "b", NULL);
  const gchar *seed_a[] = { "--seed", "42", NULL };
  const gchar *seed_b[] = { "--seed", "43", NULL };
  scen_run (config, a, seed_a);
  scen_run (config, b, seed_b);
  g_autofree gchar *da = scen_summary_string (a, "trace_digest");
  g_autofree gchar *db = scen_summary_string (b, "trace_digest");
  g_assert_cmpuint (strlen (da), ==, 64);
  g_assert_cmpstr (da, !=, db);
}

/* tests/scenarios/tiny-2x3.yaml explains the expected values. */
static void
test_tiny_start_times (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("tests/scenarios/tiny-2x3.yaml");
  scen_run (config, f->tmpdir, NULL);

  g_autoptr (GPtrArray) ids = scen_jobs_column (f->tmpdir, "job_id");
  g_autoptr (GPtrArray) starts = scen_jobs_column (f->tmpdir, "starting_time");
  g_autoptr (GPtrArray) where = scen_jobs_column (f->tmpdir, "allocated_resources");
  g_autoptr (GPtrArray) state = scen_jobs_column (f->tmpdir, "final_state");
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
  g_test_add ("/scenarios/determinism/same-seed-same-bytes", ScenFixture, PREFIX,
              scen_fixture_setup, test_same_seed, scen_fixture_teardown);
  g_test_add ("/scenarios/determinism/different-seed-different-digest", ScenFixture, PREFIX,
              scen_fixture_setup, test_different_seed, scen_fixture_teardown);
  g_test_add ("/scenarios/tiny-2x3/start-times", ScenFixture, PREFIX, scen_fixture_setup,
              test_tiny_start_times, scen_fixture_teardown);
  return g_test_run ();
}
