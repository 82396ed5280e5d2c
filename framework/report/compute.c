/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The statistics of a loaded campaign: per-point cells and the comparisons between methods. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "report/data-private.h"

gboolean
dmas_report_is_best (const DmasReportMetric *metric, const DmasCellStats *cells, guint n,
                     guint i)
{
  if (metric->better == 0 || cells[i].n == 0 || isnan (cells[i].mean))
    return FALSE;
  for (guint j = 0; j < n; j++)
    if (cells[j].n > 0 && !isnan (cells[j].mean)
        && (metric->better > 0 ? cells[j].mean > cells[i].mean
                               : cells[j].mean < cells[i].mean))
      return FALSE;
  return TRUE;
}

/* Counted values of `metric` over the runs of `point`, NANs skipped. */
static void
describe_point (const DmasCampaignData *data, guint point, guint metric, DmasCellStats *out)
{
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = data->runs->pdata[r];
      if (run->point == point && dmas_run_record_counted (run) && !isnan (run->values[metric]))
        g_array_append_val (values, run->values[metric]);
    }
  dmas_stats_describe ((const gdouble *) values->data, values->len, out);
}

/* The value of `metric` for each repetition of `point` (index rep - 1), NAN where the run
 * is not counted or has no value: the pairing key of the paired tests. */
static gdouble *
values_by_rep (const DmasCampaignData *data, guint point, guint metric, guint n_reps)
{
  gdouble *values = g_new (gdouble, n_reps);
  for (guint i = 0; i < n_reps; i++)
    values[i] = NAN;
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = data->runs->pdata[r];
      if (run->point == point && run->rep <= n_reps && dmas_run_record_counted (run))
        values[run->rep - 1] = run->values[metric];
    }
  return values;
}

static void
undefined (DmasTestResult *out, guint n, const gchar *reason)
{
  *out = (DmasTestResult) { .defined = FALSE, .reason = reason, .n = n, .statistic = NAN,
                            .df = NAN, .p = NAN, .mean_diff = NAN, .effect = NAN };
}

/* Runs the three tests between methods i and j of `cmp` for one metric. */
static void
test_pair (const DmasCampaignData *data, const DmasComparison *cmp, guint metric, guint i,
           guint j, DmasTestResult *t, DmasTestResult *w, DmasTestResult *welch)
{
  const guint pa = g_array_index (cmp->points, guint, i);
  const guint pb = g_array_index (cmp->points, guint, j);
  const DmasPoint *a = data->points->pdata[pa];
  const DmasPoint *b = data->points->pdata[pb];
  const guint n_reps = MAX (a->repetitions, b->repetitions);
  g_autofree gdouble *va = values_by_rep (data, pa, metric, n_reps);
  g_autofree gdouble *vb = values_by_rep (data, pb, metric, n_reps);

  /* Welch over every counted value of each side, paired or not. */
  g_autofree gdouble *xa = g_new (gdouble, n_reps);
  g_autofree gdouble *xb = g_new (gdouble, n_reps);
  guint na = 0, nb = 0;
  for (guint r = 0; r < n_reps; r++)
    {
      if (!isnan (va[r]))
        xa[na++] = va[r];
      if (!isnan (vb[r]))
        xb[nb++] = vb[r];
    }
  dmas_stats_welch (xa, na, xb, nb, welch);

  if (!data->paired)
    {
      undefined (t, 0, "the campaign is not paired (paired: false)");
      undefined (w, 0, "the campaign is not paired (paired: false)");
      return;
    }
  /* Pairs: the repetitions both methods finished with a value. */
  guint n = 0;
  for (guint r = 0; r < n_reps; r++)
    if (!isnan (va[r]) && !isnan (vb[r]))
      {
        xa[n] = va[r];
        xb[n] = vb[r];
        n++;
      }
  dmas_stats_paired_t (xa, xb, n, t);
  dmas_stats_wilcoxon (xa, xb, n, w);
}

static void
compute_comparison (const DmasCampaignData *data, DmasComparison *cmp)
{
  const guint k = cmp->points->len;
  const guint n_metrics = data->n_metrics;
  cmp->n_pairs = k * (k - 1) / 2;
  cmp->cells = g_new0 (DmasCellStats, (gsize) n_metrics * k);
  cmp->paired_t = g_new0 (DmasTestResult, (gsize) n_metrics * MAX (cmp->n_pairs, 1));
  cmp->wilcoxon = g_new0 (DmasTestResult, (gsize) n_metrics * MAX (cmp->n_pairs, 1));
  cmp->welch = g_new0 (DmasTestResult, (gsize) n_metrics * MAX (cmp->n_pairs, 1));
  cmp->p_t_holm = g_new0 (gdouble, (gsize) n_metrics * MAX (cmp->n_pairs, 1));
  cmp->p_w_holm = g_new0 (gdouble, (gsize) n_metrics * MAX (cmp->n_pairs, 1));
  cmp->p_welch_holm = g_new0 (gdouble, (gsize) n_metrics * MAX (cmp->n_pairs, 1));
  g_autofree gdouble *p = g_new (gdouble, MAX (cmp->n_pairs, 1));

  for (guint m = 0; m < n_metrics; m++)
    {
      for (guint i = 0; i < k; i++)
        cmp->cells[m * k + i]
          = data->cells[g_array_index (cmp->points, guint, i) * n_metrics + m];
      guint pair = 0;
      for (guint i = 0; i < k; i++)
        for (guint j = i + 1; j < k; j++, pair++)
          {
            const gsize at = (gsize) m * cmp->n_pairs + pair;
            test_pair (data, cmp, m, i, j, &cmp->paired_t[at], &cmp->wilcoxon[at],
                       &cmp->welch[at]);
          }
      /* Holm within one (condition, metric), across its k (k - 1) / 2 pairs, separately per
       * test: the family is "which methods differ on this metric here". */
      DmasTestResult *tests[] = { cmp->paired_t, cmp->wilcoxon, cmp->welch };
      gdouble *adjusted[] = { cmp->p_t_holm, cmp->p_w_holm, cmp->p_welch_holm };
      for (guint t = 0; t < G_N_ELEMENTS (tests); t++)
        {
          for (guint q = 0; q < cmp->n_pairs; q++)
            p[q] = tests[t][(gsize) m * cmp->n_pairs + q].p;
          dmas_stats_holm (p, cmp->n_pairs, adjusted[t] + (gsize) m * cmp->n_pairs);
        }
    }
}

/* The labels of every axis but the compared one, joined: the condition of a point. */
static gchar *
condition_of (const DmasCampaignData *data, const DmasPoint *point)
{
  GString *out = g_string_new (NULL);
  for (guint a = 0; a < data->axes->len; a++)
    {
      if ((gint) a == data->compare_axis)
        continue;
      const DmasAxis *axis = data->axes->pdata[a];
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, axis->labels->pdata[point->labels[a]]);
    }
  return g_string_free (out, FALSE);
}

static gint
compare_by_method (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const DmasCampaignData *data = user_data;
  const DmasPoint *pa = data->points->pdata[*(const guint *) a];
  const DmasPoint *pb = data->points->pdata[*(const guint *) b];
  guint la = pa->labels[data->compare_axis], lb = pb->labels[data->compare_axis];
  return la < lb ? -1 : la > lb ? 1 : 0;
}

void
dmas_comparison_free (gpointer p)
{
  DmasComparison *cmp = p;
  g_free (cmp->condition);
  g_array_unref (cmp->points);
  g_free (cmp->cells);
  g_free (cmp->paired_t);
  g_free (cmp->wilcoxon);
  g_free (cmp->welch);
  g_free (cmp->p_t_holm);
  g_free (cmp->p_w_holm);
  g_free (cmp->p_welch_holm);
  g_free (cmp);
}

void
dmas_campaign_data_compute (DmasCampaignData *data)
{
  const guint n_metrics = data->n_metrics;
  data->cells = g_new0 (DmasCellStats, (gsize) MAX (data->points->len, 1) * n_metrics);
  for (guint p = 0; p < data->points->len; p++)
    for (guint m = 0; m < n_metrics; m++)
      describe_point (data, p, m, &data->cells[p * n_metrics + m]);

  if (data->compare_axis < 0)
    return;
  /* Conditions in the order their first point appears (points are in sweep order), so the
   * output order never depends on a hash table. */
  for (guint p = 0; p < data->points->len; p++)
    {
      g_autofree gchar *condition = condition_of (data, data->points->pdata[p]);
      DmasComparison *cmp = NULL;
      for (guint c = 0; c < data->comparisons->len && cmp == NULL; c++)
        if (strcmp (((DmasComparison *) data->comparisons->pdata[c])->condition, condition)
            == 0)
          cmp = data->comparisons->pdata[c];
      if (cmp == NULL)
        {
          cmp = g_new0 (DmasComparison, 1);
          cmp->condition = g_steal_pointer (&condition);
          cmp->points = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (data->comparisons, cmp);
        }
      g_array_append_val (cmp->points, p);
    }
  for (guint c = 0; c < data->comparisons->len; c++)
    {
      DmasComparison *cmp = data->comparisons->pdata[c];
      g_array_sort_with_data (cmp->points, compare_by_method, data);
      compute_comparison (data, cmp);
    }
}
