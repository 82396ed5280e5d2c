/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of framework/stats against SciPy reference values (tests/stats/reference.py). */
#include "config.h"

#include <math.h>

#include <glib.h>

#include "stats/stats.h"

/* Reference values: SciPy 1.10.1 / NumPy 1.24.2 (Debian bookworm python3-scipy), printed by
 * `/usr/bin/python3 tests/stats/reference.py`; the data sets below are the script's.  t, df
 * and other closed forms are compared to 1e-9 relative, p-values to 1e-7 relative. */
#define REL_T 1e-9
#define REL_P 1e-7

#define assert_rel(actual, expected, rel) \
  g_assert_cmpfloat_with_epsilon ((actual), (expected), (rel) * fabs (expected) + 1e-300)

#define assert_nan(x) g_assert_true (isnan (x))

static const gdouble DESC[] = { 12.1, 9.8, 11.4, 10.2, 13.7, 8.9, 10.5 };
static const gdouble PA[] = { 31.2, 28.7, 35.1, 30.0, 29.4, 33.8, 27.9, 32.5 };
static const gdouble PB[] = { 29.8, 28.9, 32.4, 29.1, 27.7, 31.0, 28.3, 30.2 };
static const gdouble WA[] = { 12.0, 14.5, 11.8, 13.2, 15.1, 12.7, 13.9 };
static const gdouble WB[] = { 10.1, 16.3, 9.4, 13.8, 8.7, 15.2, 11.0, 12.4, 9.9 };
static const gdouble XA[] = { 1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.01, 0.97,
                              2.22 };
static const gdouble XB[] = { 0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 1.44,
                              1.21, 1.70 };

/* ---- describe ---------------------------------------------------------------------------- */

static void
test_describe_scipy_ref (void)
{
  DmasCellStats s;
  dmas_stats_describe (DESC, G_N_ELEMENTS (DESC), &s);
  g_assert_cmpuint (s.n, ==, 7);
  assert_rel (s.mean, 10.942857142857145, REL_T);                /* np.mean */
  assert_rel (s.sd, 1.6008926081586927, REL_T);                  /* np.std(ddof=1) */
  /* stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(x)), to 1e-8 only: SciPy 1.10's
   * t.ppf(0.975, 6) = 2.4469118487916806 is 1e-9 relative below the true 2.44691185114497
   * (closed form for even df, A&S 26.7.4, in reference.py), which GSL gets right. */
  assert_rel (s.ci_low, 9.462278422111728, 1e-8);
  assert_rel (s.ci_high, 12.423435863602561, 1e-8);
  assert_rel (s.ci_half, 1.4805787207454173, 1e-8);
  /* closed-form quantile * np.std(ddof=1) / sqrt(n) */
  assert_rel (s.ci_half, 1.480578722169347, 1e-12);
  assert_rel (s.ci_low, 10.942857142857145 - 1.480578722169347, 1e-12);
  assert_rel (s.ci_high, 10.942857142857145 + 1.480578722169347, 1e-12);
  g_assert_cmpfloat (s.median, ==, 10.5);
  g_assert_cmpfloat (s.min, ==, 8.9);
  g_assert_cmpfloat (s.max, ==, 13.7);
}

static void
test_describe_even (void)
{
  const gdouble x[] = { 4.0, 1.0, 3.0, 2.0 };
  DmasCellStats s;
  dmas_stats_describe (x, G_N_ELEMENTS (x), &s);
  g_assert_cmpfloat (s.median, ==, 2.5);                         /* np.median */
  assert_rel (s.ci_low, 0.445739743239121, REL_T);               /* stats.t.interval, 3 df */
  assert_rel (s.ci_high, 4.5542602567608785, REL_T);
  /* The caller's array is left as it was. */
  g_assert_cmpfloat (x[0], ==, 4.0);
  g_assert_cmpfloat (x[3], ==, 2.0);
}

static void
test_describe_n1 (void)
{
  const gdouble x[] = { 3.25 };
  DmasCellStats s;
  dmas_stats_describe (x, 1, &s);
  g_assert_cmpuint (s.n, ==, 1);
  g_assert_cmpfloat (s.mean, ==, 3.25);
  g_assert_cmpfloat (s.median, ==, 3.25);
  g_assert_cmpfloat (s.min, ==, 3.25);
  g_assert_cmpfloat (s.max, ==, 3.25);
  assert_nan (s.sd);
  assert_nan (s.ci_low);
  assert_nan (s.ci_high);
  assert_nan (s.ci_half);
}

static void
test_describe_n0 (void)
{
  DmasCellStats s;
  dmas_stats_describe (NULL, 0, &s);
  g_assert_cmpuint (s.n, ==, 0);
  assert_nan (s.mean);
  assert_nan (s.sd);
  assert_nan (s.ci_low);
  assert_nan (s.ci_high);
  assert_nan (s.ci_half);
  assert_nan (s.median);
  assert_nan (s.min);
  assert_nan (s.max);
}

static void
test_describe_constant (void)
{
  const gdouble x[] = { 0.7, 0.7, 0.7 };
  DmasCellStats s;
  dmas_stats_describe (x, 3, &s);
  g_assert_cmpfloat (s.mean, ==, 0.7);
  g_assert_cmpfloat (s.sd, ==, 0.0);
  g_assert_cmpfloat (s.ci_half, ==, 0.0);
  g_assert_cmpfloat (s.ci_low, ==, 0.7);
  g_assert_cmpfloat (s.ci_high, ==, 0.7);
}

/* ---- paired t ---------------------------------------------------------------------------- */

static void
test_paired_t_scipy_ref (void)
{
  DmasTestResult r;
  dmas_stats_paired_t (PA, PB, G_N_ELEMENTS (PA), &r);
  g_assert_true (r.defined);
  g_assert_null (r.reason);
  g_assert_cmpuint (r.n, ==, 8);
  g_assert_cmpfloat (r.df, ==, 7.0);
  assert_rel (r.statistic, 3.217874606185279, REL_T);           /* ttest_rel(PA, PB) */
  assert_rel (r.p, 0.014696653716380917, REL_P);
  assert_rel (r.mean_diff, 1.3999999999999995, REL_T);          /* np.mean(a - b) */
  assert_rel (r.effect, 1.1376904775208008, REL_T);             /* mean / std(ddof=1) */
  g_assert_false (r.exact);

  /* Swapping the samples mirrors t, mean difference and d; p stays. */
  DmasTestResult s;
  dmas_stats_paired_t (PB, PA, G_N_ELEMENTS (PA), &s);
  assert_rel (s.statistic, -3.217874606185279, REL_T);
  assert_rel (s.p, 0.014696653716380917, REL_P);
  assert_rel (s.effect, -1.1376904775208008, REL_T);
}

static void
test_paired_t_degenerate (void)
{
  DmasTestResult r;
  dmas_stats_paired_t (NULL, NULL, 0, &r);
  g_assert_false (r.defined);
  g_assert_cmpstr (r.reason, ==, "fewer than two pairs");
  assert_nan (r.statistic);
  assert_nan (r.p);
  assert_nan (r.mean_diff);

  const gdouble one_a[] = { 2.0 }, one_b[] = { 1.5 };
  dmas_stats_paired_t (one_a, one_b, 1, &r);
  g_assert_false (r.defined);
  g_assert_cmpstr (r.reason, ==, "fewer than two pairs");
  assert_nan (r.statistic);
  assert_nan (r.p);
  assert_nan (r.effect);
  g_assert_cmpfloat (r.mean_diff, ==, 0.5);

  /* Identical samples: every difference zero. */
  dmas_stats_paired_t (PA, PA, G_N_ELEMENTS (PA), &r);
  g_assert_true (r.defined);
  g_assert_null (r.reason);
  g_assert_cmpfloat (r.statistic, ==, 0.0);
  g_assert_cmpfloat (r.p, ==, 1.0);
  g_assert_cmpfloat (r.effect, ==, 0.0);
  g_assert_cmpfloat (r.mean_diff, ==, 0.0);

  /* Constant non-zero difference: no finite t, no finite d. */
  const gdouble ca[] = { 3.0, 5.0, 9.0 }, cb[] = { 2.0, 4.0, 8.0 };
  dmas_stats_paired_t (ca, cb, 3, &r);
  g_assert_false (r.defined);
  g_assert_cmpstr (r.reason, ==, "the differences have zero variance");
  assert_nan (r.statistic);
  assert_nan (r.p);
  assert_nan (r.effect);
  g_assert_cmpfloat (r.mean_diff, ==, 1.0);
}

/* ---- Welch t ----------------------------------------------------------------------------- */

static void
test_welch_scipy_ref (void)
{
  DmasTestResult r;
  dmas_stats_welch (WA, G_N_ELEMENTS (WA), WB, G_N_ELEMENTS (WB), &r);
  g_assert_true (r.defined);
  g_assert_null (r.reason);
  g_assert_cmpuint (r.n, ==, 16);
  /* stats.ttest_ind(WA, WB, equal_var=False) */
  assert_rel (r.statistic, 1.4215388655105574, REL_T);
  assert_rel (r.p, 0.1810569664458408, REL_P);
  /* Welch-Satterthwaite by hand in the script; 2 * stats.t.sf(|t|, df) reproduces the p. */
  assert_rel (r.df, 11.795577369987896, REL_T);
  assert_rel (r.mean_diff, 1.4476190476190478, REL_T);
  assert_rel (r.effect, 0.6866966629933361, REL_T);             /* diff / sqrt((va+vb)/2) */
}

static void
test_welch_one_constant (void)
{
  const gdouble wc[] = { 5.0, 5.0, 5.0, 5.0 };
  DmasTestResult r;
  dmas_stats_welch (WA, G_N_ELEMENTS (WA), wc, G_N_ELEMENTS (wc), &r);
  g_assert_true (r.defined);
  /* stats.ttest_ind(WA, WC, equal_var=False): the constant side adds nothing, df = na - 1 */
  assert_rel (r.statistic, 17.622883267783585, REL_T);
  assert_rel (r.p, 2.142999477352012e-06, REL_P);
  assert_rel (r.df, 6.0, REL_T);
}

static void
test_welch_degenerate (void)
{
  const gdouble one[] = { 1.0 };
  DmasTestResult r;
  dmas_stats_welch (one, 1, WB, G_N_ELEMENTS (WB), &r);
  g_assert_false (r.defined);
  g_assert_cmpstr (r.reason, ==, "fewer than two observations in a sample");
  assert_nan (r.statistic);
  assert_nan (r.p);
  g_assert_cmpuint (r.n, ==, 10);

  dmas_stats_welch (WA, G_N_ELEMENTS (WA), NULL, 0, &r);
  g_assert_false (r.defined);
  assert_nan (r.mean_diff);

  const gdouble c1[] = { 2.0, 2.0, 2.0 }, c2[] = { 2.0, 2.0 }, c3[] = { 3.0, 3.0 };
  dmas_stats_welch (c1, 3, c2, 2, &r);
  g_assert_true (r.defined);
  g_assert_cmpfloat (r.statistic, ==, 0.0);
  g_assert_cmpfloat (r.p, ==, 1.0);
  g_assert_cmpfloat (r.effect, ==, 0.0);
  assert_nan (r.df);

  dmas_stats_welch (c1, 3, c3, 2, &r);
  g_assert_false (r.defined);
  g_assert_cmpstr (r.reason, ==, "both samples have zero variance");
  assert_nan (r.statistic);
  assert_nan (r.p);
  assert_nan (r.effect);
  g_assert_cmpfloat (r.mean_diff, ==, -1.0);
}

/* ---- Wilcoxon ---------------------------------------------------------------------------- */

/* d_i = ((i * 7919) % 1009) + 0.25, negative when i % 3 == 0: distinct magnitudes, exact in
 * binary floating point (same formula as reference.py's big()). */
static void
fill_big (gdouble *a, gdouble *b, guint count)
{
  for (guint i = 0; i < count; i++)
    {
      a[i] = (gdouble) ((i * 7919u) % 1009u) + 0.25;
      if (i % 3 == 0)
        a[i] = -a[i];
      b[i] = 0.0;
    }
}

static void
test_wilcoxon_exact_scipy_ref (void)
{
  DmasTestResult r;
  dmas_stats_wilcoxon (XA, XB, G_N_ELEMENTS (XA), &r);
  g_assert_true (r.defined);
  g_assert_true (r.exact);
  g_assert_cmpuint (r.n, ==, 12);
  assert_nan (r.df);
  /* stats.wilcoxon(XA, XB, zero_method='wilcox', correction=False, method='exact'):
   * statistic min(W+, W-) = 9, W+ = 69 (alternative='greater' reports it) */
  g_assert_cmpfloat (r.statistic, ==, 69.0);
  assert_rel (r.p, 0.01611328125, REL_P);

  /* The effect is the paired Cohen's d, as the paired t-test reports it. */
  DmasTestResult t;
  dmas_stats_paired_t (XA, XB, G_N_ELEMENTS (XA), &t);
  g_assert_cmpfloat (r.effect, ==, t.effect);
  g_assert_cmpfloat (r.mean_diff, ==, t.mean_diff);

  /* Swapped: W+ becomes W- = 9, p stays. */
  dmas_stats_wilcoxon (XB, XA, G_N_ELEMENTS (XA), &r);
  g_assert_cmpfloat (r.statistic, ==, 9.0);
  assert_rel (r.p, 0.01611328125, REL_P);
}

static void
test_wilcoxon_exact_n50 (void)
{
  gdouble a[51], b[51];
  fill_big (a, b, 50);
  DmasTestResult r;
  dmas_stats_wilcoxon (a, b, 50, &r);
  g_assert_true (r.defined);
  g_assert_true (r.exact);
  /* stats.wilcoxon(big(50), 0, method='exact'): min(W+, W-) = 411, W+ = 864 */
  g_assert_cmpfloat (r.statistic, ==, 864.0);
  assert_rel (r.p, 0.028256978552906986, REL_P);

  /* 51 pairs: past the exact limit, normal approximation (method='approx'). */
  fill_big (a, b, 51);
  dmas_stats_wilcoxon (a, b, 51, &r);
  g_assert_true (r.defined);
  g_assert_false (r.exact);
  g_assert_cmpfloat (r.statistic, ==, 905.0);
  assert_rel (r.p, 0.023306117691625123, REL_P);
}

static void
test_wilcoxon_ties (void)
{
  /* |d| = 1 2 3 1 3 2 1 4 1 2 2 3: ties, no zeros */
  const gdouble ta[] = { 2, 3, 5, 4, 6, 8, 7, 9, 1, 3, 6, 5 };
  const gdouble tb[] = { 1, 1, 2, 5, 3, 6, 8, 5, 2, 1, 4, 2 };
  DmasTestResult r;
  dmas_stats_wilcoxon (ta, tb, G_N_ELEMENTS (ta), &r);
  g_assert_true (r.defined);
  g_assert_false (r.exact);
  /* stats.wilcoxon(TA, TB, zero_method='wilcox', correction=False, method='approx'):
   * min(W+, W-) = 7.5, W+ = 70.5 */
  g_assert_cmpfloat (r.statistic, ==, 70.5);
  assert_rel (r.p, 0.01262435657427729, REL_P);
}

static void
test_wilcoxon_zeros_ties (void)
{
  /* d = 0 1 -2 2 0 1 3 0 1 3: three zeros dropped, ties among the seven left */
  const gdouble za[] = { 10, 12, 11, 14, 13, 10, 15, 12, 11, 16 };
  const gdouble zb[] = { 10, 11, 13, 12, 13, 9, 12, 12, 10, 13 };
  DmasTestResult r;
  dmas_stats_wilcoxon (za, zb, G_N_ELEMENTS (za), &r);
  g_assert_true (r.defined);
  g_assert_false (r.exact);
  g_assert_cmpuint (r.n, ==, 10);
  /* stats.wilcoxon(ZA, ZB, zero_method='wilcox', correction=False, method='approx'):
   * min(W+, W-) = 4.5, W+ = 23.5 */
  g_assert_cmpfloat (r.statistic, ==, 23.5);
  assert_rel (r.p, 0.10452965916626225, REL_P);
}

static void
test_wilcoxon_zeros_no_ties (void)
{
  /* d = 2.5 0 4.25 0 -1.5 4.5 7.25 1.125: zeros force the normal approximation */
  const gdouble ya[] = { 3.5, 2.0, 7.25, 1.0, 4.0, 6.0, 9.5, 2.0 };
  const gdouble yb[] = { 1.0, 2.0, 3.0, 1.0, 5.5, 1.5, 2.25, 0.875 };
  DmasTestResult r;
  dmas_stats_wilcoxon (ya, yb, G_N_ELEMENTS (ya), &r);
  g_assert_true (r.defined);
  g_assert_false (r.exact);
  /* stats.wilcoxon(YA, YB, zero_method='wilcox', correction=False, method='approx') */
  g_assert_cmpfloat (r.statistic, ==, 19.0);
  assert_rel (r.p, 0.07473549830588248, REL_P);
}

static void
test_wilcoxon_small (void)
{
  const gdouble zero[] = { 0, 0, 0, 0, 0 };
  DmasTestResult r;

  /* W+ at the centre of the distribution: method='exact' gives p = 1 */
  const gdouble centre[] = { 1.0, 2.0, -3.0 };
  dmas_stats_wilcoxon (centre, zero, 3, &r);
  g_assert_true (r.exact);
  g_assert_cmpfloat (r.statistic, ==, 3.0);
  g_assert_cmpfloat (r.p, ==, 1.0);

  /* W+ at its maximum: p = 2 / 2^5 = 0.0625 (method='exact') */
  const gdouble allpos[] = { 1, 2, 3, 4, 5 };
  dmas_stats_wilcoxon (allpos, zero, 5, &r);
  g_assert_true (r.exact);
  g_assert_cmpfloat (r.statistic, ==, 15.0);
  assert_rel (r.p, 0.0625, REL_P);

  /* One non-zero difference among zeros: method='approx' over m = 1 */
  const gdouble one[] = { 0.0, 0.0, 2.0 };
  dmas_stats_wilcoxon (one, zero, 3, &r);
  g_assert_true (r.defined);
  g_assert_false (r.exact);
  g_assert_cmpfloat (r.statistic, ==, 1.0);
  assert_rel (r.p, 0.31731050786291415, REL_P);
}

/* Brute force over all 2^10 sign patterns of |d| = 1..10: the p of every pattern must be the
 * share of patterns at least as extreme, computed here without the recurrence. */
static void
test_wilcoxon_exact_brute_force (void)
{
  enum { N = 10, MAX_SUM = N * (N + 1) / 2 };
  guint count[MAX_SUM + 1] = { 0 };
  for (guint mask = 0; mask < (1u << N); mask++)
    {
      guint w = 0;
      for (guint i = 0; i < N; i++)
        if (mask & (1u << i))
          w += i + 1;
      count[w]++;
    }
  const gdouble zero[N] = { 0 };
  for (guint mask = 0; mask < (1u << N); mask++)
    {
      gdouble a[N];
      guint w = 0;
      for (guint i = 0; i < N; i++)
        {
          gboolean positive = (mask & (1u << i)) != 0;
          a[i] = positive ? (gdouble) (i + 1) : -(gdouble) (i + 1);
          w += positive ? i + 1 : 0;
        }
      guint le = 0, ge = 0;
      for (guint s = 0; s <= MAX_SUM; s++)
        {
          le += s <= w ? count[s] : 0;
          ge += s >= w ? count[s] : 0;
        }
      gdouble expected = MIN (1.0, 2.0 * MIN (le, ge) / 1024.0);
      DmasTestResult r;
      dmas_stats_wilcoxon (a, zero, N, &r);
      g_assert_true (r.exact);
      g_assert_cmpfloat (r.statistic, ==, (gdouble) w);
      g_assert_cmpfloat (r.p, ==, expected);
    }
}

static void
test_wilcoxon_order_free (void)
{
  /* The same pairs in another order give the same bits. */
  const gdouble ta[] = { 2, 3, 5, 4, 6, 8, 7, 9, 1, 3, 6, 5 };
  const gdouble tb[] = { 1, 1, 2, 5, 3, 6, 8, 5, 2, 1, 4, 2 };
  gdouble ra[12], rb[12];
  for (guint i = 0; i < 12; i++)
    {
      ra[i] = ta[(i * 5) % 12];
      rb[i] = tb[(i * 5) % 12];
    }
  DmasTestResult r, s;
  dmas_stats_wilcoxon (ta, tb, 12, &r);
  dmas_stats_wilcoxon (ra, rb, 12, &s);
  g_assert_cmpfloat (r.statistic, ==, s.statistic);
  g_assert_cmpfloat (r.p, ==, s.p);
}

static void
test_wilcoxon_degenerate (void)
{
  DmasTestResult r;
  const gdouble one_a[] = { 2.0 }, one_b[] = { 1.0 };
  dmas_stats_wilcoxon (one_a, one_b, 1, &r);
  g_assert_false (r.defined);
  g_assert_cmpstr (r.reason, ==, "fewer than two pairs");
  assert_nan (r.statistic);
  assert_nan (r.p);

  dmas_stats_wilcoxon (NULL, NULL, 0, &r);
  g_assert_false (r.defined);

  dmas_stats_wilcoxon (XA, XA, G_N_ELEMENTS (XA), &r);
  g_assert_true (r.defined);
  g_assert_null (r.reason);
  g_assert_cmpfloat (r.statistic, ==, 0.0);
  g_assert_cmpfloat (r.p, ==, 1.0);
  g_assert_cmpfloat (r.effect, ==, 0.0);

  /* Constant non-zero differences: all tied, the test is defined (normal approximation with
   * the tie correction: W+ = 6, mean 3, variance 84/24 - 24/48 = 3, z = sqrt 3, so
   * p = erfc(sqrt 1.5); stats.wilcoxon(CA, CB, zero_method='wilcox', correction=False,
   * method='approx') gives 0.0832645166635504); d is not finite. */
  const gdouble ca[] = { 3.0, 5.0, 9.0 }, cb[] = { 2.0, 4.0, 8.0 };
  dmas_stats_wilcoxon (ca, cb, 3, &r);
  g_assert_true (r.defined);
  g_assert_false (r.exact);
  g_assert_cmpfloat (r.statistic, ==, 6.0);
  assert_rel (r.p, 0.0832645166635504, REL_P);
  assert_rel (r.p, erfc (sqrt (1.5)), REL_P);
  assert_nan (r.effect);
}

/* ---- Holm and stars ---------------------------------------------------------------------- */

static void
test_holm_scipy_ref (void)
{
  /* reference.py's holm(): step-down by hand (statsmodels' multipletests(method='holm')
   * computes the same). */
  const gdouble p[] = { 0.01, 0.04, 0.03, 0.005, NAN, 0.2, 0.5 };
  const gdouble expected[] = { 0.05, 0.12, 0.12, 0.03, NAN, 0.4, 0.5 };
  gdouble adj[G_N_ELEMENTS (p)];
  dmas_stats_holm (p, G_N_ELEMENTS (p), adj);
  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    if (isnan (expected[i]))
      assert_nan (adj[i]);
    else
      assert_rel (adj[i], expected[i], 1e-12);
}

static void
test_holm_textbook (void)
{
  /* The four hypotheses of the Holm-Bonferroni example (Wikipedia, "Holm-Bonferroni
   * method"): at alpha = 0.05 Holm rejects H4 (0.005 * 4 = 0.02) and H1 (0.01 * 3 = 0.03),
   * then stops at H3 (0.03 * 2 = 0.06); H2 inherits 0.06 through monotonicity. */
  gdouble p[] = { 0.01, 0.04, 0.03, 0.005 };
  dmas_stats_holm (p, 4, p);   /* in place */
  assert_rel (p[0], 0.03, 1e-12);
  assert_rel (p[1], 0.06, 1e-12);
  assert_rel (p[2], 0.06, 1e-12);
  assert_rel (p[3], 0.02, 1e-12);
}

static void
test_holm_edges (void)
{
  dmas_stats_holm (NULL, 0, NULL);

  gdouble all_nan[] = { NAN, NAN };
  gdouble adj[3];
  dmas_stats_holm (all_nan, 2, adj);
  assert_nan (adj[0]);
  assert_nan (adj[1]);

  /* Equal p-values get equal adjusted values (0.02 * 4, then max(0.08, 0.02 * 3)); 0.6 * 2
   * is capped at 1 and 0.7 * 1 inherits the 1. */
  gdouble adj4[4];
  const gdouble p[] = { 0.6, 0.02, 0.02, 0.7 };
  dmas_stats_holm (p, 4, adj4);
  g_assert_cmpfloat (adj4[0], ==, 1.0);
  assert_rel (adj4[1], 0.08, 1e-12);
  assert_rel (adj4[2], 0.08, 1e-12);
  g_assert_cmpfloat (adj4[3], ==, 1.0);

  /* A single p-value is its own adjustment. */
  const gdouble single = 0.0123;
  dmas_stats_holm (&single, 1, adj);
  g_assert_cmpfloat (adj[0], ==, 0.0123);
}

static void
test_stars (void)
{
  g_assert_cmpstr (dmas_stats_stars (0.0), ==, "***");
  g_assert_cmpstr (dmas_stats_stars (0.000999), ==, "***");
  g_assert_cmpstr (dmas_stats_stars (0.001), ==, "**");
  g_assert_cmpstr (dmas_stats_stars (0.00999), ==, "**");
  g_assert_cmpstr (dmas_stats_stars (0.01), ==, "*");
  g_assert_cmpstr (dmas_stats_stars (0.0499), ==, "*");
  g_assert_cmpstr (dmas_stats_stars (0.05), ==, "");
  g_assert_cmpstr (dmas_stats_stars (1.0), ==, "");
  g_assert_cmpstr (dmas_stats_stars (NAN), ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/describe/scipy-ref", test_describe_scipy_ref);
  g_test_add_func ("/stats/describe/even-median", test_describe_even);
  g_test_add_func ("/stats/describe/n1", test_describe_n1);
  g_test_add_func ("/stats/describe/n0", test_describe_n0);
  g_test_add_func ("/stats/describe/constant", test_describe_constant);
  g_test_add_func ("/stats/paired-t/scipy-ref", test_paired_t_scipy_ref);
  g_test_add_func ("/stats/paired-t/degenerate", test_paired_t_degenerate);
  g_test_add_func ("/stats/welch/scipy-ref", test_welch_scipy_ref);
  g_test_add_func ("/stats/welch/one-constant", test_welch_one_constant);
  g_test_add_func ("/stats/welch/degenerate", test_welch_degenerate);
  g_test_add_func ("/stats/wilcoxon/exact-scipy-ref", test_wilcoxon_exact_scipy_ref);
  g_test_add_func ("/stats/wilcoxon/exact-n50-approx-n51", test_wilcoxon_exact_n50);
  g_test_add_func ("/stats/wilcoxon/ties", test_wilcoxon_ties);
  g_test_add_func ("/stats/wilcoxon/zeros-ties", test_wilcoxon_zeros_ties);
  g_test_add_func ("/stats/wilcoxon/zeros-no-ties", test_wilcoxon_zeros_no_ties);
  g_test_add_func ("/stats/wilcoxon/small", test_wilcoxon_small);
  g_test_add_func ("/stats/wilcoxon/exact-brute-force", test_wilcoxon_exact_brute_force);
  g_test_add_func ("/stats/wilcoxon/order-free", test_wilcoxon_order_free);
  g_test_add_func ("/stats/wilcoxon/degenerate", test_wilcoxon_degenerate);
  g_test_add_func ("/stats/holm/scipy-ref", test_holm_scipy_ref);
  g_test_add_func ("/stats/holm/textbook", test_holm_textbook);
  g_test_add_func ("/stats/holm/edges", test_holm_edges);
  g_test_add_func ("/stats/stars", test_stars);
  return g_test_run ();
}
