/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The livelock guard end to end: a protocol that never decides ends "stalled", not never. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "../scenarios/scenario.h"

#define PREFIX "dmas-stall"

static gchar *
broken_dir (void)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  return g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR, "tests",
                           "consensus-broken", ".libs", NULL);
}

static void
test_stalled (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *plugins = broken_dir ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q", "--plugin-path", plugins,
                          "--set", "scheduling.consensus=never-decides",
                          "--set", "stall_timeout=30m", NULL };
  g_autofree gchar *err = NULL;

  g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "stalled: no job was decided, started or finished for 30m"));
  g_assert_nonnull (strstr (err, "never decided"));
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_assert_cmpstr (status, ==, "stalled");
  g_autofree gchar *diagnosis = scen_summary_string (out, "diagnosis");
  g_assert_nonnull (strstr (diagnosis, "consensus/never-decides"));
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "jobs_lost"), ==,
                   scen_summary_int (out, "jobs_submitted"));
  /* Detected within two periods of the last progress (none here: the first job's arrival). */
  g_assert_cmpfloat (scen_summary_double (out, "end_time_s"), <=, 10 * 60 + 2 * 30 * 60);
}

/* stall_timeout: 0 turns the guard off: the horizon (here an engine limit through --set
 * drain=false) is then what ends the run. */
static void
test_disabled (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *plugins = broken_dir ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q", "--plugin-path", plugins,
                          "--set", "scheduling.consensus=never-decides",
                          "--set", "stall_timeout=0s", "--set", "drain=false", NULL };

  g_assert_cmpint (scen_dmas (args, NULL, NULL), ==, 0);
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_assert_cmpstr (status, ==, "horizon");
}

/* An outage with nothing left to end it (three of five agents down for good: raft has no
 * majority and keeps electing) is a stall too, not an endless run. */
static void
test_outage_for_good (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q",
                          "--set", "scheduling.consensus=raft", "--set", "stall_timeout=1h",
                          "--set", "faults=[{type: crash, agents: \"0,1,2\", at: 2m}]", NULL };
  g_autofree gchar *err = NULL;

  g_assert_cmpint (scen_dmas (args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "was down with no fault left to end the outage"));
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_assert_cmpstr (status, ==, "stalled");
  g_assert_cmpfloat (scen_summary_double (out, "availability"), <, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/stall/never-decides/stalled", ScenFixture, PREFIX, scen_fixture_setup,
              test_stalled, scen_fixture_teardown);
  g_test_add ("/stall/never-decides/disabled", ScenFixture, PREFIX, scen_fixture_setup,
              test_disabled, scen_fixture_teardown);
  g_test_add ("/stall/raft/outage-for-good", ScenFixture, PREFIX, scen_fixture_setup,
              test_outage_for_good, scen_fixture_teardown);
  return g_test_run ();
}
