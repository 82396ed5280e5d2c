/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configs/single.yaml through the real `dmas run` with consensus/pbft. */
#include "config.h"

#include <glib.h>

#include "scenario.h"

#define PREFIX "dmas-pbft-e2e"
#define CRASH_PRIMARY "faults=[{type: crash, agents: \"0\", at: 60s, restart_after: 30s}]"
#define CRASH_TWO "faults=[{type: crash, agents: \"0,1\", at: 60s, restart_after: 30s}]"

/* Runs the quickstart with pbft on `agents` agents (and `faults`, nullable); every job must
 * complete with no disagreement.  Returns: (transfer full) the temp dir; results in *out. */
static gchar *
run (guint agents, const gchar *faults, gchar **out)
{
  g_autofree gchar *n = g_strdup_printf ("platform.agents=%u", agents);
  const gchar *sets[] = { n, faults, NULL };
  return scen_run_consensus (PREFIX, "pbft", sets, out);
}

/* No faults: one PRE-PREPARE per job and exactly 2n^2 - n - 1 messages per decision (bids
 * n-1, PRE-PREPARE n-1, PREPARE (n-1)^2, COMMIT n(n-1)), for n = 5 and n = 7. */
static void
test_clean (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (n, NULL, &out);
  gint64 jobs = scen_summary_int (out, "jobs_submitted");
  g_assert_cmpfloat (scen_plugin_metric (out, "rounds"), ==, (gdouble) jobs);
  g_assert_cmpfloat (scen_plugin_metric (out, "view_changes"), ==, 0.0);
  g_assert_cmpfloat (scen_summary_double (out, "msgs_per_decision"), ==,
                     (gdouble) (2 * n * n - n - 1));
  scen_tmpdir_free (tmpdir);
}

/* The primary of view 0 down from 60 s to 90 s: a view change, then progress. */
static void
test_primary_crash (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (5, CRASH_PRIMARY, &out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 1);
  g_assert_cmpfloat (scen_plugin_metric (out, "view_changes"), >=, 1.0);
  scen_tmpdir_free (tmpdir);
}

/* Seven agents (f = 2), the primaries of views 0 and 1 down together. */
static void
test_two_primaries_crash (void)
{
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run (7, CRASH_TWO, &out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 2);
  g_assert_cmpfloat (scen_plugin_metric (out, "view_changes"), >=, 1.0);
  scen_tmpdir_free (tmpdir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/pbft-e2e/quickstart/clean-n5", GUINT_TO_POINTER (5), test_clean);
  g_test_add_data_func ("/pbft-e2e/quickstart/clean-n7", GUINT_TO_POINTER (7), test_clean);
  g_test_add_func ("/pbft-e2e/quickstart/primary-crash", test_primary_crash);
  g_test_add_func ("/pbft-e2e/quickstart/f-crashes-n7", test_two_primaries_crash);
  return g_test_run ();
}
