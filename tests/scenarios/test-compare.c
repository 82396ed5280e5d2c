/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configs/compare/consensus.yaml through the real `dmas run`, with a method chosen by --set. */
#include "config.h"

#include <glib.h>

#include "scenario.h"

#define PREFIX "dmas-compare"

static void
check_clean (const gchar *out, const gchar *model)
{
  g_assert_cmpint (scen_summary_int (out, "jobs_submitted"), ==, 500);
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), ==, 500);
  g_assert_cmpint (scen_summary_int (out, "safety_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "validity_violations"), ==, 0);
  g_autofree gchar *fault_model = scen_summary_string (out, "fault_model");
  g_assert_cmpstr (fault_model, ==, model);
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_assert_cmpstr (status, ==, "complete");
}

/* The shipped comparison config runs auction to completion, as chosen on the command line. */
static void
test_auction (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/compare/consensus.yaml");
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *extra[] = { "--set", "scheduling.consensus=auction", NULL };
  scen_run (config, out, extra);
  check_clean (out, "none");
  g_assert_cmpfloat (scen_summary_double (out, "availability"), ==, 1.0);
}

/* The crash its header documents: agent 0 down for ten minutes; every job still completes,
 * the lost ones re-run elsewhere. */
static void
test_auction_crash (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/compare/consensus.yaml");
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *extra[] = { "--set", "scheduling.consensus=auction", "--set",
                           "faults=[{type: crash, agents: \"0\", at: 1h, restart_after: 10m}]",
                           NULL };
  scen_run (config, out, extra);
  check_clean (out, "none");
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 1);
  g_assert_cmpint (scen_summary_int (out, "faults_injected"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/compare/consensus/auction", ScenFixture, PREFIX, scen_fixture_setup,
              test_auction, scen_fixture_teardown);
  g_test_add ("/compare/consensus/auction-crash", ScenFixture, PREFIX, scen_fixture_setup,
              test_auction_crash, scen_fixture_teardown);
  return g_test_run ();
}
