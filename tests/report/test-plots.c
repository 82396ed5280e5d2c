/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/: data files, gnuplot scripts, rendering with and without gnuplot. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "plots-fixture.h"
#include "report/plots.h"

/* Asserts the error first, so a failure shows its message. */
static void
must (gboolean ok, GError **error)
{
  /* The error is read here, after the call: an argument would be read in either order. */
  g_assert_no_error (*error);
  g_assert_true (ok);
}

static gchar *
read_file (const gchar *dir, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (dir, "plots", name, NULL);
  g_autoptr (GError) error = NULL;
  gchar *text = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
plot_file_exists (const gchar *dir, const gchar *key, const gchar *ext)
{
  g_autofree gchar *path = g_strdup_printf ("%s/plots/%s.%s", dir, key, ext);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The non-comment lines of a .dat file: the quoted label, then the blank-separated numbers. */
static GPtrArray *
dat_rows (const gchar *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      /* The label is the quoted first field: take it whole, then split the numbers. */
      g_assert_true (lines[i][0] == '"');
      const gchar *close = strchr (lines[i] + 1, '"');
      g_assert_nonnull (close);
      g_autofree gchar *label = g_strndup (lines[i] + 1, close - lines[i] - 1);
      g_autofree gchar *rest = g_strstrip (g_strdup (close + 1));
      g_auto (GStrv) numbers = g_strsplit (rest, " ", -1);
      GStrv row = g_new0 (gchar *, g_strv_length (numbers) + 2);
      row[0] = g_steal_pointer (&label);
      for (guint j = 0; numbers[j] != NULL; j++)
        row[j + 1] = g_strdup (numbers[j]);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static void
check_dat (const DmasCampaignData *data, const gchar *key)
{
  guint m = fixture_metric (key);
  guint n = 0;
  const DmasReportMetric *metric = &dmas_report_metrics (&n)[m];
  g_autofree gchar *name = g_strconcat (key, ".dat", NULL);
  g_autofree gchar *text = read_file (data->dir, name);
  g_autoptr (GPtrArray) rows = dat_rows (text);

  g_assert_cmpuint (rows->len, ==, 2);
  for (guint fault = 0; fault < 2; fault++)
    {
      GStrv row = g_ptr_array_index (rows, fault);
      g_assert_cmpstr (row[0], ==, fault == 0 ? "none" : FIXTURE_FAULT_B);
      g_assert_cmpuint (g_strv_length (row), ==, 1 + 3 * 2);
      for (guint method = 0; method < 2; method++)
        {
          guint p = 2 * method + fault;
          gdouble sum = 0.0;
          guint count = 0;
          for (guint rep = 1; rep <= FIXTURE_REPS; rep++)
            {
              gdouble v = fixture_value (m, method, fault, rep);
              if (fixture_run_counted (p, rep) && isfinite (v))
                sum += v, count++;
            }
          const gchar *mean = row[1 + 3 * method];
          const gchar *half = row[2 + 3 * method];
          g_assert_cmpuint (g_ascii_strtoull (row[3 + 3 * method], NULL, 10), ==, count);
          if (count == 0)
            {
              g_assert_cmpstr (mean, ==, "NaN");
              g_assert_cmpstr (half, ==, "NaN");
              continue;
            }
          gdouble expected = sum / count * metric->scale;
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (mean, NULL), expected,
                                          1e-8 * fabs (expected));
          const DmasCellStats *cell = &data->cells[p * data->n_metrics + m];
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (half, NULL),
                                          cell->ci_half * metric->scale,
                                          1e-8 * fabs (cell->ci_half * metric->scale));
          g_assert_cmpfloat (g_ascii_strtod (half, NULL), >, 0.0);
        }
    }
}

static void
test_without_gnuplot (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-plots-XXXXXX", &error);
  g_assert_no_error (error);
  DmasCampaignData *data = fixture_new (dir, TRUE);
  guint n = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);

  /* A stale image from an earlier report must not survive a report without gnuplot. */
  g_autofree gchar *plots = g_build_filename (dir, "plots", NULL);
  g_assert_cmpint (g_mkdir (plots, 0755), ==, 0);
  g_autofree gchar *stale = g_build_filename (plots, "completion_rate.svg", NULL);
  g_file_set_contents (stale, "<svg/>", -1, &error);
  g_assert_no_error (error);

  g_setenv ("DMAS_GNUPLOT", "", TRUE);
  must (dmas_report_plots_write (data, &error), &error);
  g_assert_false (dmas_report_plots_rendered (data));
  guint plotted = 0;
  for (guint m = 0; m < n; m++)
    {
      g_assert_cmpint (plot_file_exists (dir, metrics[m].key, "dat"), ==, metrics[m].plot);
      g_assert_cmpint (plot_file_exists (dir, metrics[m].key, "gp"), ==, metrics[m].plot);
      g_assert_false (plot_file_exists (dir, metrics[m].key, "svg"));
      g_assert_false (plot_file_exists (dir, metrics[m].key, "png"));
      plotted += metrics[m].plot;
    }
  g_assert_cmpuint (plotted, >=, 6);
  g_autofree gchar *readme = read_file (dir, "README.txt");
  g_assert_nonnull (strstr (readme, "gnuplot completion_rate.gp"));

  check_dat (data, "completion_rate");
  check_dat (data, "throughput_jobs_per_h");
  check_dat (data, "msgs_per_decision");      /* one method without values */
  check_dat (data, "decision_latency_p50_s"); /* no values at all */

  /* Labels keep their exact text in the script (gnuplot single quotes double a quote). */
  g_autofree gchar *gp = read_file (dir, "completion_rate.gp");
  g_assert_nonnull (strstr (gp, "title 'p<b>&\"ft'''"));
  g_assert_nonnull (strstr (gp, "'crash & burn' 1"));
  g_assert_nonnull (strstr (gp, "set ylabel 'Completion rate (%)'"));
  g_assert_nonnull (strstr (gp, "errorbars"));
  g_autofree gchar *empty_gp = read_file (dir, "decision_latency_p50_s.gp");
  g_assert_null (strstr (empty_gp, "histogram"));

  /* Same data, same files. */
  g_autofree gchar *dat1 = read_file (dir, "wait_mean_s.dat");
  must (dmas_report_plots_write (data, &error), &error);
  g_autofree gchar *dat2 = read_file (dir, "wait_mean_s.dat");
  g_autofree gchar *gp2 = read_file (dir, "completion_rate.gp");
  g_assert_cmpstr (dat1, ==, dat2);
  g_assert_cmpstr (gp, ==, gp2);

  fixture_free (data);
  fixture_rm_rf (dir);
}

static void
check_image (const gchar *dir, const gchar *key, const gchar *ext)
{
  g_autofree gchar *path = g_strdup_printf ("%s/plots/%s.%s", dir, key, ext);
  g_autofree gchar *bytes = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &bytes, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 100);
  if (strcmp (ext, "png") == 0)
    g_assert_cmpint (memcmp (bytes, "\x89PNG\r\n\x1a\n", 8), ==, 0);
  else
    g_assert_nonnull (g_strstr_len (bytes, len, "<svg"));
}

static void
test_with_gnuplot (void)
{
  g_autofree gchar *gnuplot = g_find_program_in_path ("gnuplot");
  if (gnuplot == NULL)
    {
      g_test_skip ("gnuplot is not installed");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-plots-XXXXXX", &error);
  g_assert_no_error (error);
  guint n = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);

  for (guint compare = 0; compare < 2; compare++)
    {
      DmasCampaignData *data = fixture_new (dir, compare);
      /* A README from an earlier report without gnuplot goes away once plots render. */
      g_setenv ("DMAS_GNUPLOT", "", TRUE);
      must (dmas_report_plots_write (data, &error), &error);
      g_unsetenv ("DMAS_GNUPLOT");
      must (dmas_report_plots_write (data, &error), &error);
      g_assert_true (dmas_report_plots_rendered (data));
      for (guint m = 0; m < n; m++)
        if (metrics[m].plot)
          {
            check_image (dir, metrics[m].key, "svg");
            check_image (dir, metrics[m].key, "png");
          }
      g_autofree gchar *readme = g_build_filename (dir, "plots", "README.txt", NULL);
      g_assert_false (g_file_test (readme, G_FILE_TEST_EXISTS));
      fixture_free (data);
    }
  fixture_rm_rf (dir);
}

static void
test_no_comparison (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-plots-XXXXXX", &error);
  g_assert_no_error (error);
  DmasCampaignData *data = fixture_new (dir, FALSE);
  guint m = fixture_metric ("completion_rate");

  g_setenv ("DMAS_GNUPLOT", "", TRUE);
  must (dmas_report_plots_write (data, &error), &error);
  g_autofree gchar *text = read_file (dir, "completion_rate.dat");
  g_autoptr (GPtrArray) rows = dat_rows (text);
  /* One bar per point, in point order. */
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint p = 0; p < 4; p++)
    {
      GStrv row = g_ptr_array_index (rows, p);
      g_assert_cmpuint (g_strv_length (row), ==, 4);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[1], NULL),
                                      data->cells[p * data->n_metrics + m].mean * 100.0, 1e-8);
    }
  /* '"' cannot appear inside a gnuplot data string: it is replaced, the rest kept. */
  g_assert_cmpstr (((GStrv) g_ptr_array_index (rows, 2))[0], ==, "p<b>&'ft', none");
  g_autofree gchar *gp = read_file (dir, "completion_rate.gp");
  g_assert_nonnull (strstr (gp, "'p<b>&\"ft'', none' 2"));
  fixture_free (data);
  fixture_rm_rf (dir);
}

/* Returns: the path of an executable shell script DIR/NAME running BODY. */
static gchar *
write_program (const gchar *dir, const gchar *name, const gchar *body)
{
  g_autoptr (GError) error = NULL;
  gchar *path = g_build_filename (dir, name, NULL);
  g_autofree gchar *text = g_strdup_printf ("#!/bin/sh\n%s\n", body);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static void
test_bad_gnuplot (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-plots-XXXXXX", &error);
  g_assert_no_error (error);
  DmasCampaignData *data = fixture_new (dir, TRUE);

  g_setenv ("DMAS_GNUPLOT", "/nonexistent/gnuplot", TRUE);
  g_assert_false (dmas_report_plots_write (data, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "DMAS_GNUPLOT=/nonexistent/gnuplot"));
  g_clear_error (&error);

  /* A "gnuplot" that fails: the error names the script and carries gnuplot's stderr. */
  g_autofree gchar *failing = write_program (dir, "failing-gnuplot",
                                             "echo \"line 3: bad things\" >&2; exit 1");
  g_setenv ("DMAS_GNUPLOT", failing, TRUE);
  g_assert_false (dmas_report_plots_write (data, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "completion_rate.gp: gnuplot failed"));
  g_assert_nonnull (strstr (error->message, "line 3: bad things"));
  g_clear_error (&error);

  /* A "gnuplot" that succeeds without drawing anything is caught too. */
  g_autofree gchar *silent = write_program (dir, "silent-gnuplot", "exit 0");
  g_setenv ("DMAS_GNUPLOT", silent, TRUE);
  g_assert_false (dmas_report_plots_write (data, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "gnuplot wrote no"));
  g_unsetenv ("DMAS_GNUPLOT");
  fixture_free (data);
  fixture_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/plots/without-gnuplot", test_without_gnuplot);
  g_test_add_func ("/report/plots/with-gnuplot", test_with_gnuplot);
  g_test_add_func ("/report/plots/no-comparison", test_no_comparison);
  g_test_add_func ("/report/plots/bad-gnuplot", test_bad_gnuplot);
  return g_test_run ();
}
