/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the Batsim JSON reader: a hand-made workload, and each way one can be wrong. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "world/batsim.h"

static gchar *
data_path (const gchar *name)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");

  return g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR, "tests", "data", "batsim",
                           name, NULL);
}

static void
test_good (void)
{
  static const struct {
    const gchar *id;
    DmasTime submit, walltime, runtime;
    guint32 nodes;
  } expected[] = {
    /* walltime -1: unknown, so the runtime */
    { "1", 0, 250250 * DMAS_MS, 250250 * DMAS_MS, 2 },
    /* same subtime as "2": file order */
    { "w0!3", 20500 * DMAS_MS, 100 * DMAS_S, 30 * DMAS_S, 4 },
    /* no walltime: the runtime */
    { "2", 20500 * DMAS_MS, 90 * DMAS_S, 90 * DMAS_S, 8 },
  };
  g_autofree gchar *path = data_path ("good.json");
  g_autoptr (GError) error = NULL;
  guint nb_res = 0;
  g_autoptr (DmasWorkload) w = dmas_batsim_read (path, &nb_res, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (nb_res, ==, 8);
  g_assert_cmpuint (w->n_jobs, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < w->n_jobs; i++)
    {
      const DmasJob *job = &w->jobs[i];

      g_assert_cmpuint (job->id, ==, i + 1);
      g_assert_cmpstr (dmas_workload_source_id (w, job->id), ==, expected[i].id);
      g_assert_cmpuint (job->submit, ==, expected[i].submit);
      g_assert_cmpuint (job->walltime, ==, expected[i].walltime);
      g_assert_cmpuint (job->runtime, ==, expected[i].runtime);
      g_assert_cmpuint (job->nodes, ==, expected[i].nodes);
      g_assert_cmpuint (job->cores, ==, 1);
      g_assert_cmpfloat (job->memory_gb, ==, 0.0);
      g_assert_cmpuint (job->gpus, ==, 0);
      g_assert_cmpint (job->type, ==, DMAS_JOB_HPC);
    }
  g_assert_null (w->users);
  /* The job with delay 0 is dropped, as SWF drops runtime-0 records. */
  g_assert_cmpuint (w->stats.records, ==, 4);
  g_assert_cmpuint (w->stats.dropped_runtime, ==, 1);
  g_assert_cmpuint (w->stats.jobs, ==, 3);
}

static void
test_unsupported_profile (void)
{
  g_autofree gchar *path = data_path ("parallel-profile.json");
  g_autofree gchar *expected = g_strdup_printf ("%s: job 'matrix': profile 'p' has type "
                                                "'parallel_homogeneous', which is not "
                                                "supported yet (only 'delay' profiles are)",
                                                path);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasWorkload) w = dmas_batsim_read (path, NULL, &error);

  g_assert_null (w);
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_bad (void)
{
  static const struct { const gchar *json; const gchar *message; } cases[] = {
    { "{\"jobs\": [", "b.json: not a valid JSON document: " },
    { "[1, 2]", "b.json: expected a Batsim workload, a JSON object with 'jobs' and 'profiles'" },
    { "{\"jobs\": []}", "b.json: expected a Batsim workload: 'jobs' (a list) and 'profiles' "
                       "(an object) are required" },
    { "{\"nb_res\": 0, \"jobs\": [], \"profiles\": {}}",
      "b.json: 'nb_res' must be an integer >= 1" },
    { "{\"jobs\": [3], \"profiles\": {}}", "b.json: jobs[0]: expected an object" },
    { "{\"jobs\": [{\"subtime\": 0}], \"profiles\": {}}",
      "b.json: jobs[0]: 'id' is missing (a string or an integer)" },
    { "{\"jobs\": [{\"id\": \"a\", \"subtime\": -1, \"res\": 1, \"profile\": \"d\"}], "
      "\"profiles\": {\"d\": {\"type\": \"delay\", \"delay\": 1}}}",
      "b.json: job 'a': 'subtime' must be a number of seconds >= 0" },
    { "{\"jobs\": [{\"id\": 7, \"subtime\": 0, \"res\": 0, \"profile\": \"d\"}], "
      "\"profiles\": {\"d\": {\"type\": \"delay\", \"delay\": 1}}}",
      "b.json: job '7': 'res' must be an integer >= 1 (the number of resources)" },
    { "{\"jobs\": [{\"id\": \"a\", \"subtime\": 0, \"res\": 1, \"walltime\": \"1h\", "
      "\"profile\": \"d\"}], \"profiles\": {\"d\": {\"type\": \"delay\", \"delay\": 1}}}",
      "b.json: job 'a': 'walltime' must be a number of seconds (-1: unknown)" },
    { "{\"jobs\": [{\"id\": \"a\", \"subtime\": 0, \"res\": 1}], \"profiles\": {}}",
      "b.json: job 'a': 'profile' is missing (the name of an entry of 'profiles')" },
    { "{\"jobs\": [{\"id\": \"a\", \"subtime\": 0, \"res\": 1, \"profile\": \"x\"}], "
      "\"profiles\": {}}", "b.json: job 'a': profile 'x' is not defined in 'profiles'" },
    { "{\"jobs\": [{\"id\": \"a\", \"subtime\": 0, \"res\": 1, \"profile\": \"d\"}], "
      "\"profiles\": {\"d\": {\"delay\": 1}}}", "b.json: job 'a': profile 'd' has no 'type'" },
    { "{\"jobs\": [{\"id\": \"a\", \"subtime\": 0, \"res\": 1, \"profile\": \"d\"}], "
      "\"profiles\": {\"d\": {\"type\": \"delay\", \"delay\": -5}}}",
      "b.json: job 'a': profile 'd' needs 'delay', a number of seconds >= 0" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DmasWorkload) w = dmas_batsim_parse (cases[i].json, strlen (cases[i].json),
                                                      "b.json", NULL, &error);

      g_assert_null (w);
      g_assert_nonnull (error);
      g_assert_true (error->domain == DMAS_CONFIG_ERROR);
      /* json-glib words its own syntax errors: only the prefix is ours. */
      if (i == 0)
        g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Through the workload: the generator reads the file of workload.path. */
static void
test_workload (void)
{
  g_autofree gchar *path = data_path ("good.json");
  DmasConfig config = { 0 };
  g_autoptr (GError) error = NULL;

  config.source = (gchar *) "test.yaml";
  config.workload.generator = (gchar *) "batsim";
  config.workload.path = path;
  config.workload.jobs = DMAS_WORKLOAD_ALL_JOBS;
  g_autoptr (DmasWorkload) w = dmas_workload_generate (&config, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w->n_jobs, ==, 3);
  g_assert_cmpuint (w->jobs[1].home, ==, 1);
  g_assert_cmpstr (dmas_workload_source_id (w, 2), ==, "w0!3");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/batsim/good", test_good);
  g_test_add_func ("/world/batsim/unsupported-profile", test_unsupported_profile);
  g_test_add_func ("/world/batsim/bad", test_bad);
  g_test_add_func ("/world/batsim/workload", test_workload);
  return g_test_run ();
}
