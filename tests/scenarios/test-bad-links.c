/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Consensus over bad links: jobs settled while links lose messages, all completed once healed. */
#include "config.h"

#include <signal.h>

#include <gio/gio.h>
#include <glib.h>

#include "scenario.h"

#define PREFIX "dmas-bad-links"
/* A run takes seconds; the failures this guards against (a protocol that never recovers a
 * lost message, view changes without end) never end, so each run is bounded in wall-clock
 * time and interrupted past it.  Generous, so that a loaded machine does not fail it. */
#define WALL_LIMIT_S 60

/* The mixed fault of the report: a fifth of the messages lost, a tenth duplicated, a fifth
 * reordered, delayed 3-5 ms, 5 % corrupted (detected, dropped by the receiving host). */
#define MIXED "type: link, loss: 0.2, duplicate: 0.1, reorder: 0.2, delay: 3ms, jitter: 2ms, " \
              "corrupt: 0.05"

/* `dmas run CONFIG -o OUTDIR -q --set scheduling.consensus=C --set faults=FAULTS`, interrupted
 * (SIGINT: it then writes its partial results) when it has not ended within WALL_LIMIT_S.
 * Returns: its exit status, or -1 when it had to be interrupted. */
static gint
run_bounded (const gchar *config, const gchar *outdir, const gchar *consensus,
             const gchar *faults)
{
  g_autofree gchar *method = g_strdup_printf ("scheduling.consensus=%s", consensus);
  g_autofree gchar *fault = g_strdup_printf ("faults=[{%s}]", faults);
  const gchar *args[] = { "run", config, "-o", outdir, "-q", "--set", method, "--set", fault,
                          NULL };
  return scen_dmas_bounded (args, WALL_LIMIT_S);
}

/* The jobs of OUTDIR/jobs.csv in another state than `state`, as " id (state)". */
static gchar *
jobs_not_in (const gchar *outdir, const gchar *state)
{
  g_autoptr (GPtrArray) ids = scen_jobs_column (outdir, "job_id");
  g_autoptr (GPtrArray) states = scen_jobs_column (outdir, "final_state");
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (states, i), state) != 0)
      g_string_append_printf (text, " %s (%s)", (const gchar *) g_ptr_array_index (ids, i),
                              (const gchar *) g_ptr_array_index (states, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Runs `consensus` under `faults` and checks that the run ended by itself, complete and safe.
 * Returns: (transfer full) the temporary directory (the run in DIR/run). */
static gchar *
run_checked (const gchar *consensus, const gchar *faults, gchar **out)
{
  gchar *tmpdir = scen_tmpdir_new (PREFIX);
  g_autofree gchar *config = scen_src_path ("tests/scenarios/bad-links.yaml");
  *out = g_build_filename (tmpdir, "run", NULL);
  gint exit_status = run_bounded (config, *out, consensus, faults);
  g_autofree gchar *status = scen_summary_string (*out, "status");
  if (exit_status != 0 || g_strcmp0 (status, "complete") != 0)
    {
      g_autofree gchar *unfinished = jobs_not_in (*out, "COMPLETED_SUCCESSFULLY");
      g_test_message ("%s under {%s}: exit %d (-1: interrupted after %d s), status %s; "
                      "unfinished:%s", consensus, faults, exit_status, WALL_LIMIT_S, status,
                      unfinished);
    }
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_cmpstr (status, ==, "complete");
  g_assert_cmpint (scen_summary_int (*out, "jobs_submitted"), ==, 60);
  g_assert_cmpint (scen_summary_int (*out, "safety_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (*out, "validity_violations"), ==, 0);
  return tmpdir;
}

/* The links are bad from 30 s to 90 s, then good again: every job completes. */
static void
test_healed (gconstpointer data)
{
  const gchar *consensus = data;
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run_checked (consensus, MIXED ", at: 30s, for: 60s", &out);
  g_autofree gchar *unfinished = jobs_not_in (out, "COMPLETED_SUCCESSFULLY");
  g_assert_cmpstr (unfinished, ==, "");
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), ==, 60);
  scen_tmpdir_free (tmpdir);
}

/* The links stay bad for the whole run: a protocol that re-sends on timeouts still settles
 * every job (a job may end rejected when the bids that could run it were all lost). */
static void
test_lasting (gconstpointer data)
{
  const gchar *consensus = data;
  g_autofree gchar *out = NULL;
  gchar *tmpdir = run_checked (consensus, MIXED, &out);
  g_assert_cmpint (scen_summary_int (out, "jobs_completed")
                       + scen_summary_int (out, "jobs_rejected"), ==, 60);
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), >=, 55);
  scen_tmpdir_free (tmpdir);
}

int
main (int argc, char **argv)
{
  /* The protocols designed for asynchronous networks (DESIGN.md §6): each must terminate once
   * the network is good long enough, and keep going while it is not.  auction (model none)
   * promises no agreement, but since its bidders ASK for lost AWARDs it places every job
   * once the links heal (plugins/consensus/auction.c); no more is asked of it. */
  static const gchar *const protocols[] = { "raft", "multipaxos", "pbft", "tendermint" };
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autofree gchar *healed = g_strdup_printf ("/bad-links/healed/%s", protocols[i]);
      g_test_add_data_func (healed, protocols[i], test_healed);
      g_autofree gchar *lasting = g_strdup_printf ("/bad-links/lasting/%s", protocols[i]);
      g_test_add_data_func (lasting, protocols[i], test_lasting);
    }
  g_test_add_data_func ("/bad-links/healed/auction", "auction", test_healed);
  return g_test_run ();
}
