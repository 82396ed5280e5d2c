/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the distributions: each formula at chosen uniforms, fixed-seed draws, means. */
#include "config.h"

#include <math.h>

#include <glib.h>

#include "world/dist.h"

static void
test_constant (void)
{
  const DmasDist d = dmas_dist_constant (7);
  g_assert_cmpfloat (dmas_dist_value (&d, 0.0, 0.5), ==, 7.0);
  g_assert_cmpfloat (dmas_dist_value (&d, 0.999, 0.1), ==, 7.0);
  g_assert_cmpuint (dmas_dist_count (&d, 1, 0.3, 0.3), ==, 7);
  const DmasDist t = dmas_dist_constant (1500.0 * DMAS_US);
  /* Constants are exact: no rounding to milliseconds. */
  g_assert_cmpuint (dmas_dist_duration (&t, 0.3, 0.3), ==, 1500 * DMAS_US);
  g_assert_cmpfloat (dmas_dist_mean (&d), ==, 7.0);
}

static void
test_uniform (void)
{
  const DmasDist d = { .kind = DMAS_DIST_UNIFORM, .min = 2, .max = 6 };
  g_assert_cmpfloat (dmas_dist_value (&d, 0.0, 0.9), ==, 2.0);
  g_assert_cmpfloat (dmas_dist_value (&d, 0.25, 0.9), ==, 3.0);
  /* Integers: min + floor(u·(max − min + 1)), each of 2..6 equally likely. */
  g_assert_cmpuint (dmas_dist_count (&d, 1, 0.0, 0), ==, 2);
  g_assert_cmpuint (dmas_dist_count (&d, 1, 0.199, 0), ==, 2);
  g_assert_cmpuint (dmas_dist_count (&d, 1, 0.2, 0), ==, 3);
  g_assert_cmpuint (dmas_dist_count (&d, 1, 0.8, 0), ==, 6);
  g_assert_cmpuint (dmas_dist_count (&d, 1, 0.9999999999999999, 0), ==, 6);
  /* Durations: whole milliseconds in [1.5 ms, 4 ms], i.e. 2, 3 or 4 ms. */
  const DmasDist t = { .kind = DMAS_DIST_UNIFORM, .min = 1500.0 * DMAS_US, .max = 4.0 * DMAS_MS };
  g_assert_cmpuint (dmas_dist_duration (&t, 0.0, 0), ==, 2 * DMAS_MS);
  g_assert_cmpuint (dmas_dist_duration (&t, 0.5, 0), ==, 3 * DMAS_MS);
  g_assert_cmpuint (dmas_dist_duration (&t, 0.9999, 0), ==, 4 * DMAS_MS);
  /* No whole millisecond inside: the bound itself. */
  const DmasDist narrow = { .kind = DMAS_DIST_UNIFORM, .min = 1200.0 * DMAS_US,
                            .max = 1700.0 * DMAS_US };
  g_assert_cmpuint (dmas_dist_duration (&narrow, 0.7, 0), ==, 1200 * DMAS_US);
  g_assert_cmpfloat (dmas_dist_mean (&d), ==, 4.0);
}

static void
test_exponential (void)
{
  const DmasDist d = { .kind = DMAS_DIST_EXPONENTIAL, .mean = 30.0 * DMAS_S };
  /* u = 1 − e^−1 is the draw that gives exactly the mean. */
  g_assert_cmpfloat_with_epsilon (dmas_dist_value (&d, 1 - exp (-1.0), 0.3), 30.0 * DMAS_S, 1.0);
  g_assert_cmpfloat (dmas_dist_value (&d, 0.0, 0.3), ==, 0.0);
  /* At least 1 ms, rounded to the millisecond. */
  g_assert_cmpuint (dmas_dist_duration (&d, 0.0, 0.3), ==, DMAS_MS);
  g_assert_cmpuint (dmas_dist_duration (&d, 1 - exp (-1.0), 0.3), ==, 30 * DMAS_S);
  const DmasDist capped = { .kind = DMAS_DIST_EXPONENTIAL, .mean = 30.0 * DMAS_S,
                            .max = 60.0 * DMAS_S };
  g_assert_cmpuint (dmas_dist_duration (&capped, 0.99, 0.3), ==, 60 * DMAS_S);
  g_assert_cmpuint (dmas_dist_duration (&capped, 0.5, 0.3), ==,
                    (DmasTime) floor (30e3 * log (2.0) + 0.5) * DMAS_MS);
  /* Counts round to the nearest integer and never fall below the least allowed. */
  const DmasDist cores = { .kind = DMAS_DIST_EXPONENTIAL, .mean = 4 };
  g_assert_cmpuint (dmas_dist_count (&cores, 1, 0.0, 0), ==, 1);
  g_assert_cmpuint (dmas_dist_count (&cores, 1, 1 - exp (-1.0), 0), ==, 4);
  g_assert_cmpfloat (dmas_dist_mean (&d), ==, 30.0 * DMAS_S);
}

static void
test_lognormal (void)
{
  const DmasDist d = { .kind = DMAS_DIST_LOGNORMAL, .median = 10, .p95 = 100 };
  /* u2 = 0 makes z = √(−2 ln(1 − u1)); u1 = 1 − e^−z²/2 gives z = 0 (median) or 1.645 (p95). */
  const gdouble z95 = 1.6448536269514722;
  g_assert_cmpfloat_with_epsilon (dmas_dist_value (&d, 0.0, 0.0), 10.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (dmas_dist_value (&d, 1 - exp (-z95 * z95 / 2), 0.0), 100.0,
                                  1e-9);
  /* u2 = 1/2: cos π = −1, the mirror image: 10² / 100 = 1. */
  g_assert_cmpfloat_with_epsilon (dmas_dist_value (&d, 1 - exp (-z95 * z95 / 2), 0.5), 1.0,
                                  1e-9);
  const DmasDist capped = { .kind = DMAS_DIST_LOGNORMAL, .median = 10, .p95 = 100, .max = 50 };
  g_assert_cmpfloat (dmas_dist_value (&capped, 1 - exp (-z95 * z95 / 2), 0.0), ==, 50.0);
  const gdouble sigma = log (10.0) / z95;
  g_assert_cmpfloat_with_epsilon (dmas_dist_mean (&d), 10 * exp (sigma * sigma / 2), 1e-9);
}

static void
test_choice (void)
{
  gdouble values[] = { 1, 2, 4 };
  gdouble weights[] = { 1, 0, 3 };
  const DmasDist equal = { .kind = DMAS_DIST_CHOICE, .n_values = 3, .values = values };
  const DmasDist weighted = { .kind = DMAS_DIST_CHOICE, .n_values = 3, .values = values,
                              .weights = weights };
  g_assert_cmpfloat (dmas_dist_value (&equal, 0.0, 0), ==, 1.0);
  g_assert_cmpfloat (dmas_dist_value (&equal, 0.34, 0), ==, 2.0);
  g_assert_cmpfloat (dmas_dist_value (&equal, 0.9999999999999999, 0), ==, 4.0);
  /* Cumulative shares 1/4, 1/4, 1: a zero weight is never drawn. */
  g_assert_cmpfloat (dmas_dist_value (&weighted, 0.0, 0), ==, 1.0);
  g_assert_cmpfloat (dmas_dist_value (&weighted, 0.2499, 0), ==, 1.0);
  g_assert_cmpfloat (dmas_dist_value (&weighted, 0.25, 0), ==, 4.0);
  g_assert_cmpfloat (dmas_dist_value (&weighted, 0.9999999999999999, 0), ==, 4.0);
  g_assert_cmpfloat (dmas_dist_mean (&equal), ==, 7.0 / 3);
  g_assert_cmpfloat (dmas_dist_mean (&weighted), ==, 13.0 / 4);
}

/* Draws from a fixed seed: the same numbers on every run and machine (GRand is a Mersenne
 * Twister; the libm calls are correctly rounded to far below the tolerance). */
static void
test_fixed_seed (void)
{
  static const DmasDist dists[] = {
    { .kind = DMAS_DIST_UNIFORM, .min = 1, .max = 8 },
    { .kind = DMAS_DIST_EXPONENTIAL, .mean = 30 },
    { .kind = DMAS_DIST_LOGNORMAL, .median = 30, .p95 = 600 },
  };
  /* The first two values of each, for seed 42 (the draws are taken in this order). */
  static const gdouble expected[][2] = {
    { 6.5758008900149214, 6.4578369832886287 },
    { 17.708662683312948, 18.44388472434844 },
    { 16.632316917835276, 26.911780244197928 },
  };
  g_autoptr (GRand) rng = g_rand_new_with_seed (42);
  g_autoptr (GRand) again = g_rand_new_with_seed (42);

  for (gsize d = 0; d < G_N_ELEMENTS (dists); d++)
    for (guint k = 0; k < 2; k++)
      {
        gdouble u[DMAS_DIST_DRAWS], w[DMAS_DIST_DRAWS];
        dmas_dist_draw (rng, u);
        dmas_dist_draw (again, w);
        const gdouble v = dmas_dist_value (&dists[d], u[0], u[1]);
        g_assert_cmpfloat (v, ==, dmas_dist_value (&dists[d], w[0], w[1]));
        if (g_test_verbose ())
          g_test_message ("dist %zu draw %u: %.17g", d, k, v);
        g_assert_cmpfloat_with_epsilon (v, expected[d][k], 1e-9 * MAX (1.0, expected[d][k]));
      }
}

/* Sample means within 6 standard errors of the formula's mean, and the lognormal's p95. */
static void
test_means (void)
{
  gdouble values[] = { 1, 2, 4, 8, 16 };
  const DmasDist dists[] = {
    { .kind = DMAS_DIST_UNIFORM, .min = 10, .max = 120 },
    { .kind = DMAS_DIST_EXPONENTIAL, .mean = 30 },
    { .kind = DMAS_DIST_LOGNORMAL, .median = 30, .p95 = 300 },
    { .kind = DMAS_DIST_CHOICE, .n_values = 5, .values = values },
  };
  const guint n = 200000;
  g_autoptr (GRand) rng = g_rand_new_with_seed (20240611);

  for (gsize d = 0; d < G_N_ELEMENTS (dists); d++)
    {
      gdouble sum = 0, sum2 = 0;
      guint below_p95 = 0;
      for (guint i = 0; i < n; i++)
        {
          gdouble u[DMAS_DIST_DRAWS];
          dmas_dist_draw (rng, u);
          const gdouble v = dmas_dist_value (&dists[d], u[0], u[1]);
          sum += v;
          sum2 += v * v;
          below_p95 += v <= dists[d].p95;
        }
      const gdouble mean = sum / n;
      const gdouble se = sqrt ((sum2 / n - mean * mean) / n);
      g_assert_cmpfloat_with_epsilon (mean, dmas_dist_mean (&dists[d]), 6 * se);
      if (dists[d].kind == DMAS_DIST_LOGNORMAL) /* se of a proportion 0.95: 0.0005 */
        g_assert_cmpfloat_with_epsilon ((gdouble) below_p95 / n, 0.95, 0.003);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/dist/constant", test_constant);
  g_test_add_func ("/world/dist/uniform", test_uniform);
  g_test_add_func ("/world/dist/exponential", test_exponential);
  g_test_add_func ("/world/dist/lognormal", test_lognormal);
  g_test_add_func ("/world/dist/choice", test_choice);
  g_test_add_func ("/world/dist/fixed-seed", test_fixed_seed);
  g_test_add_func ("/world/dist/means", test_means);
  return g_test_run ();
}
