/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Wilcoxon signed-rank test: exact null distribution of W+ or the tie-corrected normal one. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "stats/stats-private.h"

/* Largest sample that gets the exact distribution (SciPy's limit).  Up to 50 ranks the
 * 2^50 sign patterns and every count of them fit a guint64 and convert to gdouble exactly. */
#define EXACT_MAX_N 50
#define EXACT_MAX_SUM (EXACT_MAX_N * (EXACT_MAX_N + 1) / 2)

typedef struct {
  gdouble magnitude;  /* |d| */
  gboolean positive;
} SignedDiff;

static int
signed_diff_compare (const void *pa, const void *pb)
{
  const SignedDiff *a = pa, *b = pb;
  /* Equal magnitudes receive the same mean rank, so their order among themselves does not
   * change W+; only the magnitude is compared. */
  return a->magnitude < b->magnitude ? -1 : (a->magnitude > b->magnitude ? 1 : 0);
}

/* Two-sided exact p of W+ = w for n ranks without ties: the null distribution of W+ counts
 * the subsets of {1..n} with each sum, built one rank at a time (a subset sum DP). */
static gdouble
exact_p (guint n, guint w)
{
  guint64 count[EXACT_MAX_SUM + 1] = { 0 };
  guint max_sum = n * (n + 1) / 2;
  count[0] = 1;
  for (guint rank = 1; rank <= n; rank++)
    {
      guint reach = rank * (rank + 1) / 2;
      /* Downwards, so that each rank joins a subset at most once. */
      for (guint s = reach; s >= rank; s--)
        count[s] += count[s - rank];
    }

  guint64 le = 0, ge = 0;
  for (guint s = 0; s <= max_sum; s++)
    {
      if (s <= w)
        le += count[s];
      if (s >= w)
        ge += count[s];
    }
  gdouble total = ldexp (1.0, (int) n);
  return MIN (1.0, 2.0 * (gdouble) MIN (le, ge) / total);
}

void
dmas_stats_wilcoxon (const gdouble *a, const gdouble *b, guint n, DmasTestResult *out)
{
  dmas_stats_result_reset (out, n);
  DmasPairedDiffs diffs;
  dmas_stats_paired_diffs (a, b, n, &diffs);
  g_autofree gdouble *d = diffs.d;
  out->mean_diff = diffs.mean;
  out->effect = dmas_stats_paired_effect (&diffs);

  if (n < 2)
    {
      dmas_stats_result_undefined (out, "fewer than two pairs");
      return;
    }
  if (diffs.all_zero)
    {
      dmas_stats_result_identical (out);
      return;
    }

  /* zero_method "wilcox": zero differences leave the sample before ranking. */
  g_autofree SignedDiff *sd = g_new (SignedDiff, n);
  guint m = 0;
  for (guint i = 0; i < n; i++)
    if (d[i] != 0.0)
      sd[m++] = (SignedDiff) { fabs (d[i]), d[i] > 0.0 };
  gboolean had_zeros = m < n;
  qsort (sd, m, sizeof *sd, signed_diff_compare);

  /* Mean ranks over each run of equal magnitudes; the runs also give the tie term
   * sum (t^3 - t) of the variance. */
  gdouble w_plus = 0.0, tie_term = 0.0;
  for (guint start = 0; start < m;)
    {
      guint end = start + 1;
      while (end < m && sd[end].magnitude == sd[start].magnitude)
        end++;
      gdouble t = end - start;
      gdouble mean_rank = (start + 1 + end) / 2.0;
      for (guint i = start; i < end; i++)
        if (sd[i].positive)
          w_plus += mean_rank;
      tie_term += t * t * t - t;
      start = end;
    }
  gboolean ties = tie_term > 0.0;

  out->defined = TRUE;
  out->statistic = w_plus;
  /* The exact table counts sign patterns of the ranks 1..m, which mid-ranks of ties are
   * not; SciPy 1.10's default still feeds them to it, truncated, so ties go to the normal
   * approximation here.  Zeros go there too, as SciPy's default does (see stats.h). */
  if (!had_zeros && !ties && m <= EXACT_MAX_N)
    {
      out->exact = TRUE;
      out->p = exact_p (m, (guint) w_plus);
      return;
    }
  gdouble mm = m;
  gdouble mean = mm * (mm + 1.0) / 4.0;
  gdouble var = mm * (mm + 1.0) * (2.0 * mm + 1.0) / 24.0 - tie_term / 48.0;
  /* var > 0 whenever m >= 1: the tie term is largest when all m magnitudes are tied, and
   * m(m+1)(2m+1)/24 - (m^3 - m)/48 = m(m+1)(3m+3)/48 > 0. */
  gdouble z = (w_plus - mean) / sqrt (var);
  out->p = MIN (1.0, 2.0 * gsl_cdf_ugaussian_Q (fabs (z)));
}
