/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Result bookkeeping and paired differences shared by the t and Wilcoxon tests. */
#include "config.h"

#include <math.h>

#include <gsl/gsl_statistics_double.h>

#include "stats/stats-private.h"

void
dmas_stats_paired_diffs (const gdouble *a, const gdouble *b, guint n, DmasPairedDiffs *diffs)
{
  diffs->n = n;
  diffs->d = g_new (gdouble, n > 0 ? n : 1);
  diffs->all_zero = TRUE;
  for (guint i = 0; i < n; i++)
    {
      diffs->d[i] = a[i] - b[i];
      if (diffs->d[i] != 0.0)
        diffs->all_zero = FALSE;
    }
  diffs->mean = n > 0 ? gsl_stats_mean (diffs->d, 1, n) : NAN;
  diffs->sd = n > 1 ? gsl_stats_sd_m (diffs->d, 1, n, diffs->mean) : NAN;
}

void
dmas_stats_result_reset (DmasTestResult *out, guint n)
{
  *out = (DmasTestResult) {
    .defined = FALSE,
    .reason = NULL,
    .n = n,
    .statistic = NAN,
    .df = NAN,
    .p = NAN,
    .mean_diff = NAN,
    .effect = NAN,
    .exact = FALSE,
  };
}

void
dmas_stats_result_undefined (DmasTestResult *out, const gchar *reason)
{
  out->defined = FALSE;
  out->reason = reason;
  out->statistic = NAN;
  out->p = NAN;
}

void
dmas_stats_result_identical (DmasTestResult *out)
{
  out->defined = TRUE;
  out->reason = NULL;
  out->statistic = 0.0;
  out->p = 1.0;
  out->effect = 0.0;
}

gdouble
dmas_stats_paired_effect (const DmasPairedDiffs *diffs)
{
  if (diffs->n < 2)
    return NAN;
  if (diffs->all_zero)
    return 0.0;
  /* Constant non-zero differences: the effect is unbounded, and printing inf would look
   * like a measurement. */
  if (diffs->sd == 0.0)
    return NAN;
  return diffs->mean / diffs->sd;
}
