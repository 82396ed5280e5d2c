/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configs/compare/consensus.yaml through the real `dmas run`: the shipped campaign, cut down
 * to two methods and one repetition of each of its eight fault conditions. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scenario.h"

#define PREFIX "dmas-compare"

static void
check_clean (const gchar *out, const gchar *model)
{
  /* Poisson arrivals: of the 500 jobs drawn, those after the horizon are not submitted. */
  g_assert_cmpint (scen_summary_int (out, "jobs_submitted"), >, 450);
  g_assert_cmpint (scen_summary_int (out, "jobs_completed"), ==,
                   scen_summary_int (out, "jobs_submitted"));
  g_assert_cmpint (scen_summary_int (out, "safety_violations"), ==, 0);
  g_assert_cmpint (scen_summary_int (out, "validity_violations"), ==, 0);
  g_autofree gchar *fault_model = scen_summary_string (out, "fault_model");
  g_assert_cmpstr (fault_model, ==, model);
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_assert_cmpstr (status, ==, "complete");
}

static void
test_campaign (ScenFixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scen_src_path ("configs/compare/consensus.yaml");
  g_autofree gchar *out = g_build_filename (f->tmpdir, "campaign", NULL);
  const gchar *extra[] = { "--set", "sweep.scheduling.consensus=[auction, raft]",
                           "--set", "repetitions=1", "-j", "2", NULL };

  /* The plots are report's business (tests/report); here gnuplot would only cost time. */
  g_setenv ("DMAS_GNUPLOT", "", TRUE);
  scen_run (config, out, extra);

  /* 2 methods x 8 fault conditions x 1 repetition.  Without faults and under crashes every
   * run is clean; under the other conditions each run finished with a summary. */
  g_autofree gchar *plan_text = scen_read_file (out, "campaign.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, plan_text, -1, NULL));
  JsonArray *runs = json_object_get_array_member (json_node_get_object (
                                                    json_parser_get_root (parser)), "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 16);
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      const gchar *id = json_object_get_string_member (json_array_get_object_element (runs, i),
                                                       "id");
      g_autofree gchar *dir = g_build_filename (out, "runs", id, NULL);
      gboolean raft = strstr (id, "raft") != NULL;
      if (strstr (id, "+none-") != NULL || strstr (id, "+crash-") != NULL)
        check_clean (dir, raft ? "crash" : "none");
      else
        {
          g_autofree gchar *status = scen_summary_string (dir, "status");
          g_assert_true (g_strcmp0 (status, "complete") == 0
                         || g_strcmp0 (status, "stalled") == 0);
        }
      if (strstr (id, "+crash-") != NULL)
        g_assert_cmpint (scen_summary_int (dir, "agent_failures"), >=, 1);
      else if (strstr (id, "+none-") != NULL)
        g_assert_cmpint (scen_summary_int (dir, "faults_injected"), ==, 0);
    }

  /* The comparison: one summary.csv row per point, stats.json, the page. */
  g_autofree gchar *csv = scen_read_file (out, "summary.csv");
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 16 + 1); /* header, rows, final "" */
  g_autofree gchar *stats = scen_read_file (out, "stats.json");
  g_assert_true (json_parser_load_from_data (parser, stats, -1, NULL));
  g_autofree gchar *html = g_build_filename (out, "report.html", NULL);
  g_assert_true (g_file_test (html, G_FILE_TEST_IS_REGULAR));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/compare/consensus/campaign", ScenFixture, PREFIX, scen_fixture_setup,
              test_campaign, scen_fixture_teardown);
  return g_test_run ();
}
