/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Summary of one cell: n, mean, sample sd, Student-t 95 % CI, median, min, max. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/stats.h"

void
dmas_stats_describe (const gdouble *x, guint n, DmasCellStats *out)
{
  out->n = n;
  out->mean = out->sd = NAN;
  out->ci_low = out->ci_high = out->ci_half = NAN;
  out->median = out->min = out->max = NAN;
  if (n == 0)
    return;

  /* The median needs sorted data; sorting a copy also gives min and max and leaves the
   * caller's array (often a column of the run table) untouched. */
  g_autofree gdouble *sorted = g_memdup2 (x, n * sizeof *x);
  gsl_sort (sorted, 1, n);
  out->mean = gsl_stats_mean (x, 1, n);
  out->median = gsl_stats_median_from_sorted_data (sorted, 1, n);
  out->min = sorted[0];
  out->max = sorted[n - 1];
  if (n < 2)
    return;

  out->sd = gsl_stats_sd_m (x, 1, n, out->mean);
  out->ci_half = gsl_cdf_tdist_Pinv (0.975, n - 1) * out->sd / sqrt ((gdouble) n);
  out->ci_low = out->mean - out->ci_half;
  out->ci_high = out->mean + out->ci_half;
}
