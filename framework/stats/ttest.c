/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Student's paired t-test and Welch's unequal-variance t-test, with Cohen's d. */
#include "config.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/stats-private.h"

/* Two-sided p of a t statistic.  The upper tail of |t| is taken directly (not 1 - P) so that
 * tiny p-values keep their digits. */
static gdouble
two_sided_t_p (gdouble t, gdouble df)
{
  return MIN (1.0, 2.0 * gsl_cdf_tdist_Q (fabs (t), df));
}

void
dmas_stats_paired_t (const gdouble *a, const gdouble *b, guint n, DmasTestResult *out)
{
  dmas_stats_result_reset (out, n);
  DmasPairedDiffs diffs;
  dmas_stats_paired_diffs (a, b, n, &diffs);
  out->mean_diff = diffs.mean;
  out->effect = dmas_stats_paired_effect (&diffs);
  g_free (diffs.d);

  if (n < 2)
    {
      dmas_stats_result_undefined (out, "fewer than two pairs");
      return;
    }
  out->df = n - 1;
  if (diffs.all_zero)
    {
      dmas_stats_result_identical (out);
      return;
    }
  if (diffs.sd == 0.0)
    {
      dmas_stats_result_undefined (out, "the differences have zero variance");
      return;
    }
  out->defined = TRUE;
  out->statistic = diffs.mean / (diffs.sd / sqrt ((gdouble) n));
  out->p = two_sided_t_p (out->statistic, out->df);
}

void
dmas_stats_welch (const gdouble *a, guint na, const gdouble *b, guint nb,
                  DmasTestResult *out)
{
  dmas_stats_result_reset (out, na + nb);
  if (na > 0 && nb > 0)
    out->mean_diff = gsl_stats_mean (a, 1, na) - gsl_stats_mean (b, 1, nb);
  if (na < 2 || nb < 2)
    {
      dmas_stats_result_undefined (out, "fewer than two observations in a sample");
      return;
    }

  gdouble va = gsl_stats_variance (a, 1, na);
  gdouble vb = gsl_stats_variance (b, 1, nb);
  gdouble sa = va / na, sb = vb / nb;
  gdouble se2 = sa + sb;
  if (se2 == 0.0)
    {
      /* Both samples constant: equal constants are the identical-samples case; different
       * ones have no finite t.  The df of Welch-Satterthwaite is 0/0 either way. */
      if (out->mean_diff == 0.0)
        dmas_stats_result_identical (out);
      else
        dmas_stats_result_undefined (out, "both samples have zero variance");
      return;
    }

  /* Welch-Satterthwaite: each variance term weighted by its own df; a constant sample
   * contributes nothing, which leaves the other sample's n - 1. */
  out->df = se2 * se2 / (sa * sa / (na - 1) + sb * sb / (nb - 1));
  out->defined = TRUE;
  out->statistic = out->mean_diff / sqrt (se2);
  out->p = two_sided_t_p (out->statistic, out->df);
  out->effect = out->mean_diff / sqrt ((va + vb) / 2.0);
}
