/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats.json: every cell and every test of every comparison, NaN written as null. */
#include "config.h"

#include <math.h>

#include "metrics/summary.h"
#include "report/data-private.h"

static void
number (JsonBuilder *b, const gchar *name, gdouble v)
{
  json_builder_set_member_name (b, name);
  dmas_report_add_number (b, v);
}

static void
integer (JsonBuilder *b, const gchar *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
string (JsonBuilder *b, const gchar *name, const gchar *v)
{
  json_builder_set_member_name (b, name);
  if (v != NULL)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
boolean (JsonBuilder *b, const gchar *name, gboolean v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, v);
}

static void
cell_members (JsonBuilder *b, const DmasCellStats *cell)
{
  integer (b, "n", cell->n);
  number (b, "mean", cell->mean);
  number (b, "sd", cell->sd);
  number (b, "ci_low", cell->ci_low);
  number (b, "ci_high", cell->ci_high);
  number (b, "ci_half", cell->ci_half);
  number (b, "median", cell->median);
  number (b, "min", cell->min);
  number (b, "max", cell->max);
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
  string (b, "a", method_label (data, g_array_index (cmp->points, guint, i)));
  string (b, "b", method_label (data, g_array_index (cmp->points, guint, j)));
  boolean (b, "defined", t->defined);
  string (b, "reason", t->reason);
  integer (b, "n", t->n);
  number (b, "t", t->statistic);
  number (b, "df", t->df);
  number (b, "p", t->p);
  number (b, "p_holm", cmp->p_t_holm[at]);
  number (b, "mean_diff", t->mean_diff);
  number (b, "cohen_d", t->effect);
  boolean (b, "w_defined", w->defined);
  string (b, "w_reason", w->reason);
  integer (b, "w_n", w->n);
  number (b, "W", w->statistic);
  number (b, "p_w", w->p);
  number (b, "p_w_holm", cmp->p_w_holm[at]);
  boolean (b, "w_exact", w->exact);
  boolean (b, "welch_defined", welch->defined);
  string (b, "welch_reason", welch->reason);
  integer (b, "welch_n", welch->n);
  number (b, "welch_t", welch->statistic);
  number (b, "welch_df", welch->df);
  number (b, "welch_p", welch->p);
  number (b, "welch_p_holm", cmp->p_welch_holm[at]);
  number (b, "welch_mean_diff", welch->mean_diff);
  number (b, "welch_cohen_d", welch->effect);
  json_builder_end_object (b);
}

static void
comparison_object (JsonBuilder *b, const DmasCampaignData *data, const DmasComparison *cmp)
{
  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  const guint k = cmp->points->len;
  json_builder_begin_object (b);
  string (b, "condition", cmp->condition);
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
          string (b, "method", method_label (data, g_array_index (cmp->points, guint, i)));
          cell_members (b, &cmp->cells[m * k + i]);
          boolean (b, "best", dmas_report_is_best (&metrics[m], cmp->cells + m * k, k, i));
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
  integer (b, "format", 1);
  string (b, "name", data->name);
  boolean (b, "paired", data->paired);
  string (b, "compare",
          data->compare_axis >= 0 ? ((DmasAxis *) data->axes->pdata[data->compare_axis])->key
                                  : NULL);
  string (b, "confidence", "95 % CI of the mean, Student t with n - 1 df");
  string (b, "tests",
          "paired t and Wilcoxon signed-rank over the repetitions both methods finished "
          "(paired campaigns only); Welch's t over all finished runs of each method (always); "
          "Holm across the pairs of one condition and metric, per test; cohen_d = mean "
          "difference / sd of the differences (paired), / sqrt of the mean variance (Welch)");

  json_builder_set_member_name (b, "metrics");
  json_builder_begin_array (b);
  for (guint m = 0; m < n_metrics; m++)
    {
      json_builder_begin_object (b);
      string (b, "key", metrics[m].key);
      string (b, "title", metrics[m].title);
      string (b, "unit", metrics[m].unit);
      number (b, "scale", metrics[m].scale);
      integer (b, "better", metrics[m].better);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint p = 0; p < data->points->len; p++)
    {
      const DmasPoint *point = data->points->pdata[p];
      json_builder_begin_object (b);
      string (b, "id", point->id);
      string (b, "label", point->label);
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
