/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.html: the campaign on one self-contained page (no scripts, no network resources). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "metrics/summary.h"
#include "report/html.h"
#include "report/plots.h"

#define NO_BEST G_MAXUINT

static const gchar page_css[] =
  "body{font-family:sans-serif;margin:1.5em auto;max-width:80em;padding:0 1em;color:#222}"
  "h1,h2,h3{font-weight:600}table{border-collapse:collapse;margin:.5em 0 1em}"
  "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right;white-space:nowrap}"
  "th{background:#f2f2f2}td.method,th.method{text-align:left}"
  "td.best{background:#e3f4e3}.stars{color:#a40;font-size:.85em;margin-left:.15em}"
  ".scroll{overflow-x:auto}pre{background:#f7f7f7;border:1px solid #ddd;padding:.75em;"
  "overflow-x:auto;font-size:.9em}.notice{background:#fff6dc;border:1px solid #e6c96b;"
  "padding:.5em .75em}dl.meta{display:grid;grid-template-columns:max-content auto;"
  "gap:.2em 1em}dl.meta dt{font-weight:600}summary{font-size:1.2em;font-weight:600;"
  "cursor:pointer;margin:1em 0 .5em}dl.meta dd{margin:0}figure{margin:1em 0}"
  "figure img{max-width:100%;height:auto;border:1px solid #eee}.muted{color:#666}";

void
dmas_html_append_escaped (GString *out, const gchar *text)
{
  /* Config files are checked by their loader, but a label is only as valid as the file it
   * came from: never pass bytes through that are not UTF-8 (the page declares UTF-8). */
  g_autofree gchar *valid = g_utf8_make_valid (text, -1);
  for (const gchar *c = valid; *c != '\0'; c++)
    switch (*c)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *c); break;
      }
}

/* Decimals for a mean and its CI: the CI to two significant digits and the mean to the
 * same place (so "95.13 &plusmn; 0.55", "2001.3 &plusmn; 6.2"); without a CI, the mean to
 * three significant digits. */
static gint
display_decimals (gdouble mean, gdouble half)
{
  gdouble a = fabs (half);
  gint lead = 1;
  if (!(a > 0.0) || !isfinite (a))
    {
      a = fabs (mean);
      lead = 2;
    }
  if (!(a > 0.0) || !isfinite (a))
    return 0;   /* "0 &plusmn; 0": nothing to round */
  return CLAMP (lead - (gint) floor (log10 (a)), 0, 6);
}

static void
append_fixed (GString *out, gdouble v, gint decimals)
{
  gchar fmt[16];
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, fmt, v));
}

static gboolean
file_in_dir_exists (const DmasCampaignData *data, const gchar *relative)
{
  g_autofree gchar *path = g_build_filename (data->dir, relative, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* A link to a file of the campaign directory, only when the file is there: a page that
 * names missing files is worse than one that names fewer. */
static void
append_link (GString *out, const DmasCampaignData *data, const gchar *relative,
             const gchar *text)
{
  if (!file_in_dir_exists (data, relative))
    return;
  g_string_append (out, "<a href=\"");
  dmas_html_append_escaped (out, relative);
  g_string_append (out, "\">");
  dmas_html_append_escaped (out, text);
  g_string_append (out, "</a> ");
}

static void
append_header (GString *out, const DmasCampaignData *data)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<title>dmas campaign ");
  dmas_html_append_escaped (out, data->name);
  g_string_append_printf (out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Campaign ",
                          page_css);
  dmas_html_append_escaped (out, data->name);
  g_string_append (out, "</h1>\n<dl class=\"meta\">\n<dt>Source</dt><dd>");
  dmas_html_append_escaped (out, data->source != NULL ? data->source : "");
  g_string_append_printf (out, "</dd>\n<dt>Master seed</dt><dd>%" G_GUINT64_FORMAT "</dd>\n"
                               "<dt>Paired</dt><dd>%s</dd>\n<dt>Compared</dt><dd>",
                          data->master_seed, data->paired ? "yes (methods of one repetition "
                          "share workload and faults)" : "no");
  if (data->compare_axis >= 0)
    {
      const DmasAxis *axis = g_ptr_array_index (data->axes, data->compare_axis);
      dmas_html_append_escaped (out, axis->key);
    }
  else
    g_string_append (out, "nothing (no comparison axis)");
  g_string_append (out, "</dd>\n");
  for (guint a = 0; a < data->axes->len; a++)
    {
      const DmasAxis *axis = g_ptr_array_index (data->axes, a);
      g_string_append (out, "<dt>Axis ");
      dmas_html_append_escaped (out, axis->key);
      g_string_append (out, "</dt><dd>");
      for (guint l = 0; l < axis->labels->len; l++)
        {
          g_string_append (out, l > 0 ? ", " : "");
          dmas_html_append_escaped (out, g_ptr_array_index (axis->labels, l));
        }
      g_string_append (out, "</dd>\n");
    }
  g_string_append_printf (out, "<dt>Points</dt><dd>%u</dd>\n<dt>Runs</dt><dd>%u</dd>\n</dl>\n",
                          data->points->len, data->runs->len);
}

static gboolean
append_config (GString *out, const DmasCampaignData *data, GError **error)
{
  g_autofree gchar *path = g_build_filename (data->dir, "config.resolved.yaml", NULL);
  g_autofree gchar *text = NULL;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", path);
          return FALSE;
        }
      g_string_append (out, "<p class=\"notice\">config.resolved.yaml is missing from the "
                            "campaign directory.</p>\n");
      return TRUE;
    }
  /* <details> folds the config without a script, so the tables stay near the top. */
  g_string_append (out, "<details>\n<summary>Configuration</summary>\n<p>");
  append_link (out, data, "config.resolved.yaml", "config.resolved.yaml");
  g_string_append (out, "(defaults filled in; each run's own config, with its seeds, is in "
                        "runs/&lt;id&gt;/config.resolved.yaml)</p>\n<pre>");
  dmas_html_append_escaped (out, text);
  g_string_append (out, "</pre>\n</details>\n");
  return TRUE;
}

static void
append_replay_command (GString *out, const DmasCampaignData *data, const DmasRunRecord *run)
{
  g_autofree gchar *run_dir = g_build_filename (data->dir, "runs", run->id, NULL);
  /* Quote only what a shell would split, so the common case copies cleanly. */
  gboolean plain = strspn (run_dir, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_./+,:=@") == strlen (run_dir);
  g_autofree gchar *quoted = plain ? g_strdup (run_dir) : g_shell_quote (run_dir);
  g_autofree gchar *command = g_strconcat ("dmas replay ", quoted, NULL);
  g_string_append (out, "<code>");
  dmas_html_append_escaped (out, command);
  g_string_append (out, "</code>");
}

static void
append_runs (GString *out, const DmasCampaignData *data)
{
  guint counts[DMAS_RUN_RECORD_N_STATUSES] = { 0 };
  static const DmasRunRecordStatus order[] = {
    DMAS_RUN_RECORD_OK, DMAS_RUN_RECORD_DEADLOCK, DMAS_RUN_RECORD_STALLED,
    DMAS_RUN_RECORD_INTERRUPTED,
    DMAS_RUN_RECORD_CRASHED, DMAS_RUN_RECORD_FAILED, DMAS_RUN_RECORD_MISSING
  };
  guint flagged = 0;

  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = g_ptr_array_index (data->runs, r);
      if (run->status < DMAS_RUN_RECORD_N_STATUSES)
        counts[run->status]++;
      flagged += run->status != DMAS_RUN_RECORD_OK && run->status != DMAS_RUN_RECORD_MISSING;
    }
  g_string_append (out, "<h2>Runs</h2>\n<table>\n<tr>");
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_string_append_printf (out, "<th>%s</th>", dmas_run_record_status_to_string (order[i]));
  g_string_append (out, "<th>total</th></tr>\n<tr>");
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_string_append_printf (out, "<td>%u</td>", counts[order[i]]);
  g_string_append_printf (out, "<td>%u</td></tr>\n</table>\n<p class=\"muted\">Statistics count "
                               "ok, deadlocked and stalled runs; interrupted, crashed, failed and missing "
                               "runs are left out.</p>\n", data->runs->len);

  if (flagged > 0)
    {
      g_string_append (out, "<table>\n<tr><th class=\"method\">run</th><th>status</th>"
                            "<th>seed</th><th>world seed</th><th class=\"method\">detail</th>"
                            "<th class=\"method\">replay</th></tr>\n");
      for (guint r = 0; r < data->runs->len; r++)
        {
          const DmasRunRecord *run = g_ptr_array_index (data->runs, r);
          if (run->status == DMAS_RUN_RECORD_OK || run->status == DMAS_RUN_RECORD_MISSING)
            continue;
          g_string_append (out, "<tr><td class=\"method\">");
          dmas_html_append_escaped (out, run->id);
          g_string_append_printf (out, "</td><td>%s</td><td>%" G_GUINT64_FORMAT "</td><td>%"
                                       G_GUINT64_FORMAT "</td><td class=\"method\">",
                                  dmas_run_record_status_to_string (run->status), run->seed, run->world_seed);
          dmas_html_append_escaped (out, run->detail != NULL ? run->detail : "");
          g_string_append (out, "</td><td class=\"method\">");
          append_replay_command (out, data, run);
          g_string_append (out, "</td></tr>\n");
        }
      g_string_append (out, "</table>\n");
    }
  if (counts[DMAS_RUN_RECORD_MISSING] > 0)
    {
      g_string_append (out, "<p>Not run (yet): ");
      guint listed = 0;
      for (guint r = 0; r < data->runs->len; r++)
        {
          const DmasRunRecord *run = g_ptr_array_index (data->runs, r);
          if (run->status != DMAS_RUN_RECORD_MISSING)
            continue;
          g_string_append (out, listed++ > 0 ? ", " : "");
          dmas_html_append_escaped (out, run->id);
        }
      g_string_append (out, ". <code>dmas run --resume</code> on the campaign directory runs "
                            "them.</p>\n");
    }
}

static guint
counted_runs (const DmasCampaignData *data, guint point)
{
  guint n = 0;
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = g_ptr_array_index (data->runs, r);
      n += run->point == point && dmas_run_record_counted (run);
    }
  return n;
}

/* Index of pair (i, j), i < j, among k methods in row-major order. */
static guint
pair_index (guint i, guint j, guint k)
{
  return i * (2 * k - i - 1) / 2 + (j - i - 1);
}

/* The method with the best mean of metric m, NO_BEST when the metric has no direction or no
 * method has a value.  Ties go to the first method; every tied method is marked. */
static guint
best_method (const DmasCellStats *cells, guint k, gint better, gdouble *best_mean)
{
  guint best = NO_BEST;
  for (guint i = 0; i < k && better != 0; i++)
    {
      if (cells[i].n == 0 || !isfinite (cells[i].mean))
        continue;
      if (best == NO_BEST || (better > 0 ? cells[i].mean > cells[best].mean
                                         : cells[i].mean < cells[best].mean))
        best = i;
    }
  *best_mean = best != NO_BEST ? cells[best].mean : NAN;
  return best;
}

static void
append_cell (GString *out, const DmasCellStats *cell, gdouble scale, gboolean is_best,
             const gchar *stars)
{
  g_string_append (out, is_best ? "<td class=\"best\"><strong>" : "<td>");
  if (cell->n == 0 || !isfinite (cell->mean))
    g_string_append (out, "&ndash;");
  else
    {
      gdouble mean = cell->mean * scale;
      gdouble half = cell->n > 1 ? cell->ci_half * scale : NAN;
      gint decimals = display_decimals (mean, half);
      append_fixed (out, mean, decimals);
      if (isfinite (half))
        {
          g_string_append (out, " &plusmn; ");
          append_fixed (out, half, decimals);
        }
      else
        g_string_append_printf (out, " <span class=\"muted\">(n=%u)</span>", cell->n);
    }
  if (is_best)
    g_string_append (out, " &#10003;</strong>");
  if (*stars != '\0')
    g_string_append_printf (out, "<span class=\"stars\">%s</span>", stars);
  g_string_append (out, "</td>");
}

/* One table: rows = the k points ROWS (the methods of CMP, or every point when CMP is
 * NULL), columns = the metrics with a value in some row.  Cells come from CMP's own cells
 * when there is a comparison (they go with its tests), else from data->cells; only a
 * comparison gets best markers and stars. */
static void
append_table (GString *out, const DmasCampaignData *data, const DmasComparison *cmp,
              const guint *rows, guint k)
{
  guint n_metrics = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  const DmasAxis *compared = cmp != NULL ? g_ptr_array_index (data->axes, data->compare_axis)
                                         : NULL;
  g_autoptr (GString) empty = g_string_new ("");

  g_string_append (out, "<div class=\"scroll\"><table>\n<tr><th class=\"method\">");
  dmas_html_append_escaped (out, compared != NULL ? compared->key : "point");
  g_string_append (out, "</th><th>runs</th>");
  g_autofree gboolean *shown = g_new0 (gboolean, MAX (n_metrics, 1));
  for (guint m = 0; m < n_metrics; m++)
    {
      for (guint i = 0; i < k; i++)
        {
          const DmasCellStats *cell = cmp != NULL ? &cmp->cells[m * k + i]
                                                  : &data->cells[rows[i] * n_metrics + m];
          shown[m] = shown[m] || cell->n > 0;
        }
      if (!shown[m])
        {
          g_string_append (empty, empty->len > 0 ? ", " : "");
          dmas_html_append_escaped (empty, metrics[m].title);
          continue;
        }
      g_string_append (out, "<th>");
      dmas_html_append_escaped (out, metrics[m].title);
      if (metrics[m].unit != NULL && *metrics[m].unit != '\0')
        {
          g_string_append (out, "<br><span class=\"muted\">");
          dmas_html_append_escaped (out, metrics[m].unit);
          g_string_append (out, "</span>");
        }
      g_string_append_printf (out, "%s</th>", metrics[m].better > 0 ? " &uarr;"
                                              : metrics[m].better < 0 ? " &darr;" : "");
    }
  g_string_append (out, "</tr>\n");

  for (guint i = 0; i < k; i++)
    {
      const DmasPoint *point = g_ptr_array_index (data->points, rows[i]);
      g_string_append (out, "<tr><td class=\"method\">");
      if (compared != NULL)
        dmas_html_append_escaped (out, g_ptr_array_index (compared->labels,
                                                          point->labels[data->compare_axis]));
      else
        dmas_html_append_escaped (out, *point->label != '\0' ? point->label : point->id);
      g_string_append_printf (out, "</td><td>%u/%u</td>", counted_runs (data, rows[i]),
                              point->repetitions);
      for (guint m = 0; m < n_metrics; m++)
        {
          if (!shown[m])
            continue;
          if (cmp == NULL)
            {
              append_cell (out, &data->cells[rows[i] * n_metrics + m], metrics[m].scale, FALSE,
                           "");
              continue;
            }
          gdouble best_mean;
          guint best = best_method (&cmp->cells[m * k], k, metrics[m].better, &best_mean);
          const DmasCellStats *cell = &cmp->cells[m * k + i];
          gboolean is_best = best != NO_BEST && cell->n > 0 && cell->mean == best_mean;
          const gchar *stars = "";
          if (best != NO_BEST && !is_best && cmp->n_pairs > 0)
            {
              guint pair = pair_index (MIN (i, best), MAX (i, best), k);
              const gdouble *p_holm = data->paired ? cmp->p_t_holm : cmp->p_welch_holm;
              stars = dmas_stats_stars (p_holm[m * cmp->n_pairs + pair]);
            }
          append_cell (out, cell, metrics[m].scale, is_best, stars);
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</table></div>\n");
  if (empty->len > 0)
    g_string_append_printf (out, "<p class=\"muted\">No values: %s.</p>\n", empty->str);
}

static void
append_comparisons (GString *out, const DmasCampaignData *data)
{
  g_string_append (out, "<h2>Results</h2>\n<p>The runs column counts the runs that enter the "
                        "statistics (ok, deadlocked or stalled) of the point's repetitions. Each cell: "
                        "mean &plusmn; half-width of the "
                        "95 % confidence interval (Student t) over the repetitions; "
                        "&uarr; higher is better, &darr; lower is better.");
  if (data->compare_axis < 0)
    {
      g_string_append (out, " Nothing is compared in this campaign: one row per point.</p>\n");
      g_autofree guint *rows = g_new (guint, MAX (data->points->len, 1));
      for (guint p = 0; p < data->points->len; p++)
        rows[p] = p;
      append_table (out, data, NULL, rows, data->points->len);
      return;
    }
  g_string_append_printf (out, " <strong>&#10003;</strong> on a green ground marks the best "
                               "value of a column. Stars: the method differs from the best one "
                               "of its column by a %s (two-sided, Holm-corrected across the "
                               "method pairs of the condition): * p &lt; 0.05, ** p &lt; 0.01, "
                               "*** p &lt; 0.001.</p>\n",
                          data->paired ? "paired t-test over the repetitions both finished"
                                       : "Welch's t-test (the runs are not paired)");
  for (guint c = 0; c < data->comparisons->len; c++)
    {
      const DmasComparison *cmp = g_ptr_array_index (data->comparisons, c);
      g_string_append (out, "<h3>");
      if (*cmp->condition != '\0')
        {
          g_string_append (out, "Condition: ");
          dmas_html_append_escaped (out, cmp->condition);
        }
      else
        g_string_append (out, "All runs");
      g_string_append (out, "</h3>\n");
      append_table (out, data, cmp, (const guint *) cmp->points->data, cmp->points->len);
    }
}

static void
append_plots (GString *out, const DmasCampaignData *data)
{
  guint n_metrics = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  gboolean rendered = dmas_report_plots_rendered (data);

  g_string_append (out, "<h2>Plots</h2>\n");
  if (!rendered)
    {
      g_string_append (out, "<p class=\"notice\">The plots were not rendered: gnuplot was not "
                            "found when this report was written. Run <code>gnuplot "
                            "&lt;metric&gt;.gp</code> in plots/, or install gnuplot and run "
                            "<code>dmas report</code> on this directory again. ");
      append_link (out, data, "plots/README.txt", "plots/README.txt");
      g_string_append (out, "</p>\n");
    }
  for (guint m = 0; m < n_metrics; m++)
    {
      if (!metrics[m].plot)
        continue;
      g_autofree gchar *svg = g_strdup_printf ("plots/%s.svg", metrics[m].key);
      g_autofree gchar *png = g_strdup_printf ("plots/%s.png", metrics[m].key);
      g_autofree gchar *gp = g_strdup_printf ("plots/%s.gp", metrics[m].key);
      g_autofree gchar *dat = g_strdup_printf ("plots/%s.dat", metrics[m].key);
      g_string_append (out, "<figure>\n");
      if (rendered && file_in_dir_exists (data, svg))
        {
          g_string_append (out, "<img src=\"");
          dmas_html_append_escaped (out, svg);
          g_string_append (out, "\" alt=\"");
          dmas_html_append_escaped (out, metrics[m].title);
          g_string_append (out, "\">\n");
        }
      g_string_append (out, "<figcaption>");
      dmas_html_append_escaped (out, metrics[m].title);
      g_string_append (out, ": ");
      append_link (out, data, png, "PNG");
      append_link (out, data, gp, "gnuplot script");
      append_link (out, data, dat, "data");
      g_string_append (out, "</figcaption>\n</figure>\n");
    }
}

static void
append_files (GString *out, const DmasCampaignData *data)
{
  static const gchar *const files[] = {
    "campaign.json", "config.resolved.yaml", "runs.jsonl", "summary.csv", "stats.json",
    "experiment_config.json", "experiment_summary.json", "raw_results.json",
    "fault_aware_summary.json", "fault_logs.json", "fault_results_per_method.json"
  };
  g_string_append (out, "<h2>Files</h2>\n<p>");
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    append_link (out, data, files[i], files[i]);
  g_string_append (out, "</p>\n<p class=\"muted\">Per run: runs/&lt;id&gt;/summary.json, "
                        "jobs.csv, faults.jsonl, config.resolved.yaml.</p>\n");
}

gboolean
dmas_report_html_write (const DmasCampaignData *data, GError **error)
{
  g_autoptr (GString) out = g_string_new ("");

  append_header (out, data);
  if (!append_config (out, data, error))
    return FALSE;
  append_runs (out, data);
  append_comparisons (out, data);
  append_plots (out, data);
  append_files (out, data);
  g_string_append (out, "<p class=\"muted\">Written by dmas " PACKAGE_VERSION
                        ".</p>\n</body>\n</html>\n");
  return dmas_result_write (data->dir, "report.html", out->str, error);
}
