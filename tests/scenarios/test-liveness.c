/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Consensus liveness after crashes and restarts: tendermint-livelock.yaml ends, every job done. */
#include "config.h"

#include <signal.h>

#include <gio/gio.h>
#include <glib.h>

#include "scenario.h"

#define PREFIX "dmas-liveness"
/* The run takes a fraction of a second; the livelock it guards against never ends (virtual
 * time grows without bound), so the run is bounded in wall-clock time and interrupted past
 * it.  Generous, so that a slow or loaded machine does not fail it. */
#define WALL_LIMIT_S 60

/* `dmas run CONFIG -o OUTDIR -q --set scheduling.consensus=C`, interrupted (SIGINT: it then
 * writes its partial results) when it has not ended within WALL_LIMIT_S.  Returns: its exit
 * status, or -1 when it had to be interrupted. */
static gint
run_bounded (const gchar *config, const gchar *outdir, const gchar *consensus)
{
  g_autofree gchar *method = g_strdup_printf ("scheduling.consensus=%s", consensus);
  const gchar *args[] = { "run", config, "-o", outdir, "-q", "--set", method, NULL };
  return scen_dmas_bounded (args, WALL_LIMIT_S);
}

/* The jobs of OUTDIR/jobs.csv that did not complete, as "id (state)" for the failure message. */
static gchar *
unfinished_jobs (const gchar *outdir)
{
  g_autoptr (GPtrArray) ids = scen_jobs_column (outdir, "job_id");
  g_autoptr (GPtrArray) states = scen_jobs_column (outdir, "final_state");
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (states, i), "COMPLETED_SUCCESSFULLY") != 0)
      g_string_append_printf (text, " %s (%s)", (const gchar *) g_ptr_array_index (ids, i),
                              (const gchar *) g_ptr_array_index (states, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The repro: it must end by itself, complete, with every one of the 150 jobs completed. */
static void
test_crash_restart (gconstpointer data)
{
  const gchar *consensus = data;
  gchar *tmpdir = scen_tmpdir_new (PREFIX);
  g_autofree gchar *config = scen_src_path ("tests/scenarios/tendermint-livelock.yaml");
  g_autofree gchar *out = g_build_filename (tmpdir, "run", NULL);

  /* A stalled run ends with status "deadlock" (exit 1) or never (interrupted, -1); both
   * leave their partial results to name the jobs left behind. */
  gint exit_status = run_bounded (config, out, consensus);
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_autofree gchar *unfinished = unfinished_jobs (out);
  if (exit_status != 0 || g_strcmp0 (status, "complete") != 0)
    g_test_message ("%s: exit %d (-1: interrupted after %d s), status %s; unfinished:%s",
                    consensus, exit_status, WALL_LIMIT_S, status, unfinished);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_cmpstr (status, ==, "complete");
  g_assert_cmpint (scen_summary_int (out, "jobs_submitted"), ==, 150);
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), ==, 150);
  g_assert_cmpstr (unfinished, ==, "");
  g_assert_cmpint (scen_summary_int (out, "safety_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "validity_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "agent_failures"), ==, 4);
  if (g_strcmp0 (consensus, "tendermint") == 0)
    {
      /* The scenario still makes the case: heights opened with fewer than a quorum of
       * bidders up, decided thanks to the abstentions of those that came back. */
      g_assert_cmpfloat (scen_plugin_metric (out, "abstentions"), >, 0.0);
      g_assert_cmpfloat (scen_plugin_metric (out, "dropped_rounds"), ==, 0.0);
    }
  scen_tmpdir_free (tmpdir);
}

int
main (int argc, char **argv)
{
  /* The same crash/restart schedule under every protocol: each must end and place every job
   * (the fault model holds: never more than two of five down, and a quorum of four is up
   * again from 1604 s on). */
  static const gchar *const protocols[] = { "tendermint", "pbft", "raft", "multipaxos",
                                            "gossip", "negotiation", "weighted-voting",
                                            "auction" };
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/liveness/crash-restart/%s", protocols[i]);
      g_test_add_data_func (path, protocols[i], test_crash_restart);
    }
  return g_test_run ();
}
