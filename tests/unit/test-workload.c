/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the synthetic workload: arrival patterns, sizes from distributions, pairing. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "world/workload.h"

/* A config with only the keys the generator reads (sizes as the foundation drew them). */
static void
config_init (DmasConfig *config, const gchar *generator, guint jobs, DmasTime span)
{
  memset (config, 0, sizeof *config);
  config->source = (gchar *) "test.yaml";
  config->horizon = span;
  config->workload.generator = (gchar *) generator;
  config->workload.jobs = jobs;
  config->workload.span = span;
  config->workload.nodes = dmas_dist_constant (1);
  config->workload.runtime = (DmasDist){ .kind = DMAS_DIST_UNIFORM, .min = 10.0 * DMAS_S,
                                         .max = 100.0 * DMAS_S };
  config->workload.walltime_factor = 1.5;
  config->workload.cores = (DmasDist){ .kind = DMAS_DIST_UNIFORM, .min = 1, .max = 8 };
  config->workload.memory_gb = (DmasDist){ .kind = DMAS_DIST_UNIFORM, .min = 1, .max = 16 };
  config->workload.gpus = (DmasDist){ .kind = DMAS_DIST_UNIFORM, .min = 1, .max = 2,
                                      .fraction = 0.25 };
  config->workload.types_by_gpus = TRUE;
}

static DmasWorkload *
generate (const DmasConfig *config, guint n_agents, guint32 seed)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
  g_autoptr (GError) error = NULL;
  DmasWorkload *w = dmas_workload_generate (config, n_agents, rng, &error);
  g_assert_no_error (error);
  g_assert_nonnull (w);
  return w;
}

/* Ids 1..N in submit order, homes round-robin in that order. */
static void
assert_ids_and_homes (const DmasWorkload *w, guint n_agents)
{
  for (guint i = 0; i < w->n_jobs; i++)
    {
      g_assert_cmpuint (w->jobs[i].id, ==, i + 1);
      g_assert_cmpuint (w->jobs[i].home, ==, i % n_agents);
      if (i > 0)
        g_assert_cmpuint (w->jobs[i - 1].submit, <=, w->jobs[i].submit);
    }
}

static void
test_constant (void)
{
  DmasConfig config;
  const DmasTime span = 3 * 3600 * DMAS_S;
  config_init (&config, "constant", 7, span);
  g_autoptr (DmasWorkload) w = generate (&config, 3, g_test_rand_int ());
  g_assert_cmpuint (w->n_jobs, ==, 7);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpuint (w->jobs[i].submit, ==, i * span / 7);
  assert_ids_and_homes (w, 3);
  g_assert_null (w->source_ids);
  g_assert_null (dmas_workload_source_id (w, 1));
  g_assert_cmpuint (dmas_workload_stats (w)->jobs, ==, 7);
  g_assert_cmpuint (dmas_workload_stats (w)->records, ==, 0);

  /* Exact even where i·T overflows 64 bits: T = 100 days + 7 ns, N = 10^4. */
  const guint64 t = 100 * 86400 * DMAS_S + 7, n = 10000;
  config_init (&config, "constant", n, t);
  g_autoptr (DmasWorkload) big = generate (&config, 1, 1);
#ifdef __SIZEOF_INT128__
  for (guint64 i = 0; i < n; i += 1111)
    g_assert_cmpuint (big->jobs[i].submit, ==, (guint64) ((unsigned __int128) i * t / n));
#endif
  g_assert_cmpuint (big->jobs[n - 1].submit, <, t);
}

static void
test_burst (void)
{
  DmasConfig config;
  const DmasTime span = 1000 * DMAS_S;
  config_init (&config, "burst", 300, span);
  g_autoptr (DmasWorkload) w = generate (&config, 4, g_test_rand_int ());
  const DmasTime base[3] = { 250 * DMAS_S, 500 * DMAS_S, 750 * DMAS_S };
  guint per_burst[3] = { 0 };
  for (guint i = 0; i < w->n_jobs; i++)
    {
      gint k = -1;
      for (gint b = 0; b < 3; b++)
        if (w->jobs[i].submit >= base[b] && w->jobs[i].submit < base[b] + 5 * DMAS_S)
          k = b;
      g_assert_cmpint (k, >=, 0);
      per_burst[k]++;
    }
  /* i mod 3 picks the burst: 300 jobs, 100 in each. */
  for (guint b = 0; b < 3; b++)
    g_assert_cmpuint (per_burst[b], ==, 100);
  assert_ids_and_homes (w, 4);
}

static void
test_uniform (void)
{
  DmasConfig config;
  const DmasTime span = 600 * DMAS_S;
  config_init (&config, "uniform", 500, span);
  g_autoptr (DmasWorkload) w = generate (&config, 5, g_test_rand_int ());
  for (guint i = 0; i < w->n_jobs; i++)
    g_assert_cmpuint (w->jobs[i].submit, <, span);
  assert_ids_and_homes (w, 5);
  /* Spread over the whole span: both halves are populated (p of failure 2^-499). */
  g_assert_cmpuint (w->jobs[0].submit, <, span / 2);
  g_assert_cmpuint (w->jobs[499].submit, >=, span / 2);
}

/* Mean gap T/N and the exponential's P(gap > mean) = 1/e.  A fixed seed keeps this exact;
 * the tolerances are also over 6 standard errors wide, so no seed would make it flake. */
static void
test_poisson (void)
{
  DmasConfig config;
  const guint n = 20000;
  const DmasTime span = 20000 * DMAS_S; /* mean gap 1 s */
  config_init (&config, "poisson", n, span);
  g_autoptr (DmasWorkload) w = generate (&config, 7, 20240611);
  assert_ids_and_homes (w, 7);

  DmasTime previous = 0;
  guint above_mean = 0;
  for (guint i = 0; i < n; i++)
    {
      DmasTime gap = w->jobs[i].submit - previous;
      above_mean += gap > DMAS_S;
      previous = w->jobs[i].submit;
    }
  gdouble mean_gap_s = (gdouble) w->jobs[n - 1].submit / n / DMAS_S;
  g_assert_cmpfloat_with_epsilon (mean_gap_s, 1.0, 0.05);             /* se 0.007 */
  g_assert_cmpfloat_with_epsilon ((gdouble) above_mean / n, exp (-1.0), 0.02); /* se 0.0034 */
}

static void
test_sizes (void)
{
  DmasConfig config;
  config_init (&config, "uniform", 2000, 3600 * DMAS_S);
  config.workload.runtime.min = 1500.0 * DMAS_US; /* first whole ms: 2 ms */
  config.workload.runtime.max = 4.0 * DMAS_MS;
  config.workload.nodes = (DmasDist){ .kind = DMAS_DIST_CHOICE, .n_values = 2,
                                      .values = (gdouble[]){ 1, 4 },
                                      .weights = (gdouble[]){ 3, 1 } };
  g_autoptr (DmasWorkload) w = generate (&config, 2, g_test_rand_int ());
  guint cores_seen[9] = { 0 }, with_gpus = 0, four_nodes = 0;
  for (guint i = 0; i < w->n_jobs; i++)
    {
      const DmasJob *job = &w->jobs[i];
      g_assert_true (job->nodes == 1 || job->nodes == 4);
      four_nodes += job->nodes == 4;
      g_assert_cmpuint (job->cores, >=, 1);
      g_assert_cmpuint (job->cores, <=, 8);
      cores_seen[job->cores]++;
      g_assert_cmpfloat (job->memory_gb, >=, 1.0);
      g_assert_cmpfloat (job->memory_gb, <=, 16.0);
      g_assert_cmpuint (job->gpus, <=, 2);
      g_assert_cmpint (job->type, ==, job->gpus > 0 ? DMAS_JOB_AI : DMAS_JOB_HPC);
      with_gpus += job->gpus > 0;
      g_assert_cmpuint (job->runtime % DMAS_MS, ==, 0);
      g_assert_cmpuint (job->runtime, >=, 2 * DMAS_MS);
      g_assert_cmpuint (job->runtime, <=, 4 * DMAS_MS);
      g_assert_cmpuint (job->walltime, ==, job->runtime * 3 / 2);
    }
  for (guint c = 1; c <= 8; c++)
    g_assert_cmpuint (cores_seen[c], >, 0);
  /* 25 % of 2000 = 500, se 19: far inside [300, 700]; a quarter with 4 nodes likewise. */
  g_assert_cmpuint (with_gpus, >, 300);
  g_assert_cmpuint (with_gpus, <, 700);
  g_assert_cmpuint (four_nodes, >, 300);
  g_assert_cmpuint (four_nodes, <, 700);
}

/* The exact meaning of tests/scenarios/tiny-2x3.yaml: constants give exactly those values. */
static void
test_constants (void)
{
  DmasConfig config;
  config_init (&config, "constant", 3, 30 * DMAS_S);
  config.workload.runtime = dmas_dist_constant (25.0 * DMAS_S);
  config.workload.cores = dmas_dist_constant (4);
  config.workload.memory_gb = dmas_dist_constant (8);
  config.workload.gpus = dmas_dist_constant (0);
  g_autoptr (DmasWorkload) w = generate (&config, 2, g_test_rand_int ());
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (w->jobs[i].submit, ==, i * 10 * DMAS_S);
      g_assert_cmpuint (w->jobs[i].nodes, ==, 1);
      g_assert_cmpuint (w->jobs[i].cores, ==, 4);
      g_assert_cmpfloat (w->jobs[i].memory_gb, ==, 8.0);
      g_assert_cmpuint (w->jobs[i].gpus, ==, 0);
      g_assert_cmpuint (w->jobs[i].runtime, ==, 25 * DMAS_S);
      g_assert_cmpuint (w->jobs[i].walltime, ==, 37500 * DMAS_MS);
      g_assert_cmpint (w->jobs[i].type, ==, DMAS_JOB_HPC);
    }
}

static void
test_types (void)
{
  DmasConfig config;
  config_init (&config, "uniform", 4000, 3600 * DMAS_S);
  config.workload.types_by_gpus = FALSE;
  config.workload.type_weights[DMAS_JOB_HPC] = 3;
  config.workload.type_weights[DMAS_JOB_STORAGE] = 1;
  g_autoptr (DmasWorkload) w = generate (&config, 1, g_test_rand_int ());
  guint hpc = 0, storage = 0;
  for (guint i = 0; i < w->n_jobs; i++)
    {
      hpc += w->jobs[i].type == DMAS_JOB_HPC;
      storage += w->jobs[i].type == DMAS_JOB_STORAGE;
    }
  g_assert_cmpuint (hpc + storage, ==, 4000);
  /* 75 % of 4000 = 3000, se 27. */
  g_assert_cmpuint (hpc, >, 2800);
  g_assert_cmpuint (hpc, <, 3200);
}

/* Exactly 13 uniforms per job, whatever the distributions: after generating N jobs, the
 * stream stands where a fresh one stands after 13·N draws. */
static void
test_draw_count (void)
{
  static const DmasDist dists[] = {
    { .kind = DMAS_DIST_CONSTANT, .value = 2 },
    { .kind = DMAS_DIST_EXPONENTIAL, .mean = 3 },
    { .kind = DMAS_DIST_LOGNORMAL, .median = 2, .p95 = 9 },
  };
  const guint32 seed = g_test_rand_int ();
  for (gsize d = 0; d < G_N_ELEMENTS (dists); d++)
    {
      DmasConfig config;
      config_init (&config, "poisson", 37, 3600 * DMAS_S);
      config.workload.cores = dists[d];
      g_autoptr (GRand) used = g_rand_new_with_seed (seed);
      g_autoptr (GRand) fresh = g_rand_new_with_seed (seed);
      g_autoptr (GError) error = NULL;
      g_autoptr (DmasWorkload) w = dmas_workload_generate (&config, 1, used, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < 37 * DMAS_WORKLOAD_DRAWS_PER_JOB; i++)
        g_rand_double (fresh);
      g_assert_cmpfloat (g_rand_double (used), ==, g_rand_double (fresh));
    }
}

/* Fixed draws per job: the same seed gives the same jobs, and changing the GPU fraction, one
 * attribute's distribution or the arrival pattern leaves the other attributes where they were. */
static void
test_reproducible_and_paired (void)
{
  DmasConfig config;
  guint32 seed = g_test_rand_int ();
  config_init (&config, "constant", 300, 3600 * DMAS_S);
  g_autoptr (DmasWorkload) a = generate (&config, 3, seed);
  g_autoptr (DmasWorkload) b = generate (&config, 3, seed);
  g_assert_cmpmem (a->jobs, a->n_jobs * sizeof (DmasJob), b->jobs, b->n_jobs * sizeof (DmasJob));

  config.workload.gpus.fraction = 0.0;
  g_autoptr (DmasWorkload) c = generate (&config, 3, seed);
  for (guint i = 0; i < 300; i++)
    {
      g_assert_cmpuint (c->jobs[i].gpus, ==, 0);
      g_assert_cmpuint (c->jobs[i].runtime, ==, a->jobs[i].runtime);
      g_assert_cmpuint (c->jobs[i].cores, ==, a->jobs[i].cores);
    }

  config.workload.cores = (DmasDist){ .kind = DMAS_DIST_LOGNORMAL, .median = 4, .p95 = 32 };
  g_autoptr (DmasWorkload) e = generate (&config, 3, seed);
  for (guint i = 0; i < 300; i++)
    {
      g_assert_cmpuint (e->jobs[i].runtime, ==, a->jobs[i].runtime);
      g_assert_cmpfloat (e->jobs[i].memory_gb, ==, a->jobs[i].memory_gb);
    }

  /* Burst jobs i and i+3 share a burst; the sort only reorders within bursts, so compare
   * the multisets of runtimes. */
  config.workload.generator = (gchar *) "burst";
  g_autoptr (DmasWorkload) d = generate (&config, 3, seed);
  guint64 sum_a = 0, sum_d = 0;
  for (guint i = 0; i < 300; i++)
    sum_a += a->jobs[i].runtime, sum_d += d->jobs[i].runtime;
  g_assert_cmpuint (sum_a, ==, sum_d);
}

static void
test_errors (void)
{
  DmasConfig config;
  g_autoptr (GRand) rng = g_rand_new_with_seed (1);
  g_autoptr (GError) error = NULL;

  config_init (&config, "zipf", 10, DMAS_S);
  g_assert_null (dmas_workload_generate (&config, 1, rng, &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, "test.yaml: workload generator 'zipf' is not supported "
                   "yet (available: constant, burst, poisson, uniform, swf, batsim)");
  g_clear_error (&error);

  config_init (&config, "swf", 10, DMAS_S);
  config.workload.path = (gchar *) "/nonexistent/trace.swf";
  g_assert_null (dmas_workload_generate (&config, 1, rng, &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/trace.swf: cannot read the "
                                                   "trace: "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/workload/constant", test_constant);
  g_test_add_func ("/world/workload/burst", test_burst);
  g_test_add_func ("/world/workload/uniform", test_uniform);
  g_test_add_func ("/world/workload/poisson", test_poisson);
  g_test_add_func ("/world/workload/sizes", test_sizes);
  g_test_add_func ("/world/workload/constants", test_constants);
  g_test_add_func ("/world/workload/types", test_types);
  g_test_add_func ("/world/workload/draw-count", test_draw_count);
  g_test_add_func ("/world/workload/reproducible-and-paired", test_reproducible_and_paired);
  g_test_add_func ("/world/workload/errors", test_errors);
  return g_test_run ();
}
