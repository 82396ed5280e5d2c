/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The compact comparison table printed at the end of a campaign and by `dmas report`. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "report/data-private.h"

/* Six key metrics, safety violations last (a consensus comparison must show them); a row fits
 * 100 columns: 16 (method) + 6 * (1 + 12) + 6 (runs); the space keeps full cells apart. */
static const gchar *const columns[] = { "completion_rate", "availability",
                                        "decision_latency_p50_s", "msgs_per_decision",
                                        "wait_mean_s", "safety_violations" };
static const gchar *const headers[] = { "complete %", "avail %", "lat p50 s", "msgs/dec",
                                        "wait s", "unsafe" };
#define METHOD_WIDTH 16
#define COLUMN_WIDTH 12

static guint
metric_index (const DmasReportMetric *metrics, guint n_metrics, const gchar *key)
{
  for (guint m = 0; m < n_metrics; m++)
    if (strcmp (metrics[m].key, key) == 0)
      return m;
  g_return_val_if_reached (0);
}

/* Three significant figures or so, fixed-point (a terminal reads 1234 better than 1.23e+03). */
static void
format_value (gchar *buf, gsize size, gdouble v)
{
  const gdouble a = fabs (v);
  if (v == 0.0)
    {
      g_strlcpy (buf, "0", size);
      return;
    }
  const gchar *format = a >= 100.0 ? "%.0f" : a >= 10.0 ? "%.1f" : a >= 1.0 ? "%.2f" : "%.3f";
  g_ascii_formatd (buf, size, format, v);
}

/* "mean ±half" plus '*' when best; "-" without a value. */
static gchar *
cell_text (const DmasReportMetric *metric, const DmasCellStats *cell, gboolean best)
{
  if (cell->n == 0 || isnan (cell->mean))
    return g_strdup ("-");
  gchar mean[G_ASCII_DTOSTR_BUF_SIZE], half[G_ASCII_DTOSTR_BUF_SIZE];
  format_value (mean, sizeof mean, cell->mean * metric->scale);
  if (isnan (cell->ci_half))
    return g_strdup_printf ("%s%s", mean, best ? "*" : "");
  format_value (half, sizeof half, cell->ci_half * metric->scale);
  return g_strdup_printf ("%s ±%s%s", mean, half, best ? "*" : "");
}

/* printf pads by bytes; '±' is two bytes in UTF-8 and one column. */
static void
print_padded (FILE *out, const gchar *text, guint width, gboolean right)
{
  glong columns_used = g_utf8_strlen (text, -1);
  guint pad = columns_used < (glong) width ? width - (guint) columns_used : 0;
  if (right)
    fprintf (out, "%*s%s", (int) pad, "", text);
  else
    fprintf (out, "%s%*s", text, (int) pad, "");
}

/* Counted runs / runs, as text: "5/5", "4/5". */
static gchar *
runs_text (const DmasCampaignData *data, guint point)
{
  guint ok = 0, all = 0;
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = data->runs->pdata[r];
      if (run->point != point)
        continue;
      all++;
      if (dmas_run_record_counted (run))
        ok++;
    }
  return g_strdup_printf ("%u/%u", ok, all);
}

static void
print_block (const DmasCampaignData *data, FILE *out, const gchar *title, const guint *points,
             guint k, const DmasCellStats *cells /* per metric m, per row i: m * k + i */)
{
  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  fprintf (out, "%s\n", title);
  print_padded (out, "method", METHOD_WIDTH, FALSE);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      fputc (' ', out);
      print_padded (out, headers[c], COLUMN_WIDTH, TRUE);
    }
  print_padded (out, "runs", 6, TRUE);
  fputc ('\n', out);
  for (guint i = 0; i < k; i++)
    {
      const DmasPoint *point = data->points->pdata[points[i]];
      const gchar *name = point->label;
      if (data->compare_axis >= 0)
        {
          const DmasAxis *axis = data->axes->pdata[data->compare_axis];
          name = axis->labels->pdata[point->labels[data->compare_axis]];
        }
      g_autofree gchar *shown = g_utf8_strlen (name, -1) > METHOD_WIDTH - 1
                                  ? g_utf8_substring (name, 0, METHOD_WIDTH - 1)
                                  : g_strdup (*name != '\0' ? name : point->id);
      print_padded (out, shown, METHOD_WIDTH, FALSE);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          const guint m = metric_index (metrics, n_metrics, columns[c]);
          g_autofree gchar *text = cell_text (&metrics[m], &cells[m * k + i],
                                              k > 1 && dmas_report_is_best (&metrics[m],
                                                                            cells + m * k, k, i));
          fputc (' ', out);
          print_padded (out, text, COLUMN_WIDTH, TRUE);
        }
      g_autofree gchar *runs = runs_text (data, points[i]);
      print_padded (out, runs, 6, TRUE);
      fputc ('\n', out);
    }
}

/* One line counting the runs that are not plain finished ones, so that a deadlock (counted)
 * or a crash (not counted) is seen under the numbers; nothing when every run finished. */
static void
print_run_counts (const DmasCampaignData *data, FILE *out)
{
  guint counts[DMAS_RUN_RECORD_N_STATUSES] = { 0 };
  for (guint r = 0; r < data->runs->len; r++)
    counts[((DmasRunRecord *) data->runs->pdata[r])->status]++;
  static const DmasRunRecordStatus shown[]
    = { DMAS_RUN_RECORD_DEADLOCK, DMAS_RUN_RECORD_STALLED, DMAS_RUN_RECORD_CRASHED,
        DMAS_RUN_RECORD_FAILED,
        DMAS_RUN_RECORD_INTERRUPTED, DMAS_RUN_RECORD_MISSING };
  g_autoptr (GString) line = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (counts[shown[i]] > 0)
      g_string_append_printf (line, "%s%u %s%s", line->len > 0 ? ", " : "", counts[shown[i]],
                              dmas_run_record_status_to_string (shown[i]),
                              dmas_run_record_counted (&(DmasRunRecord) { .status = shown[i] })
                                ? " (counted)" : "");
  if (line->len > 0)
    fprintf (out, "\nother runs: %s (details in runs.jsonl)\n", line->str);
}

void
dmas_report_table_print (const DmasCampaignData *data, FILE *out)
{
  guint n_metrics;
  dmas_report_metrics (&n_metrics);
  fprintf (out, "campaign %s: mean ±95 %% CI half-width over finished runs; * = best; "
           "runs = finished/total\n", data->name);
  if (data->comparisons->len == 0)
    {
      /* Nothing compared: one block with every point, its cells in the block's layout. */
      const guint k = data->points->len;
      g_autofree guint *points = g_new (guint, MAX (k, 1));
      g_autofree DmasCellStats *cells = g_new0 (DmasCellStats, (gsize) MAX (k, 1) * n_metrics);
      for (guint i = 0; i < k; i++)
        {
          points[i] = i;
          for (guint m = 0; m < n_metrics; m++)
            cells[m * k + i] = data->cells[i * n_metrics + m];
        }
      print_block (data, out, "", points, k, cells);
      print_run_counts (data, out);
      return;
    }
  for (guint c = 0; c < data->comparisons->len; c++)
    {
      const DmasComparison *cmp = data->comparisons->pdata[c];
      const DmasAxis *axis = data->axes->pdata[data->compare_axis];
      g_autofree gchar *title = *cmp->condition != '\0'
                                  ? g_strdup_printf ("\n%s under %s", axis->key, cmp->condition)
                                  : g_strdup_printf ("\n%s", axis->key);
      print_block (data, out, title, (const guint *) cmp->points->data, cmp->points->len,
                   cmp->cells);
    }
  print_run_counts (data, out);
}
