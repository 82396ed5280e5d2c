/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Statistics of a campaign: per-cell summaries and the tests that compare methods (GSL). */
#ifndef DMAS_STATS_H
#define DMAS_STATS_H

#include <glib.h>

G_BEGIN_DECLS

/* Summary of one cell (one sweep point, one metric, its repetitions).  Every field that n
 * does not determine (sd and CI for n < 2, everything for n = 0) is NAN. */
typedef struct {
  guint n;
  gdouble mean;
  gdouble sd;          /* sample standard deviation (n - 1) */
  gdouble ci_low;      /* 95 % confidence interval of the mean, Student t with n - 1 df */
  gdouble ci_high;
  gdouble ci_half;     /* half-width: t(0.975, n - 1) * sd / sqrt(n) */
  gdouble median;
  gdouble min, max;
} DmasCellStats;

/* Describes x[0..n-1] (NANs must have been filtered out by the caller).  x is borrowed and
 * not modified.  n = 1 gives mean = median = min = max = x[0]; all-equal values give sd 0 and
 * a zero-width CI. */
void dmas_stats_describe (const gdouble *x, guint n, DmasCellStats *out);

/* Result of a two-sample test.  `p` is two-sided.  When the test is undefined (fewer than two
 * observations, or zero variance) `defined` is FALSE and the reason says why; statistic and p
 * are then NAN, except for the identical-samples case (every difference zero), which gives
 * p = 1, statistic = 0, effect = 0 and defined = TRUE. */
typedef struct {
  gboolean defined;
  const gchar *reason;  /* static text when !defined, else NULL */
  guint n;              /* pairs given (paired tests, zero differences included) or
                         * n_a + n_b (Welch) */
  gdouble statistic;    /* t; W+ for Wilcoxon (sum of the ranks of the positive differences;
                         * SciPy's two-sided `statistic` is min(W+, W-), W- = m(m+1)/2 - W+
                         * for the m non-zero differences) */
  gdouble df;           /* t tests: degrees of freedom (NAN when both Welch samples are
                         * constant); Wilcoxon: NAN */
  gdouble p;
  gdouble mean_diff;    /* mean of a - b (paired) or mean(a) - mean(b) (Welch); filled
                         * whenever there is at least one value, even if !defined */
  gdouble effect;       /* Cohen's d: paired = mean diff / sd of diffs (Wilcoxon reports the
                         * same paired d); Welch = mean diff / pooled sd (sqrt of the mean of
                         * the two variances).  0 in the identical-samples case; NAN when the
                         * sd is 0 otherwise (d would be infinite) or n is too small */
  gboolean exact;       /* Wilcoxon: exact null distribution (else normal approximation) */
} DmasTestResult;

/* Paired t-test of a[i] - b[i], i < n (as scipy.stats.ttest_rel).  Undefined for n < 2 and
 * for constant non-zero differences.  a and b are borrowed. */
void dmas_stats_paired_t (const gdouble *a, const gdouble *b, guint n, DmasTestResult *out);

/* Wilcoxon signed-rank test of a[i] - b[i], two-sided, as scipy.stats.wilcoxon with
 * zero_method="wilcox" (zero differences dropped before ranking) and correction=False:
 *  - exact null distribution of W+ (SciPy method="exact") when no difference is zero, no two
 *    |differences| are equal and n <= 50; p = min(1, 2 min(P(W+ <= w), P(W+ >= w)));
 *  - otherwise the normal approximation (SciPy method="approx") over the m non-zero
 *    differences, mean m(m+1)/4, variance m(m+1)(2m+1)/24 - sum(t^3 - t)/48 over tie groups,
 *    no continuity correction.
 * This is SciPy 1.10's method="auto" except that 1.10 also uses the exact table with ties
 * (truncating mid-ranks); SciPy >= 1.15's "auto" uses a permutation test for small samples
 * with ties or zeros instead of the normal approximation.  Undefined for n < 2; every
 * difference zero is the identical-samples case.  a and b are borrowed. */
void dmas_stats_wilcoxon (const gdouble *a, const gdouble *b, guint n, DmasTestResult *out);

/* Welch's unequal-variance t-test between independent samples a[0..na-1], b[0..nb-1] (as
 * scipy.stats.ttest_ind(a, b, equal_var=False)), Welch-Satterthwaite df.  Undefined when a
 * sample has fewer than two values or both have zero variance and different means; both
 * constant and equal is the identical-samples case.  a and b are borrowed. */
void dmas_stats_welch (const gdouble *a, guint na, const gdouble *b, guint nb,
                       DmasTestResult *out);

/* Holm-Bonferroni step-down adjustment of p[0..n-1] into adjusted[0..n-1] (may be the same
 * array): sorted ascending (equal p by index), p_(i) * (n - i) for i = 0.., capped at 1 and
 * made monotone (running maximum).  NAN entries are left NAN and do not count in n. */
void dmas_stats_holm (const gdouble *p, guint n, gdouble *adjusted);

/* "***" p < 0.001, "**" p < 0.01, "*" p < 0.05, "" otherwise or NAN.  Returns: (transfer none) */
const gchar *dmas_stats_stars (gdouble p);

G_END_DECLS

#endif /* DMAS_STATS_H */
