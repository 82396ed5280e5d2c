/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configs/single.yaml through the real `dmas run` with gossip, negotiation, weighted-voting. */
#include "config.h"

#include <glib.h>

#include "scenario.h"

#define PREFIX "dmas-quickstart-consensus"

/* Each method with the messages it must cost per decision on the quickstart's 5 agents
 * without faults (the formulas in the components' headers, n = 5):
 * gossip n * rounds * min(fanout, n-1) = 5 * 4 * 3; negotiation n (n-1) (k+1) = 5 * 4 * 4;
 * weighted-voting 2 n (n-1) = 2 * 5 * 4. */
typedef struct {
  const gchar *name;
  gdouble msgs_per_decision;
} Method;

static const Method methods[] = {
  { "gossip", 60.0 },
  { "negotiation", 80.0 },
  { "weighted-voting", 40.0 },
};

static void
check_complete (const gchar *out)
{
  gint64 submitted = scen_summary_int (out, "jobs_submitted");
  g_assert_cmpint (submitted, >, 0);
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), ==, submitted);
  g_assert_cmpint (scen_summary_int (out, "jobs_rejected"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "jobs_lost"), ==, 0);
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_assert_cmpstr (status, ==, "complete");
}

static void
test_clean (gconstpointer data)
{
  const Method *m = data;
  gchar *tmpdir = scen_tmpdir_new (PREFIX);
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *out = g_build_filename (tmpdir, "run", NULL);
  g_autofree gchar *set = g_strdup_printf ("scheduling.consensus=%s", m->name);
  const gchar *extra[] = { "--set", set, NULL };
  scen_run (config, out, extra);
  check_complete (out);
  g_assert_cmpint (scen_summary_int (out, "safety_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "duplicate_executions"), ==, 0);
  g_assert_cmpfloat (scen_summary_double (out, "msgs_per_decision"), ==, m->msgs_per_decision);
  scen_tmpdir_free (tmpdir);
}

/* Agent 0 down from 60 s to 90 s: every job still completes. */
static void
test_crash (gconstpointer data)
{
  const Method *m = data;
  gchar *tmpdir = scen_tmpdir_new (PREFIX);
  g_autofree gchar *config = scen_src_path ("configs/single.yaml");
  g_autofree gchar *out = g_build_filename (tmpdir, "run", NULL);
  g_autofree gchar *set = g_strdup_printf ("scheduling.consensus=%s", m->name);
  const gchar *extra[] = { "--set", set, "--set",
                           "faults=[{type: crash, agents: \"0\", at: 60s, restart_after: 30s}]",
                           NULL };
  scen_run (config, out, extra);
  check_complete (out);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 1);
  scen_tmpdir_free (tmpdir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree gchar *clean = g_strdup_printf ("/quickstart/%s/complete", methods[i].name);
      g_autofree gchar *crash = g_strdup_printf ("/quickstart/%s/crash", methods[i].name);
      g_test_add_data_func (clean, &methods[i], test_clean);
      g_test_add_data_func (crash, &methods[i], test_crash);
    }
  return g_test_run ();
}
