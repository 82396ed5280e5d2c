/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.html: self-contained, escaped, every named file present, best values marked. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "plots-fixture.h"
#include "report/html.h"
#include "report/plots.h"
#include "report/report.h"

typedef struct {
  gchar *dir;
  DmasCampaignData *data;
  gchar *page;
} Page;

/* Asserts the error first, so a failure shows its message. */
static void
must (gboolean ok, GError **error)
{
  /* The error is read here, after the call: an argument would be read in either order. */
  g_assert_no_error (*error);
  g_assert_true (ok);
}

static void
page_free (Page *page)
{
  fixture_free (page->data);
  fixture_rm_rf (page->dir);
  g_free (page->dir);
  g_free (page->page);
  g_free (page);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/* Writes a campaign dir with a config, plots (rendered or not) and report.html. */
static Page *
page_new (gboolean compare, gboolean render)
{
  g_autoptr (GError) error = NULL;
  Page *page = g_new0 (Page, 1);
  page->dir = g_dir_make_tmp ("dmas-html-XXXXXX", &error);
  g_assert_no_error (error);
  page->data = fixture_new (page->dir, compare);
  g_autofree gchar *config = g_build_filename (page->dir, "config.resolved.yaml", NULL);
  g_file_set_contents (config, "name: \"a <b> & c\"\nseed: 7\n", -1, &error);
  g_assert_no_error (error);
  g_autofree gchar *csv = g_build_filename (page->dir, "summary.csv", NULL);
  g_file_set_contents (csv, "point\n", -1, &error);
  g_assert_no_error (error);

  if (render)
    g_unsetenv ("DMAS_GNUPLOT");
  else
    g_setenv ("DMAS_GNUPLOT", "", TRUE);
  must (dmas_report_plots_write (page->data, &error), &error);
  must (dmas_report_html_write (page->data, &error), &error);
  g_autofree gchar *path = g_build_filename (page->dir, "report.html", NULL);
  g_file_get_contents (path, &page->page, NULL, &error);
  g_assert_no_error (error);
  return page;
}

static gchar *
unescape_attribute (const gchar *value)
{
  g_autoptr (GString) out = g_string_new ("");
  static const gchar *const entities[][2] = {
    { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }
  };
  for (const gchar *c = value; *c != '\0';)
    {
      gboolean replaced = FALSE;
      for (guint e = 0; e < G_N_ELEMENTS (entities) && !replaced; e++)
        if (g_str_has_prefix (c, entities[e][0]))
          {
            g_string_append (out, entities[e][1]);
            c += strlen (entities[e][0]);
            replaced = TRUE;
          }
      if (!replaced)
        g_string_append_c (out, *c++);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every src= and href= of the page names a file of the campaign directory, relatively. */
static guint
check_links (const Page *page)
{
  g_autoptr (GRegex) regex = g_regex_new ("\\b(src|href)\\s*=\\s*\"([^\"]*)\"", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  guint n = 0;
  g_assert_nonnull (regex);
  /* Unquoted or single-quoted attributes would escape the regex: there are none. */
  g_assert_null (strstr (page->page, "src='"));
  g_assert_null (strstr (page->page, "href='"));
  g_assert_null (strstr (page->page, "src=\n"));
  for (g_regex_match (regex, page->page, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    {
      g_autofree gchar *raw = g_match_info_fetch (match, 2);
      g_autofree gchar *target = unescape_attribute (raw);
      g_assert_null (strstr (target, ":"));
      g_assert_false (g_path_is_absolute (target));
      g_autofree gchar *path = g_build_filename (page->dir, target, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_error ("report.html names %s, which does not exist", target);
      n++;
    }
  return n;
}

static void
check_self_contained (const Page *page)
{
  g_assert_null (strstr (page->page, "http://"));
  g_assert_null (strstr (page->page, "https://"));
  g_assert_null (strstr (page->page, "<script"));
  g_assert_null (strstr (page->page, "<link"));
  g_assert_null (strstr (page->page, "@import"));
  g_assert_true (g_str_has_prefix (page->page, "<!DOCTYPE html>"));
  g_assert_true (g_str_has_suffix (page->page, "</html>\n"));
  g_assert_true (g_utf8_validate (page->page, -1, NULL));
}

static void
test_links_rendered (void)
{
  g_autofree gchar *gnuplot = g_find_program_in_path ("gnuplot");
  if (gnuplot == NULL)
    {
      g_test_skip ("gnuplot is not installed");
      return;
    }
  g_autoptr (Page) page = page_new (TRUE, TRUE);
  guint n = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);
  check_self_contained (page);
  g_assert_cmpuint (check_links (page), >, 10);
  for (guint m = 0; m < n; m++)
    {
      g_autofree gchar *img = g_strdup_printf ("<img src=\"plots/%s.svg\"", metrics[m].key);
      g_autofree gchar *png = g_strdup_printf ("href=\"plots/%s.png\"", metrics[m].key);
      g_assert_cmpint (strstr (page->page, img) != NULL, ==, metrics[m].plot);
      g_assert_cmpint (strstr (page->page, png) != NULL, ==, metrics[m].plot);
    }
  g_assert_null (strstr (page->page, "not rendered"));
  g_assert_nonnull (strstr (page->page, "href=\"summary.csv\""));
  /* Not written in this directory, so not linked. */
  g_assert_null (strstr (page->page, "href=\"stats.json\""));
}

static void
test_links_scripts_only (void)
{
  g_autoptr (Page) page = page_new (TRUE, FALSE);
  check_self_contained (page);
  g_assert_cmpuint (check_links (page), >, 10);
  g_assert_null (strstr (page->page, "<img"));
  g_assert_nonnull (strstr (page->page, "not rendered"));
  g_assert_nonnull (strstr (page->page, "href=\"plots/completion_rate.gp\""));
  g_assert_nonnull (strstr (page->page, "href=\"plots/README.txt\""));
}

static void
test_escaped (void)
{
  g_autoptr (Page) page = page_new (TRUE, FALSE);
  g_assert_null (strstr (page->page, "p<b>"));
  g_assert_null (strstr (page->page, "a <b> & c"));
  g_assert_null (strstr (page->page, "crash & burn"));
  g_assert_nonnull (strstr (page->page, "p&lt;b&gt;&amp;&quot;ft&#39;"));
  g_assert_nonnull (strstr (page->page, "demo &lt;script&gt;x&lt;/script&gt; &amp; &#39;q&#39;"));
  g_assert_nonnull (strstr (page->page, "name: &quot;a &lt;b&gt; &amp; c&quot;"));
  g_assert_nonnull (strstr (page->page, "Condition: crash &amp; burn"));
  g_assert_nonnull (strstr (page->page, "9223372036854775783"));

  g_autoptr (GString) s = g_string_new ("");
  dmas_html_append_escaped (s, "<a href='x'>\"&\xff");
  g_assert_cmpstr (s->str, ==, "&lt;a href=&#39;x&#39;&gt;&quot;&amp;\xef\xbf\xbd");
}

/* The cells (<td>...</td>) of the row of METHOD in the table after HEADING. */
static GStrv
table_row (const gchar *page, const gchar *heading, const gchar *method_html)
{
  const gchar *table = strstr (page, heading);
  g_assert_nonnull (table);
  g_autofree gchar *start = g_strdup_printf ("<tr><td class=\"method\">%s</td>", method_html);
  const gchar *row = strstr (table, start);
  g_assert_nonnull (row);
  const gchar *end = strstr (row, "</tr>");
  g_autofree gchar *cells = g_strndup (row + strlen (start), end - row - strlen (start));
  /* "<td ...>x</td><td>y</td>" -> one string per cell, markup kept. */
  GStrv parts = g_strsplit (cells, "</td>", -1);
  return parts;
}

/* Column of metric KEY among the metrics the fixture has values for. */
static guint
column_of (const gchar *key)
{
  guint n = 0, column = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);
  for (guint m = 0; m < n; m++)
    {
      if (strcmp (metrics[m].key, key) == 0)
        return column;
      if (isfinite (fixture_value (m, 0, 0, 1)) || isfinite (fixture_value (m, 1, 0, 1)))
        column++;
    }
  g_error ("no metric %s", key);
}

static void
test_best_marked (void)
{
  g_autoptr (Page) page = page_new (TRUE, FALSE);
  const DmasComparison *cmp = g_ptr_array_index (page->data->comparisons, 0);
  const gchar *b = "p&lt;b&gt;&amp;&quot;ft&#39;";
  g_auto (GStrv) raft = table_row (page->page, "Condition: none", "raft");
  g_auto (GStrv) other = table_row (page->page, "Condition: none", b);
  /* Cell 0 is the runs column. */
  guint completion = 1 + column_of ("completion_rate");
  guint throughput = 1 + column_of ("throughput_jobs_per_h");

  /* Completion rate: higher is better, raft is higher; the other method is significantly
   * worse (paired t, Holm), so it carries the stars of that p. */
  g_assert_true (g_str_has_prefix (raft[completion], "<td class=\"best\">"));
  g_assert_nonnull (strstr (raft[completion], "&#10003;"));
  g_assert_false (g_str_has_prefix (other[completion], "<td class=\"best\">"));
  const gchar *stars = dmas_stats_stars (cmp->p_t_holm[fixture_metric ("completion_rate")]);
  g_assert_cmpstr (stars, !=, "");
  g_autofree gchar *stars_html = g_strdup_printf ("<span class=\"stars\">%s</span>", stars);
  g_assert_true (g_str_has_suffix (other[completion], stars_html));
  /* Mean 95.13 % (95.31, 94.88, 95.20), CI half-width 0.5549: two significant digits of
   * the CI, the mean to the same place. */
  g_assert_cmpstr (raft[completion], ==,
                   "<td class=\"best\"><strong>95.13 &plusmn; 0.55 &#10003;</strong>");
  g_assert_cmpstr (raft[0], ==, "<td>3/3");
  g_auto (GStrv) crashed = table_row (page->page, "Condition: crash &amp; burn", b);
  g_assert_cmpstr (crashed[0], ==, "<td>2/3");

  /* Throughput: higher is better and the other method is higher. */
  g_assert_true (g_str_has_prefix (other[throughput], "<td class=\"best\">"));
  g_assert_false (g_str_has_prefix (raft[throughput], "<td class=\"best\">"));

  /* A metric without values gets no column but a note. */
  guint n = 0;
  g_autofree gchar *note = g_strdup_printf ("No values: %s",
                                            dmas_report_metrics (&n)[fixture_metric (
                                              "decision_latency_p50_s")].title);
  g_assert_nonnull (strstr (page->page, note));
}

static void
test_runs_listed (void)
{
  g_autoptr (Page) page = page_new (TRUE, FALSE);
  /* One crashed run with its replay command, one missing run. */
  g_assert_nonnull (strstr (page->page, "003-m1+f1-r3"));
  g_assert_nonnull (strstr (page->page, "signal 11 (Segmentation fault)"));
  g_autofree gchar *replay = g_strdup_printf ("dmas replay %s/runs/003-m1+f1-r3", page->dir);
  g_assert_nonnull (strstr (page->page, replay));
  g_assert_nonnull (strstr (page->page, "Not run (yet): 001-m0+f1-r2."));
  /* ok, deadlock, stalled, interrupted, crashed, failed, missing, total */
  g_assert_nonnull (strstr (page->page, "<td>10</td><td>0</td><td>0</td><td>0</td><td>1</td>"
                                        "<td>0</td><td>1</td><td>12</td>"));
}

static void
test_no_comparison (void)
{
  g_autoptr (Page) page = page_new (FALSE, FALSE);
  check_self_contained (page);
  check_links (page);
  g_assert_nonnull (strstr (page->page, "one row per point"));
  g_assert_null (strstr (page->page, "class=\"best\""));
  g_auto (GStrv) row = table_row (page->page, "<h2>Results", "raft, none");
  g_assert_cmpuint (g_strv_length (row), >, 5);
}

/* The whole pipeline: the fixture written as a result directory, read back by the loader,
 * every report file written by dmas_report_generate; the page must agree with the fixture
 * and name only files that exist. */
static void
test_generated_dir (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *gnuplot = g_find_program_in_path ("gnuplot");
  Page *page = g_new0 (Page, 1);
  g_autoptr (Page) owner = page;
  page->dir = g_dir_make_tmp ("dmas-html-XXXXXX", &error);
  g_assert_no_error (error);
  page->data = fixture_new (page->dir, TRUE);
  fixture_write_dir (page->data);
  g_autofree gchar *config = g_build_filename (page->dir, "config.resolved.yaml", NULL);
  g_file_set_contents (config, "name: x\n", -1, &error);
  g_assert_no_error (error);

  if (gnuplot != NULL)
    g_unsetenv ("DMAS_GNUPLOT");
  else
    g_setenv ("DMAS_GNUPLOT", "", TRUE);
  must (dmas_report_generate (page->dir, &error), &error);
  g_autofree gchar *path = g_build_filename (page->dir, "report.html", NULL);
  g_file_get_contents (path, &page->page, NULL, &error);
  g_assert_no_error (error);

  check_self_contained (page);
  g_assert_cmpuint (check_links (page), >, 20);
  g_assert_nonnull (strstr (page->page, "href=\"stats.json\""));
  g_assert_nonnull (strstr (page->page, "href=\"runs.jsonl\""));
  g_assert_cmpint (strstr (page->page, "<img src=\"plots/completion_rate.svg\"") != NULL, ==,
                   gnuplot != NULL);

  /* The loader's statistics and the fixture's agree. */
  const DmasComparison *cmp = g_ptr_array_index (page->data->comparisons, 0);
  guint completion = 1 + column_of ("completion_rate");
  g_auto (GStrv) raft = table_row (page->page, "Condition: none", "raft");
  g_auto (GStrv) other = table_row (page->page, "Condition: none", "p&lt;b&gt;&amp;&quot;ft&#39;");
  g_assert_cmpstr (raft[completion], ==,
                   "<td class=\"best\"><strong>95.13 &plusmn; 0.55 &#10003;</strong>");
  g_autofree gchar *stars = g_strdup_printf (
    "<span class=\"stars\">%s</span>",
    dmas_stats_stars (cmp->p_t_holm[fixture_metric ("completion_rate")]));
  g_assert_true (g_str_has_suffix (other[completion], stars));
  g_assert_nonnull (strstr (page->page, "003-m1+f1-r3"));
  g_unsetenv ("DMAS_GNUPLOT");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/html/links-rendered", test_links_rendered);
  g_test_add_func ("/report/html/links-scripts-only", test_links_scripts_only);
  g_test_add_func ("/report/html/escaped", test_escaped);
  g_test_add_func ("/report/html/best-marked", test_best_marked);
  g_test_add_func ("/report/html/runs-listed", test_runs_listed);
  g_test_add_func ("/report/html/no-comparison", test_no_comparison);
  g_test_add_func ("/report/html/generated-dir", test_generated_dir);
  return g_test_run ();
}
