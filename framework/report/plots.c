/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ of a campaign report: one .dat + .gp per plotted metric, rendered by gnuplot. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "metrics/summary.h"
#include "report/plots.h"

/* The bars of every plot of one campaign: rows (x = condition, or point without a
 * comparison) times series (methods).  grid[r * n_series + s] is a point index, or
 * NO_POINT where the campaign has no such point. */
#define NO_POINT G_MAXUINT

typedef struct {
  GPtrArray *rows;         /* gchar*: tick labels */
  GPtrArray *series;       /* gchar*: legend titles */
  guint *grid;
  gchar *xlabel;           /* axis keys the rows vary over, "" when none */
  gchar *key_title;        /* the compared axis' key, "" without a comparison */
} PlotLayout;

static void
plot_layout_free (PlotLayout *layout)
{
  g_ptr_array_unref (layout->rows);
  g_ptr_array_unref (layout->series);
  g_free (layout->grid);
  g_free (layout->xlabel);
  g_free (layout->key_title);
  g_free (layout);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotLayout, plot_layout_free)

static gchar *
axis_keys_except (const DmasCampaignData *data, gint skip)
{
  g_autoptr (GString) keys = g_string_new ("");
  for (guint a = 0; a < data->axes->len; a++)
    {
      if ((gint) a == skip)
        continue;
      const DmasAxis *axis = g_ptr_array_index (data->axes, a);
      if (keys->len > 0)
        g_string_append (keys, ", ");
      g_string_append (keys, axis->key);
    }
  return g_string_free (g_steal_pointer (&keys), FALSE);
}

static PlotLayout *
plot_layout_new (const DmasCampaignData *data)
{
  PlotLayout *layout = g_new0 (PlotLayout, 1);
  layout->rows = g_ptr_array_new_with_free_func (g_free);
  layout->series = g_ptr_array_new_with_free_func (g_free);

  if (data->compare_axis < 0)
    {
      /* Nothing compared: every point is a bar of its own. */
      g_ptr_array_add (layout->series, g_strdup ("mean"));
      layout->grid = g_new (guint, MAX (data->points->len, 1));
      for (guint p = 0; p < data->points->len; p++)
        {
          const DmasPoint *point = g_ptr_array_index (data->points, p);
          g_ptr_array_add (layout->rows, g_strdup (*point->label != '\0' ? point->label
                                                                          : point->id));
          layout->grid[p] = p;
        }
      layout->xlabel = axis_keys_except (data, -1);
      layout->key_title = g_strdup ("");
      return layout;
    }

  const DmasAxis *compared = g_ptr_array_index (data->axes, data->compare_axis);
  guint n_series = compared->labels->len;
  for (guint s = 0; s < n_series; s++)
    g_ptr_array_add (layout->series, g_strdup (g_ptr_array_index (compared->labels, s)));
  layout->grid = g_new (guint, MAX (data->comparisons->len * n_series, 1));
  for (guint r = 0; r < data->comparisons->len; r++)
    {
      const DmasComparison *cmp = g_ptr_array_index (data->comparisons, r);
      /* A comparison with one axis only has condition "": the tick still needs a name. */
      g_ptr_array_add (layout->rows, g_strdup (*cmp->condition != '\0' ? cmp->condition
                                                                         : "all runs"));
      for (guint s = 0; s < n_series; s++)
        layout->grid[r * n_series + s] = NO_POINT;
      /* Place each point by its own label rather than by its position in cmp->points, so
       * a condition missing a method leaves that bar empty instead of shifting the rest. */
      for (guint i = 0; i < cmp->points->len; i++)
        {
          guint p = g_array_index (cmp->points, guint, i);
          const DmasPoint *point = g_ptr_array_index (data->points, p);
          guint s = point->labels[data->compare_axis];
          if (s < n_series)
            layout->grid[r * n_series + s] = p;
        }
    }
  layout->xlabel = axis_keys_except (data, data->compare_axis);
  layout->key_title = g_strdup (compared->key);
  return layout;
}

static const DmasCellStats *
layout_cell (const DmasCampaignData *data, const PlotLayout *layout, guint r, guint s, guint m)
{
  guint p = layout->grid[r * layout->series->len + s];
  if (p == NO_POINT)
    return NULL;
  return &data->cells[p * data->n_metrics + m];
}

static const DmasReportMetric *
report_metric (guint m)
{
  guint n_metrics = 0;
  return &dmas_report_metrics (&n_metrics)[m];
}

static void
append_number (GString *out, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (v))
    g_string_append (out, "NaN");
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

/* Labels come from the user's config: quotes, backslashes and control characters would end
 * a gnuplot data string early, and data strings have no escapes, so they are replaced. */
static void
append_dat_string (GString *out, const gchar *s)
{
  g_string_append_c (out, '"');
  for (const gchar *c = s; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '\'');
      else if (*c == '\\')
        g_string_append_c (out, '/');
      else if ((guchar) *c < 0x20 || *c == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* A gnuplot single-quoted string: no escapes except '' for a quote, so every label keeps
 * its exact text; control characters (a newline would end the command) become spaces. */
static void
append_gp_string (GString *out, const gchar *s)
{
  g_string_append_c (out, '\'');
  for (const gchar *c = s; *c != '\0'; c++)
    {
      if (*c == '\'')
        g_string_append (out, "''");
      else if ((guchar) *c < 0x20 || *c == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '\'');
}

/* Comments are free text, but must stay on one line. */
static void
append_comment_text (GString *out, const gchar *s)
{
  for (const gchar *c = s; *c != '\0'; c++)
    g_string_append_c (out, ((guchar) *c < 0x20 || *c == 0x7f) ? ' ' : *c);
}

static gchar *
metric_axis_title (const DmasReportMetric *metric)
{
  if (metric->unit == NULL || *metric->unit == '\0')
    return g_strdup (metric->title);
  return g_strdup_printf ("%s (%s)", metric->title, metric->unit);
}

static gchar *
plot_dat_text (const DmasCampaignData *data, const PlotLayout *layout, guint m)
{
  const DmasReportMetric *metric = report_metric (m);
  g_autofree gchar *axis_title = metric_axis_title (metric);
  GString *out = g_string_new ("# dmas campaign ");
  append_comment_text (out, data->name);
  g_string_append_printf (out, ": %s, mean and 95 %% CI half-width over the repetitions\n",
                          axis_title);
  g_string_append (out, "# columns: condition, then per method: mean, ci95_half, n "
                        "(NaN: no value)\n# condition");
  for (guint s = 0; s < layout->series->len; s++)
    {
      const gchar *title = g_ptr_array_index (layout->series, s);
      for (guint c = 0; c < 3; c++)
        {
          g_string_append_c (out, ' ');
          append_comment_text (out, title);
          g_string_append (out, c == 0 ? ":mean" : c == 1 ? ":ci95_half" : ":n");
        }
    }
  g_string_append_c (out, '\n');

  for (guint r = 0; r < layout->rows->len; r++)
    {
      append_dat_string (out, g_ptr_array_index (layout->rows, r));
      for (guint s = 0; s < layout->series->len; s++)
        {
          const DmasCellStats *cell = layout_cell (data, layout, r, s, m);
          g_string_append_c (out, ' ');
          append_number (out, cell != NULL && cell->n > 0 ? cell->mean * metric->scale : NAN);
          g_string_append_c (out, ' ');
          append_number (out, cell != NULL && cell->n > 1 ? cell->ci_half * metric->scale : NAN);
          g_string_append_printf (out, " %u", cell != NULL ? cell->n : 0);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* The top of the y range, from the data rather than gnuplot's autoscale, so the error bars
 * of the tallest bar are not cut off.  Returns FALSE when no bar has a value (gnuplot
 * refuses to draw a histogram without a valid point) or some mean is negative (then the
 * range is left to gnuplot). */
static gboolean
plot_y_max (const DmasCampaignData *data, const PlotLayout *layout, guint m,
            gboolean *any_value, gdouble *y_max)
{
  const DmasReportMetric *metric = report_metric (m);
  gboolean negative = FALSE;
  *any_value = FALSE;
  *y_max = 0.0;
  for (guint r = 0; r < layout->rows->len; r++)
    for (guint s = 0; s < layout->series->len; s++)
      {
        const DmasCellStats *cell = layout_cell (data, layout, r, s, m);
        if (cell == NULL || cell->n == 0 || !isfinite (cell->mean))
          continue;
        gdouble mean = cell->mean * metric->scale;
        gdouble half = cell->n > 1 && isfinite (cell->ci_half) ? cell->ci_half * metric->scale
                                                                : 0.0;
        *any_value = TRUE;
        /* A CI reaching below zero is clipped at the axis rather than moving it: the
         * bars of a non-negative metric start at zero. */
        negative = negative || mean < 0.0;
        *y_max = MAX (*y_max, mean + half);
      }
  return *any_value && !negative;
}

static gboolean
series_has_value (const DmasCampaignData *data, const PlotLayout *layout, guint s, guint m)
{
  for (guint r = 0; r < layout->rows->len; r++)
    {
      const DmasCellStats *cell = layout_cell (data, layout, r, s, m);
      if (cell != NULL && cell->n > 0 && isfinite (cell->mean))
        return TRUE;
    }
  return FALSE;
}

static void
append_terminal (GString *out, const gchar *key, const gchar *ext, guint width)
{
  if (g_strcmp0 (ext, "svg") == 0)
    g_string_append_printf (out, "set terminal svg size %u,480 noenhanced font 'sans,11' "
                                 "background rgb 'white'\n", width);
  else
    g_string_append_printf (out, "set terminal pngcairo size %u,480 noenhanced "
                                 "font 'sans,10' background rgb 'white'\n", width);
  g_string_append_printf (out, "set output '%s.%s'\n", key, ext);
}

static gchar *
plot_gp_text (const DmasCampaignData *data, const PlotLayout *layout, guint m)
{
  const DmasReportMetric *metric = report_metric (m);
  g_autofree gchar *axis_title = metric_axis_title (metric);
  guint n_rows = layout->rows->len;
  guint n_series = layout->series->len;
  guint width = CLAMP (160 + n_rows * (n_series + 1) * 28, 800, 1600);
  gsize longest = 0;
  for (guint r = 0; r < n_rows; r++)
    longest = MAX (longest, strlen (g_ptr_array_index (layout->rows, r)));

  GString *out = g_string_new ("# dmas campaign ");
  append_comment_text (out, data->name);
  g_string_append_printf (out, ": %s.\n# Renders %s.svg and %s.png from %s.dat: "
                               "gnuplot %s.gp\n", axis_title, metric->key, metric->key,
                          metric->key, metric->key);
  g_string_append (out, "set encoding utf8\n");
  append_terminal (out, metric->key, "svg", width);
  g_string_append (out, "set title ");
  append_gp_string (out, metric->title);
  g_string_append (out, "\nset ylabel ");
  append_gp_string (out, axis_title);
  g_string_append_c (out, '\n');
  if (*layout->xlabel != '\0')
    {
      g_string_append (out, "set xlabel ");
      append_gp_string (out, layout->xlabel);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "set grid ytics\n");
  /* One bar per point: the x labels say it all, a legend would only say "mean". */
  if (n_series == 1 && *layout->key_title == '\0')
    g_string_append (out, "unset key");
  else
    g_string_append (out, "set key outside right top noenhanced");
  if (*layout->key_title != '\0')
    {
      g_string_append (out, " title ");
      append_gp_string (out, layout->key_title);
    }
  g_string_append (out, "\nset xtics (");
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (out, r > 0 ? ", " : "");
      append_gp_string (out, g_ptr_array_index (layout->rows, r));
      g_string_append_printf (out, " %u", r);
    }
  g_string_append (out, ") nomirror");
  /* Long or many labels would overlap side by side. */
  if (n_rows * longest > 70)
    g_string_append (out, " rotate by -30 left");
  g_string_append (out, "\n");

  gboolean any_value;
  gdouble y_max;
  g_autofree gchar *dat = g_strconcat (metric->key, ".dat", NULL);
  if (plot_y_max (data, layout, m, &any_value, &y_max))
    {
      g_string_append (out, "set yrange [0:");
      append_number (out, y_max > 0.0 ? y_max * 1.08 : 1.0);
      g_string_append (out, "]\n");
    }
  if (!any_value)
    {
      /* No run measured this metric (say, decision latency of a centralized baseline):
       * an empty frame that says so, instead of a gnuplot error. */
      g_string_append (out, "set xrange [-0.5:");
      append_number (out, MAX (n_rows, 1) - 0.5);
      g_string_append (out, "]\nset yrange [0:1]\nunset key\n"
                            "set label 1 'no run of this campaign has a value for this metric' "
                            "at graph 0.5, graph 0.5 center\n"
                            "plot -1 notitle\n");
    }
  else
    {
      g_string_append (out, "set style data histograms\n"
                            "set style histogram errorbars gap 1 lw 1\n"
                            "set style fill solid 0.8 border -1\n"
                            "# A bar without a CI (fewer than two runs) gets no error bar.\n"
                            "plot ");
      for (guint s = 0; s < n_series; s++)
        {
          guint mean_col = 2 + 3 * s;
          g_string_append (out, s > 0 ? ", \\\n     " : "");
          if (s == 0)
            append_gp_string (out, dat);
          else
            g_string_append (out, "''");
          if (series_has_value (data, layout, s, m))
            {
              g_string_append_printf (out, " using %u:(valid(%u) ? $%u : 0) title ", mean_col,
                                      mean_col + 1, mean_col + 1);
              append_gp_string (out, g_ptr_array_index (layout->series, s));
              continue;
            }
          /* gnuplot rejects a histogram column without one valid point; zero-height bars
           * keep the method's place and colour, and the legend says why it is empty. */
          g_autofree gchar *title = g_strconcat (g_ptr_array_index (layout->series, s),
                                                 " (no values)", NULL);
          g_string_append (out, " using (0):(0) title ");
          append_gp_string (out, title);
        }
      g_string_append_c (out, '\n');
    }
  append_terminal (out, metric->key, "png", width);
  g_string_append (out, "replot\nunset output\n");
  return g_string_free (out, FALSE);
}

/* Returns: TRUE with *path NULL when rendering is switched off (DMAS_GNUPLOT="") or gnuplot
 * is not on PATH. */
static gboolean
find_gnuplot (gchar **path, GError **error)
{
  const gchar *env = g_getenv ("DMAS_GNUPLOT");
  *path = NULL;
  if (env == NULL)
    {
      *path = g_find_program_in_path ("gnuplot");
      return TRUE;
    }
  if (*env == '\0')
    return TRUE;
  *path = g_find_program_in_path (env);
  if (*path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "DMAS_GNUPLOT=%s: no such program; point it at gnuplot, set it to \"\" to "
                   "skip rendering, or unset it to use gnuplot from PATH", env);
      return FALSE;
    }
  return TRUE;
}

static gboolean
render_script (const gchar *gnuplot, const gchar *plots_dir, const gchar *key, GError **error)
{
  g_autofree gchar *script = g_strconcat (key, ".gp", NULL);
  g_autofree gchar *script_path = g_build_filename (plots_dir, script, NULL);
  g_autofree gchar *err_text = NULL;
  gint wait_status = 0;
  g_autoptr (GError) local = NULL;
  const gchar *argv[] = { gnuplot, script, NULL };

  if (!g_spawn_sync (plots_dir, (gchar **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err_text, &wait_status, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot run %s: %s", script_path,
                   gnuplot, local->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (wait_status, &local))
    {
      g_strchomp (err_text);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: gnuplot failed (%s): %s; fix the script or rerun with DMAS_GNUPLOT=\"\" "
                   "to write the scripts only", script_path, local->message, err_text);
      return FALSE;
    }
  /* gnuplot reports some problems only as warnings: check that both images exist. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree gchar *image = g_strdup_printf ("%s/%s.%s", plots_dir, key,
                                                 i == 0 ? "svg" : "png");
      GStatBuf st;
      if (g_stat (image, &st) != 0 || st.st_size == 0)
        {
          g_strchomp (err_text);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: gnuplot wrote no %s: %s",
                       script_path, image, err_text);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
remove_if_present (const gchar *path, GError **error)
{
  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: cannot remove: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gchar *
readme_text (const DmasReportMetric *metrics, guint n_metrics)
{
  GString *out = g_string_new (
    "These plots are scripts only: gnuplot was not found when the report was written.\n"
    "Each <metric>.gp renders <metric>.svg and <metric>.png from <metric>.dat; in this\n"
    "directory run:\n\n");
  for (guint m = 0; m < n_metrics; m++)
    if (metrics[m].plot)
      g_string_append_printf (out, "  gnuplot %s.gp\n", metrics[m].key);
  g_string_append (out, "\nOr install gnuplot (Debian/Ubuntu: apt-get install gnuplot-nox) and\n"
                        "run `dmas report` on the campaign directory: it renders the plots\n"
                        "and shows them in report.html.\n");
  return g_string_free (out, FALSE);
}

gboolean
dmas_report_plots_write (const DmasCampaignData *data, GError **error)
{
  guint n_metrics = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  g_autofree gchar *plots_dir = g_build_filename (data->dir, "plots", NULL);
  g_autofree gchar *gnuplot = NULL;

  g_return_val_if_fail (n_metrics == data->n_metrics, FALSE);
  if (g_mkdir_with_parents (plots_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: cannot create: %s", plots_dir, g_strerror (saved));
      return FALSE;
    }
  if (!find_gnuplot (&gnuplot, error))
    return FALSE;

  g_autoptr (PlotLayout) layout = plot_layout_new (data);
  for (guint m = 0; m < n_metrics; m++)
    {
      if (!metrics[m].plot)
        continue;
      g_autofree gchar *dat_name = g_strconcat (metrics[m].key, ".dat", NULL);
      g_autofree gchar *gp_name = g_strconcat (metrics[m].key, ".gp", NULL);
      g_autofree gchar *dat = plot_dat_text (data, layout, m);
      g_autofree gchar *gp = plot_gp_text (data, layout, m);
      if (!dmas_result_write (plots_dir, dat_name, dat, error)
          || !dmas_result_write (plots_dir, gp_name, gp, error))
        return FALSE;
      if (gnuplot != NULL)
        {
          if (!render_script (gnuplot, plots_dir, metrics[m].key, error))
            return FALSE;
          continue;
        }
      /* Images left from an earlier report would show old numbers next to new tables. */
      for (guint i = 0; i < 2; i++)
        {
          g_autofree gchar *image = g_strdup_printf ("%s/%s.%s", plots_dir, metrics[m].key,
                                                     i == 0 ? "svg" : "png");
          if (!remove_if_present (image, error))
            return FALSE;
        }
    }

  g_autofree gchar *readme_path = g_build_filename (plots_dir, "README.txt", NULL);
  if (gnuplot != NULL)
    return remove_if_present (readme_path, error);
  g_autofree gchar *readme = readme_text (metrics, n_metrics);
  return dmas_result_write (plots_dir, "README.txt", readme, error);
}

gboolean
dmas_report_plots_rendered (const DmasCampaignData *data)
{
  guint n_metrics = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  for (guint m = 0; m < n_metrics; m++)
    {
      if (!metrics[m].plot)
        continue;
      for (guint i = 0; i < 2; i++)
        {
          g_autofree gchar *image = g_strdup_printf ("%s/plots/%s.%s", data->dir,
                                                     metrics[m].key, i == 0 ? "svg" : "png");
          if (!g_file_test (image, G_FILE_TEST_IS_REGULAR))
            return FALSE;
        }
    }
  return TRUE;
}
