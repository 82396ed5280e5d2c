/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of bidding/heuristic (the seed's best-fit score), through the built module. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mock-host.h"

/* The seed's agent sizes (DESIGN §13): cores / GB / GPUs per node. */
#define TINY 2, 4.0, 0
#define SMALL 4, 8.0, 0
#define MEDIUM 8, 16.0, 1
#define LARGE 16, 32.0, 2
#define XLARGE 32, 64.0, 4

static DmasClusterView
cluster (uint32_t nodes, uint32_t cores, double memory_gb, uint32_t gpus)
{
  return (DmasClusterView){
    .agent = 0,
    .type = DMAS_CLUSTER_GENERAL,
    .nodes = nodes,
    .cores_per_node = cores,
    .memory_gb_per_node = memory_gb,
    .gpus_per_node = gpus,
    .speed = 1.0,
    .free_nodes = nodes,
  };
}

static DmasJob
job (uint32_t nodes, uint32_t cores, double memory_gb, uint32_t gpus)
{
  return (DmasJob){
    .id = 42,
    .nodes = nodes,
    .cores = cores,
    .memory_gb = memory_gb,
    .gpus = gpus,
    .walltime = 60 * DMAS_S,
    .runtime = 30 * DMAS_S,
    .type = DMAS_JOB_HPC,
  };
}

static MockHost *
start (const gchar *const *params)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_BIDDING, "heuristic", "heuristic",
                                                &error);
  g_assert_no_error (error);
  MockHost *host = mock_host_new (1, 1);
  mock_host_start (host, c, params, &error);
  g_assert_no_error (error);
  return host;
}

static double
score (MockHost *host, DmasJob j, DmasClusterView c)
{
  DmasBid bid = { 0 };
  DmasError err = { 0, "" };
  int rc = mock_host_bid (host, 0, &j, &c, &bid, &err);
  g_assert_cmpstr (err.message, ==, "");
  g_assert_cmpint (rc, ==, DMAS_OK);
  g_assert_cmpuint (bid.job, ==, j.id);
  g_assert_cmpuint (bid.agent, ==, 0);
  return bid.score;
}

static void
test_infeasible (void)
{
  g_autoptr (MockHost) host = start (NULL);

  g_assert_cmpfloat (score (host, job (2, 4, 8, 0), cluster (1, MEDIUM)), ==, 0.0);   /* nodes */
  g_assert_cmpfloat (score (host, job (1, 9, 8, 0), cluster (4, MEDIUM)), ==, 0.0);   /* cores */
  g_assert_cmpfloat (score (host, job (1, 4, 16.5, 0), cluster (4, MEDIUM)), ==, 0.0); /* mem */
  g_assert_cmpfloat (score (host, job (1, 4, 8, 2), cluster (4, MEDIUM)), ==, 0.0);   /* gpus */
  g_assert_cmpfloat (score (host, job (1, 1, 1, 1), cluster (4, SMALL)), ==, 0.0);    /* none */

  /* Exactly at capacity is feasible. */
  g_assert_cmpfloat (score (host, job (4, 8, 16, 1), cluster (4, MEDIUM)), >, 0.0);
}

/* Expected values are the documented expression evaluated left to right on the ratios,
 * which must give the very same double; the decimal is the hand computation. */
static void
test_hand_computed (void)
{
  g_autoptr (MockHost) host = start (NULL);
  struct {
    DmasJob job;
    DmasClusterView cluster;
    double cpu, mem, gpu; /* the ratios by hand */
    double decimal;
  } cases[] = {
    /* CPU job on a GPU node: the GPU term is min(1, 0/1) = 0. */
    { job (1, 4, 8, 0), cluster (1, MEDIUM), 4.0 / 8, 8.0 / 16, 0.0, 0.35 },
    /* Perfect fit on a node without GPUs: the GPU term is 1. */
    { job (1, 4, 8, 0), cluster (1, SMALL), 1.0, 1.0, 1.0, 1.0 },
    /* Multi-node job: ratios are per node; the node count only decides feasibility. */
    { job (2, 8, 24, 1), cluster (4, LARGE), 8.0 / 16, 24.0 / 32, 1.0 / 2, 0.575 },
    { job (1, 32, 64, 4), cluster (1, XLARGE), 1.0, 1.0, 1.0, 1.0 },
    { job (1, 1, 1, 0), cluster (1, XLARGE), 1.0 / 32, 1.0 / 64, 0.0, 0.0171875 },
    { job (1, 3, 5, 0), cluster (1, TINY), 0, 0, 0, 0.0 }, /* infeasible: 3 > 2 cores */
    { job (1, 2, 1, 0), cluster (3, TINY), 2.0 / 2, 1.0 / 4, 1.0, 0.775 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double got = score (host, cases[i].job, cases[i].cluster);
      double exact = cases[i].decimal == 0.0
                         ? 0.0
                         : 0.4 * cases[i].cpu + 0.3 * cases[i].mem + 0.3 * cases[i].gpu;
      g_test_message ("case %zu: score %.17g, expected %.17g", i, got, exact);
      g_assert_cmpfloat (got, ==, exact);
      g_assert_cmpfloat_with_epsilon (got, cases[i].decimal, 1e-12);
    }
}

static void
test_best_fit (void)
{
  g_autoptr (MockHost) host = start (NULL);

  /* A 4-core 8 GB CPU job: the small node it fills beats everything larger. */
  double tiny = score (host, job (1, 4, 8, 0), cluster (1, TINY));
  double small = score (host, job (1, 4, 8, 0), cluster (1, SMALL));
  double medium = score (host, job (1, 4, 8, 0), cluster (1, MEDIUM));
  double large = score (host, job (1, 4, 8, 0), cluster (1, LARGE));
  double xlarge = score (host, job (1, 4, 8, 0), cluster (1, XLARGE));
  g_assert_cmpfloat (tiny, ==, 0.0);
  g_assert_cmpfloat (small, >, medium);
  g_assert_cmpfloat (medium, >, large);
  g_assert_cmpfloat (large, >, xlarge);
  g_assert_cmpfloat (xlarge, >, 0.0);

  /* With one GPU the small node cannot run it and the medium node is the tighter fit. */
  g_assert_cmpfloat (score (host, job (1, 4, 8, 1), cluster (1, SMALL)), ==, 0.0);
  g_assert_cmpfloat (score (host, job (1, 4, 8, 1), cluster (1, MEDIUM)), >,
                     score (host, job (1, 4, 8, 1), cluster (1, LARGE)));
}

/* Feasibility looks at total capacity: a full cluster bids as if idle (it will queue). */
static void
test_total_capacity (void)
{
  g_autoptr (MockHost) host = start (NULL);
  DmasClusterView idle = cluster (2, LARGE);
  DmasClusterView busy = idle;
  busy.free_nodes = 0;
  busy.used_cores = 32;
  busy.queued_jobs = 7;
  busy.running_jobs = 2;
  g_assert_cmpfloat (score (host, job (2, 16, 32, 2), busy), ==,
                     score (host, job (2, 16, 32, 2), idle));
  g_assert_cmpfloat (score (host, job (2, 16, 32, 2), busy), ==, 1.0);
}

/* A feasible job never bids 0: 0 would say "impossible". */
static void
test_feasible_never_zero (void)
{
  g_autoptr (MockHost) host = start (NULL);
  double s = score (host, job (1, 0, 0, 0), cluster (1, MEDIUM));
  g_assert_cmpfloat (s, >, 0.0);
  g_assert_cmpfloat (s, <, 1e-6);
}

static void
test_load_weight (void)
{
  const gchar *const params[] = { "load_weight=0.5", NULL };
  g_autoptr (MockHost) plain = start (NULL);
  g_autoptr (MockHost) loaded = start (params);

  DmasClusterView c = cluster (1, MEDIUM);
  g_assert_cmpfloat (score (loaded, job (1, 4, 8, 0), c), ==, score (plain, job (1, 4, 8, 0), c));

  c.queued_jobs = 2;
  c.running_jobs = 1;
  double base = score (plain, job (1, 4, 8, 0), c);
  g_assert_cmpfloat (base, ==, 0.4 * 0.5 + 0.3 * 0.5 + 0.3 * 0.0); /* weight 0 ignores load */
  g_assert_cmpfloat (score (loaded, job (1, 8, 16, 1), c), ==, 1.0 - 0.5 * (3.0 / 4.0));

  /* A penalty larger than the score leaves a feasible job just above 0. */
  double s = score (loaded, job (1, 4, 8, 0), c);
  g_assert_cmpfloat (s, >, 0.0);
  g_assert_cmpfloat (s, <, 1e-6);
  g_assert_cmpfloat (score (loaded, job (1, 9, 8, 0), c), ==, 0.0);
}

/* The seed's score does not learn: the optional 1.1 op is absent. */
static void
test_no_job_finished (void)
{
  g_autoptr (MockHost) host = start (NULL);
  DmasJob j = job (1, 4, 8, 0);
  g_assert_false (mock_host_job_finished (host, 0, &j, 0, DMAS_S));
}

static void
test_bad_parameter (void)
{
  const gchar *const params[] = { "load_weight=-1", NULL };
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_BIDDING, "heuristic", "heuristic",
                                                &error);
  g_assert_no_error (error);
  g_autoptr (MockHost) host = mock_host_new (1, 1);
  g_assert_false (mock_host_start (host, c, params, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "load_weight must be"));
}

static void
test_invalid_job (void)
{
  g_autoptr (MockHost) host = start (NULL);
  DmasJob j = job (0, 4, 8, 0);
  DmasClusterView c = cluster (1, MEDIUM);
  DmasBid bid = { 0 };
  DmasError err = { 0, "" };
  g_assert_cmpint (mock_host_bid (host, 0, &j, &c, &bid, &err), ==, DMAS_EINVAL);
  g_assert_cmpint (err.code, ==, DMAS_EINVAL);
  g_assert_nonnull (strstr (err.message, "job 42"));

  j = job (1, 4, NAN, 0);
  g_assert_cmpint (mock_host_bid (host, 0, &j, &c, &bid, &err), ==, DMAS_EINVAL);
}

/* Random pairs: score is 0 exactly when infeasible, else in (0, 1]. */
static void
test_random_feasibility (void)
{
  g_autoptr (MockHost) host = start (NULL);
  for (int i = 0; i < 2000; i++)
    {
      DmasJob j = job ((uint32_t) g_test_rand_int_range (1, 5),
                       (uint32_t) g_test_rand_int_range (0, 40), g_test_rand_double_range (0, 80),
                       (uint32_t) g_test_rand_int_range (0, 5));
      DmasClusterView c = cluster ((uint32_t) g_test_rand_int_range (1, 5),
                                   (uint32_t) g_test_rand_int_range (1, 40),
                                   g_test_rand_double_range (1, 80),
                                   (uint32_t) g_test_rand_int_range (0, 5));
      gboolean feasible = j.nodes <= c.nodes && j.cores <= c.cores_per_node
                          && j.memory_gb <= c.memory_gb_per_node && j.gpus <= c.gpus_per_node;
      double s = score (host, j, c);
      if (feasible)
        {
          g_assert_cmpfloat (s, >, 0.0);
          g_assert_cmpfloat (s, <=, 1.0);
        }
      else
        g_assert_cmpfloat (s, ==, 0.0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/heuristic/infeasible/each-resource", test_infeasible);
  g_test_add_func ("/heuristic/score/hand-computed", test_hand_computed);
  g_test_add_func ("/heuristic/score/best-fit-prefers-tighter", test_best_fit);
  g_test_add_func ("/heuristic/score/total-capacity", test_total_capacity);
  g_test_add_func ("/heuristic/score/feasible-never-zero", test_feasible_never_zero);
  g_test_add_func ("/heuristic/params/load-weight", test_load_weight);
  g_test_add_func ("/heuristic/params/negative-load-weight", test_bad_parameter);
  g_test_add_func ("/heuristic/input/invalid-job", test_invalid_job);
  g_test_add_func ("/heuristic/api/no-job-finished", test_no_job_finished);
  g_test_add_func ("/heuristic/score/random-feasibility", test_random_feasibility);
  return g_test_run ();
}
