/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats.json: every cell and every test of every comparison, NaN written as null. */
#include "config.h"

#include <math.h>

#include "metrics/summary.h"
#include "report/data-private.h"

static void
cell_members (JsonBuilder *b, const DmasCellStats *cell)
{
  dmas_report_member_int (b, "n", cell->n);
  dmas_report_member_number (b, "mean", cell->mean);
  dmas_report_member_number (b, "sd", cell->sd);
  dmas_report_member_number (b, "ci_low", cell->ci_low);
  dmas_report_member_number (b, "ci_high", cell->ci_high);
  dmas_report_member_number (b, "ci_half", cell->ci_half);
  dmas_report_member_number (b, "median", cell->median);
  dmas_report_member_number (b, "min", cell->min);
  dmas_report_member_number (b, "max", cell->max);
}

static const gchar *
method_label (const DmasCampaignData *data, guint point)
{
  const DmasPoint *p = data->points->pdata[point];
  const DmasAxis *axis = data->axes->pdata[data->compare_axis];
  return axis->labels->pdata[p->labels[data->compare_axis]];
}

/* One pair, flat: the paired t-test's members unprefixed, then Wilcoxon's (w_) and Welch's
 * (welch_).  p_holm values are Holm-adjusted across the pairs of this condition and metric,
 * per test. */
static void
pair_object (JsonBuilder *b, const DmasCampaignData *data, const DmasComparison *cmp,
             guint metric, guint i, guint j, guint pair)
{
  const gsize at = (gsize) metric * cmp->n_pairs + pair;
  const DmasTestResult *t = &cmp->paired_t[at], *w = &cmp->wilcoxon[at],
                       *welch = &cmp->welch[at];
  json_builder_begin_object (b);
  dmas_report_member_string (b, "a", method_label (data, g_array_index (cmp->points, guint, i)));
  dmas_report_member_string (b, "b", method_label (data, g_array_index (cmp->points, guint, j)));
  dmas_report_member_bool (b, "defined", t->defined);
  dmas_report_member_string (b, "reason", t->reason);
  dmas_report_member_int (b, "n", t->n);
  dmas_report_member_number (b, "t", t->statistic);
  dmas_report_member_number (b, "df", t->df);
  dmas_report_member_number (b, "p", t->p);
  dmas_report_member_number (b, "p_holm", cmp->p_t_holm[at]);
  dmas_report_member_number (b, "mean_diff", t->mean_diff);
  dmas_report_member_number (b, "cohen_d", t->effect);
  dmas_report_member_bool (b, "w_defined", w->defined);
  dmas_report_member_string (b, "w_reason", w->reason);
  dmas_report_member_int (b, "w_n", w->n);
  dmas_report_member_number (b, "W", w->statistic);
  dmas_report_member_number (b, "p_w", w->p);
  dmas_report_member_number (b, "p_w_holm", cmp->p_w_holm[at]);
  dmas_report_member_bool (b, "w_exact", w->exact);
  dmas_report_member_bool (b, "welch_defined", welch->defined);
  dmas_report_member_string (b, "welch_reason", welch->reason);
  dmas_report_member_int (b, "welch_n", welch->n);
  dmas_report_member_number (b, "welch_t", welch->statistic);
  dmas_report_member_number (b, "welch_df", welch->df);
  dmas_report_member_number (b, "welch_p", welch->p);
  dmas_report_member_number (b, "welch_p_holm", cmp->p_welch_holm[at]);
  dmas_report_member_number (b, "welch_mean_diff", welch->mean_diff);
  dmas_report_member_number (b, "welch_cohen_d", welch->effect);
  json_builder_end_object (b);
}

static void
comparison_object (JsonBuilder *b, const DmasCampaignData *data, const DmasComparison *cmp)
{
  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  const guint k = cmp->points->len;
  json_builder_begin_object (b);
  dmas_report_member_string (b, "condition", cmp->condition);
  json_builder_set_member_name (b, "methods");
  json_builder_begin_array (b);
  for (guint i = 0; i < k; i++)
    json_builder_add_string_value (b, method_label (data, g_array_index (cmp->points, guint, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < k; i++)
    {
      const DmasPoint *p = data->points->pdata[g_array_index (cmp->points, guint, i)];
      json_builder_add_string_value (b, p->id);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint m = 0; m < n_metrics; m++)
    {
      json_builder_set_member_name (b, metrics[m].key);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "cells");
      json_builder_begin_array (b);
      for (guint i = 0; i < k; i++)
        {
          json_builder_begin_object (b);
          dmas_report_member_string (b, "method", method_label (data, g_array_index (cmp->points, guint, i)));
          cell_members (b, &cmp->cells[m * k + i]);
          dmas_report_member_bool (b, "best", dmas_report_is_best (&metrics[m], cmp->cells + m * k, k, i));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "pairs");
      json_builder_begin_array (b);
      guint pair = 0;
      for (guint i = 0; i < k; i++)
        for (guint j = i + 1; j < k; j++, pair++)
          pair_object (b, data, cmp, m, i, j, pair);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

gboolean
dmas_report_write_stats_json (const DmasCampaignData *data, GError **error)
{
  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  dmas_report_member_int (b, "format", 1);
  dmas_report_member_string (b, "name", data->name);
  dmas_report_member_bool (b, "paired", data->paired);
  dmas_report_member_string (b, "compare",
          data->compare_axis >= 0 ? ((DmasAxis *) data->axes->pdata[data->compare_axis])->key
                                  : NULL);
  dmas_report_member_string (b, "confidence", "95 % CI of the mean, Student t with n - 1 df");
  dmas_report_member_string (b, "tests",
          "paired t and Wilcoxon signed-rank over the repetitions both methods finished "
          "(paired campaigns only); Welch's t over all finished runs of each method (always); "
          "Holm across the pairs of one condition and metric, per test; cohen_d = mean "
          "difference / sd of the differences (paired), / sqrt of the mean variance (Welch)");

  json_builder_set_member_name (b, "metrics");
  json_builder_begin_array (b);
  for (guint m = 0; m < n_metrics; m++)
    {
      json_builder_begin_object (b);
      dmas_report_member_string (b, "key", metrics[m].key);
      dmas_report_member_string (b, "title", metrics[m].title);
      dmas_report_member_string (b, "unit", metrics[m].unit);
      dmas_report_member_number (b, "scale", metrics[m].scale);
      dmas_report_member_int (b, "better", metrics[m].better);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint p = 0; p < data->points->len; p++)
    {
      const DmasPoint *point = data->points->pdata[p];
      json_builder_begin_object (b);
      dmas_report_member_string (b, "id", point->id);
      dmas_report_member_string (b, "label", point->label);
      json_builder_set_member_name (b, "cells");
      json_builder_begin_object (b);
      for (guint m = 0; m < n_metrics; m++)
        {
          json_builder_set_member_name (b, metrics[m].key);
          json_builder_begin_object (b);
          cell_members (b, &data->cells[p * n_metrics + m]);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "comparisons");
  json_builder_begin_array (b);
  for (guint c = 0; c < data->comparisons->len; c++)
    comparison_object (b, data, data->comparisons->pdata[c]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree gchar *text = dmas_report_json_text (root, TRUE);
  return dmas_result_write (data->dir, "stats.json", text, error);
}
