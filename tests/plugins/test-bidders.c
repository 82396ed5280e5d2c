/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of bidding/supercomputer, wrench, least-loaded and random, through the modules. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mock-host.h"

/* ---- fixtures ---- */

static DmasClusterView
cluster (DmasClusterType type, uint32_t nodes, uint32_t cores, uint32_t gpus)
{
  return (DmasClusterView){
    .agent = 0,
    .type = type,
    .nodes = nodes,
    .cores_per_node = cores,
    .memory_gb_per_node = 64.0,
    .gpus_per_node = gpus,
    .speed = 1.0,
    .free_nodes = nodes,
  };
}

/* The cluster with `busy` of its nodes taken by one-node jobs using every core, and `queued`
 * jobs waiting. */
static DmasClusterView
loaded (DmasClusterView c, uint32_t busy, uint32_t queued)
{
  c.free_nodes = c.nodes - busy;
  c.running_jobs = busy;
  c.used_cores = (uint64_t) busy * c.cores_per_node;
  c.queued_jobs = queued;
  return c;
}

static DmasJob
job (DmasJobType type, uint32_t nodes, uint32_t cores, uint32_t gpus)
{
  return (DmasJob){
    .id = 7,
    .nodes = nodes,
    .cores = cores,
    .memory_gb = 8.0,
    .gpus = gpus,
    .walltime = 600 * DMAS_S,
    .runtime = 300 * DMAS_S,
    .type = type,
  };
}

static MockHost *
start (const gchar *name, guint n_agents, guint64 seed)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_BIDDING, name, name, &error);
  g_assert_no_error (error);
  MockHost *host = mock_host_new (n_agents, seed);
  mock_host_start (host, c, NULL, &error);
  g_assert_no_error (error);
  return host;
}

static double
score_on (MockHost *host, DmasAgentId agent, DmasJob j, DmasClusterView c)
{
  DmasBid bid = { 0 };
  DmasError err = { 0, "" };
  c.agent = agent;
  int rc = mock_host_bid (host, agent, &j, &c, &bid, &err);
  g_assert_cmpstr (err.message, ==, "");
  g_assert_cmpint (rc, ==, DMAS_OK);
  g_assert_cmpuint (bid.job, ==, j.id);
  g_assert_cmpuint (bid.agent, ==, agent);
  return bid.score;
}

static double
score (MockHost *host, DmasJob j, DmasClusterView c)
{
  return score_on (host, 0, j, c);
}

/* Exact double (the documented expression, same order) and the decimal worked by hand. */
static void
check_score (MockHost *host, DmasJob j, DmasClusterView c, double exact, double decimal)
{
  double got = score (host, j, c);
  g_test_message ("score %.17g, expected %.17g (%g)", got, exact, decimal);
  g_assert_cmpfloat (got, ==, exact);
  g_assert_cmpfloat_with_epsilon (got, decimal, 1e-12);
}

static const gchar *const bidders[] = { "supercomputer", "wrench", "least-loaded", "random" };

/* ---- what every bidder must do ---- */

static void
test_infeasible (gconstpointer data)
{
  g_autoptr (MockHost) host = start (data, 1, 1);
  DmasClusterView c = cluster (DMAS_CLUSTER_HPC, 4, 16, 2);

  g_assert_cmpfloat (score (host, job (DMAS_JOB_HPC, 5, 1, 0), c), ==, 0.0);  /* nodes */
  g_assert_cmpfloat (score (host, job (DMAS_JOB_HPC, 1, 17, 0), c), ==, 0.0); /* cores */
  g_assert_cmpfloat (score (host, job (DMAS_JOB_HPC, 1, 1, 3), c), ==, 0.0);  /* GPUs */
  DmasJob big = job (DMAS_JOB_HPC, 1, 1, 0);
  big.memory_gb = 64.5;
  g_assert_cmpfloat (score (host, big, c), ==, 0.0);                          /* memory */
  /* At capacity, and on a cluster full to the brim with a long queue: feasible, so > 0. */
  g_assert_cmpfloat (score (host, job (DMAS_JOB_AI, 4, 16, 2), c), >, 0.0);
  g_assert_cmpfloat (score (host, job (DMAS_JOB_AI, 4, 16, 2), loaded (c, 4, 5000)), >, 0.0);
}

/* Random pairs: 0 exactly when infeasible, else in (0, 1]. */
static void
test_random_pairs (gconstpointer data)
{
  g_autoptr (MockHost) host = start (data, 1, g_test_rand_int ());
  for (int i = 0; i < 3000; i++)
    {
      DmasJob j = job ((DmasJobType) g_test_rand_int_range (0, DMAS_JOB_GENERAL + 1),
                       (uint32_t) g_test_rand_int_range (1, 9),
                       (uint32_t) g_test_rand_int_range (0, 40),
                       (uint32_t) g_test_rand_int_range (0, 5));
      j.memory_gb = g_test_rand_double_range (0, 80);
      DmasClusterView c = cluster ((DmasClusterType) g_test_rand_int_range (0, DMAS_CLUSTER_GENERAL
                                                                               + 1),
                                   (uint32_t) g_test_rand_int_range (1, 9),
                                   (uint32_t) g_test_rand_int_range (1, 40),
                                   (uint32_t) g_test_rand_int_range (0, 5));
      c.memory_gb_per_node = g_test_rand_double_range (1, 80);
      c.speed = g_test_rand_double_range (0.25, 4);
      c = loaded (c, (uint32_t) g_test_rand_int_range (0, (gint32) c.nodes + 1),
                  (uint32_t) g_test_rand_int_range (0, 50));
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

static void
test_invalid_input (gconstpointer data)
{
  g_autoptr (MockHost) host = start (data, 1, 1);
  DmasClusterView c = cluster (DMAS_CLUSTER_HPC, 4, 16, 0);
  DmasBid bid = { 0 };
  DmasError err = { 0, "" };

  DmasJob j = job (DMAS_JOB_HPC, 0, 1, 0);
  g_assert_cmpint (mock_host_bid (host, 0, &j, &c, &bid, &err), ==, DMAS_EINVAL);
  g_assert_nonnull (strstr (err.message, "job 7"));
  g_assert_nonnull (strstr (err.message, data));
  j = job (DMAS_JOB_HPC, 1, 1, 0);
  j.memory_gb = NAN;
  g_assert_cmpint (mock_host_bid (host, 0, &j, &c, &bid, &err), ==, DMAS_EINVAL);
  j.memory_gb = 1;
  c.speed = 0;
  g_assert_cmpint (mock_host_bid (host, 0, &j, &c, &bid, &err), ==, DMAS_EINVAL);
  g_assert_nonnull (strstr (err.message, "cluster of agent 0"));
  c = cluster (DMAS_CLUSTER_HPC, 4, 0, 0);
  g_assert_cmpint (mock_host_bid (host, 0, &j, &c, &bid, &err), ==, DMAS_EINVAL);
  /* None of them learns: the optional 1.1 op is absent. */
  g_assert_false (mock_host_job_finished (host, 0, &j, 0, DMAS_S));
}

/* ---- supercomputer ---- */

static void
test_supercomputer_hand (void)
{
  g_autoptr (MockHost) host = start ("supercomputer", 1, 1);
  DmasClusterView hpc8 = cluster (DMAS_CLUSTER_HPC, 8, 32, 0);
  DmasClusterView gpu10 = cluster (DMAS_CLUSTER_GPU, 10, 32, 4);
  DmasClusterView hybrid4 = cluster (DMAS_CLUSTER_HYBRID, 4, 32, 0);
  DmasClusterView storage10 = cluster (DMAS_CLUSTER_STORAGE, 10, 32, 0);
  DmasClusterView hpc5 = cluster (DMAS_CLUSTER_HPC, 5, 32, 0);

  /* Small matching job, idle: 0.5 + 0.4 + 0.1 + 0.2 = 1.2, clamped. */
  check_score (host, job (DMAS_JOB_HPC, 1, 8, 0), hpc8, 1.0, 1.0);
  /* ai on hpc, f = 2/8 = 0.25, 4 free >= 2·2, half busy: (0.5 + 0.3 + 0.1)·0.75 − 0.3·0.5 */
  check_score (host, job (DMAS_JOB_AI, 2, 8, 0), loaded (hpc8, 4, 0),
               ((0.5 + 0.3) + 0.1) * 0.75 - 0.3 * (4.0 / 8.0), 0.525);
  /* hpc on gpu, f = 0.3 (not < 0.3), 5 free < 2·3: (0.5 + 0.2)·0.85 − 0.3·0.5 */
  check_score (host, job (DMAS_JOB_HPC, 3, 8, 0), loaded (gpu10, 5, 0),
               (0.5 + 0.2) * 0.85 - 0.3 * (5.0 / 10.0), 0.445);
  /* general job on a full hybrid cluster: no bonus, no penalty: 0.5 + 0.3 − 0.3·1 */
  check_score (host, job (DMAS_JOB_GENERAL, 1, 8, 0), loaded (hybrid4, 4, 3),
               (0.5 + 0.3) - 0.3 * 1.0, 0.5);
  /* memory on storage: (0.5 + 0.4 + 0.1)·0.87 */
  check_score (host, job (DMAS_JOB_MEMORY, 1, 8, 0), storage10, ((0.5 + 0.4) + 0.1) * 0.87,
               0.87);
  /* storage on hpc, the whole machine: (0.5 + 0.2)·0.87 */
  check_score (host, job (DMAS_JOB_STORAGE, 5, 8, 0), hpc5, (0.5 + 0.2) * 0.87, 0.609);
  /* f exactly 0.2 is not < 0.2; the clamp comes last: 0.5 + 0.3 + 0.1 + 0.2 − 0.3·0.4 */
  check_score (host, job (DMAS_JOB_HPC, 1, 8, 0), loaded (hpc5, 2, 0),
               (((0.5 + 0.3) + 0.1) + 0.2) - 0.3 * (2.0 / 5.0), 0.98);
  /* ai on gpu is a match; f = 0.1, 1 free < 2: 0.5 + 0.4 + 0.2 − 0.3·0.9 */
  check_score (host, job (DMAS_JOB_AI, 1, 8, 1), loaded (gpu10, 9, 0),
               ((0.5 + 0.4) + 0.2) - 0.3 * (9.0 / 10.0), 0.83);
}

/* Every (job type, cluster type) pair: bonus, penalty factor or neither, as documented. */
static void
test_supercomputer_type_table (void)
{
  g_autoptr (MockHost) host = start ("supercomputer", 1, 1);
  /* Rows: job hpc ai hybrid memory storage general.  Columns: cluster hpc gpu ai memory
   * storage hybrid general.  +1 = match (+0.2), 0 = neutral, else the factor. */
  static const double table[6][7] = {
    /* hpc */     { +1, 0.85, 0.85, 0.87, 0.87, 0.92, 0 },
    /* ai */      { 0.75, +1, +1, 0.87, 0.87, 0.92, 0 },
    /* hybrid */  { 0.92, 0.92, 0.92, 0.92, 0.92, +1, 0 },
    /* memory */  { 0.87, 0.87, 0.87, +1, 0.87, 0.92, 0 },
    /* storage */ { 0.87, 0.87, 0.87, 0.87, +1, 0.92, 0 },
    /* general */ { 0, 0, 0, 0, 0, 0, 0 },
  };
  static const DmasJobType jobs[] = { DMAS_JOB_HPC, DMAS_JOB_AI, DMAS_JOB_HYBRID,
                                      DMAS_JOB_MEMORY, DMAS_JOB_STORAGE, DMAS_JOB_GENERAL };
  static const DmasClusterType clusters[] = { DMAS_CLUSTER_HPC, DMAS_CLUSTER_GPU,
                                              DMAS_CLUSTER_AI, DMAS_CLUSTER_MEMORY,
                                              DMAS_CLUSTER_STORAGE, DMAS_CLUSTER_HYBRID,
                                              DMAS_CLUSTER_GENERAL };
  for (gsize r = 0; r < G_N_ELEMENTS (jobs); r++)
    for (gsize k = 0; k < G_N_ELEMENTS (clusters); k++)
      {
        /* f = 1/2 and nothing free: base 0.7, occupancy 1. */
        DmasClusterView c = loaded (cluster (clusters[k], 2, 8, 1), 2, 0);
        double base = 0.5 + 0.2;
        double t = table[r][k];
        double s = t == 1 ? base + 0.2 : t == 0 ? base : base * t;
        g_test_message ("job %zu on cluster %zu", r, k);
        check_score (host, job (jobs[r], 1, 1, 0), c, s - 0.3 * 1.0, s - 0.3);
      }
}

/* ---- wrench ---- */

static void
test_wrench_hand (void)
{
  g_autoptr (MockHost) host = start ("wrench", 1, 1);

  /* Idle and matching, speed 1: it starts now, slowdown 1. */
  check_score (host, job (DMAS_JOB_HPC, 1, 4, 0), cluster (DMAS_CLUSTER_HPC, 4, 16, 0),
               0.6 * (1.0 - 0.0 / 64.0) + 0.1 * 1.0 + 0.3 * (exp (-0.1 * 1.0) - 0.0),
               0.6 + 0.1 + 0.3 * 0.9048374180359595);

  /* ai on hpc (compat 0), half the cores used, 3 waiting: slowdown 1 + 4·2/4 = 3,
   * penalty 0.1. */
  check_score (host, job (DMAS_JOB_AI, 2, 4, 0), loaded (cluster (DMAS_CLUSTER_HPC, 4, 16, 0), 2,
                                                         3),
               0.6 * (1.0 - 32.0 / 64.0) + 0.1 * 0.0 + 0.3 * (exp (-0.1 * 3.0) - 0.1),
               0.3 + 0.3 * (0.7408182206817179 - 0.1));

  /* General cluster (compat 0.5), empty queue but too few free nodes, speed 2:
   * slowdown (1 + 1·3/4) / 2 = 0.875. */
  DmasClusterView g = loaded (cluster (DMAS_CLUSTER_GENERAL, 4, 8, 0), 2, 0);
  g.speed = 2.0;
  check_score (host, job (DMAS_JOB_HPC, 3, 8, 0), g,
               0.6 * (1.0 - 16.0 / 32.0) + 0.1 * 0.5 + 0.3 * (exp (-0.1 * 0.875) - 0.1),
               0.3 + 0.05 + 0.3 * (0.9162188716508776 - 0.1));

  /* Free nodes but a queue: FCFS would not start it now. */
  DmasClusterView q = cluster (DMAS_CLUSTER_HPC, 4, 16, 0);
  q.queued_jobs = 1;
  check_score (host, job (DMAS_JOB_HPC, 1, 4, 0), q,
               0.6 * 1.0 + 0.1 + 0.3 * (exp (-0.1 * 1.5) - 0.1),
               0.7 + 0.3 * (0.8607079764250578 - 0.1));

  /* Full, mismatching, a long queue: the formula goes below 0, a feasible job still bids > 0. */
  double s = score (host, job (DMAS_JOB_AI, 1, 4, 0),
                    loaded (cluster (DMAS_CLUSTER_HPC, 1, 16, 0), 1, 1000));
  g_assert_cmpfloat (s, >, 0.0);
  g_assert_cmpfloat (s, <, 1e-6);

  /* used_cores beyond the total (a view from a newer host) counts as full, not negative. */
  DmasClusterView over = cluster (DMAS_CLUSTER_HPC, 2, 4, 0);
  over.used_cores = 100;
  check_score (host, job (DMAS_JOB_HPC, 1, 4, 0), over,
               0.6 * (1.0 - 8.0 / 8.0) + 0.1 + 0.3 * (exp (-0.1) - 0.0),
               0.1 + 0.3 * 0.9048374180359595);
}

/* Fewer waiting jobs, a faster cluster and a matching type each raise the score. */
static void
test_wrench_monotone (void)
{
  g_autoptr (MockHost) host = start ("wrench", 1, 1);
  DmasJob j = job (DMAS_JOB_HPC, 1, 4, 0);
  DmasClusterView c = loaded (cluster (DMAS_CLUSTER_HPC, 4, 16, 0), 4, 0);

  double prev = 2;
  for (uint32_t queued = 0; queued < 20; queued++)
    {
      c.queued_jobs = queued;
      double s = score (host, j, c);
      g_assert_cmpfloat (s, <, prev);
      prev = s;
    }
  DmasClusterView fast = c;
  fast.speed = 2;
  g_assert_cmpfloat (score (host, j, fast), >, score (host, j, c));
  DmasClusterView general = c;
  general.type = DMAS_CLUSTER_GENERAL;
  g_assert_cmpfloat (score (host, j, c), >, score (host, j, general));
}

/* ---- least-loaded ---- */

static void
test_least_loaded_hand (void)
{
  g_autoptr (MockHost) host = start ("least-loaded", 1, 1);
  DmasJob j = job (DMAS_JOB_HPC, 1, 4, 0);

  check_score (host, j, cluster (DMAS_CLUSTER_HPC, 4, 16, 0), 1.0, 1.0);
  /* 3 busy + 2 waiting over 4 nodes: load 1.25 */
  check_score (host, j, loaded (cluster (DMAS_CLUSTER_HPC, 4, 16, 0), 3, 2),
               1.0 / (1.0 + 5.0 / 4.0), 1 / 2.25);
  /* 5 waiting over 10 idle nodes: load 0.5 */
  check_score (host, j, loaded (cluster (DMAS_CLUSTER_AI, 10, 16, 0), 0, 5),
               1.0 / (1.0 + 5.0 / 10.0), 2.0 / 3.0);
  /* A node running a 1-core job is busy: cores do not count. */
  DmasClusterView one = cluster (DMAS_CLUSTER_HPC, 2, 64, 0);
  one.free_nodes = 1;
  one.used_cores = 1;
  one.running_jobs = 1;
  check_score (host, j, one, 1.0 / (1.0 + 1.0 / 2.0), 2.0 / 3.0);
  /* Overloaded clusters still rank by how much: 40 waiting beats 80. */
  DmasClusterView c = cluster (DMAS_CLUSTER_HPC, 4, 16, 0);
  g_assert_cmpfloat (score (host, j, loaded (c, 4, 40)), >, score (host, j, loaded (c, 4, 80)));
  /* Same work on a bigger cluster is less load. */
  g_assert_cmpfloat (score (host, j, loaded (cluster (DMAS_CLUSTER_HPC, 8, 16, 0), 2, 2)), >,
                     score (host, j, loaded (cluster (DMAS_CLUSTER_HPC, 4, 16, 0), 2, 2)));
}

/* ---- random ---- */

static GArray *
random_scores (guint64 seed, DmasAgentId agent, guint n, gboolean with_infeasible)
{
  g_autoptr (MockHost) host = start ("random", 2, seed);
  GArray *scores = g_array_new (FALSE, FALSE, sizeof (double));
  DmasClusterView c = cluster (DMAS_CLUSTER_HPC, 4, 16, 0);
  for (guint i = 0; i < n; i++)
    {
      if (with_infeasible)
        g_assert_cmpfloat (score_on (host, agent, job (DMAS_JOB_HPC, 9, 4, 0), c), ==, 0.0);
      double s = score_on (host, agent, job (DMAS_JOB_HPC, 1, 4, 0), c);
      g_array_append_val (scores, s);
    }
  return scores;
}

static void
test_random (void)
{
  guint64 seed = g_test_rand_int ();
  const guint n = 2000;
  g_autoptr (GArray) a = random_scores (seed, 0, n, FALSE);
  g_autoptr (GArray) same = random_scores (seed, 0, n, FALSE);
  g_autoptr (GArray) skipping = random_scores (seed, 0, n, TRUE);
  g_autoptr (GArray) other_seed = random_scores (seed + 1, 0, n, FALSE);
  g_autoptr (GArray) other_agent = random_scores (seed, 1, n, FALSE);

  double sum = 0, lo = 2, hi = -1;
  guint differ_seed = 0, differ_agent = 0;
  for (guint i = 0; i < n; i++)
    {
      double s = g_array_index (a, double, i);
      g_assert_cmpfloat (s, >, 0.0);
      g_assert_cmpfloat (s, <=, 1.0);
      sum += s;
      lo = MIN (lo, s);
      hi = MAX (hi, s);
      /* Deterministic per seed; an infeasible job draws nothing. */
      g_assert_cmpfloat (g_array_index (same, double, i), ==, s);
      g_assert_cmpfloat (g_array_index (skipping, double, i), ==, s);
      differ_seed += g_array_index (other_seed, double, i) != s;
      differ_agent += g_array_index (other_agent, double, i) != s;
    }
  g_assert_cmpuint (differ_seed, >, n - 10);
  g_assert_cmpuint (differ_agent, >, n - 10);
  /* Uniform: the mean's standard error is 0.0065; 0.05 is a ~8 sigma margin. */
  g_assert_cmpfloat (fabs (sum / n - 0.5), <, 0.05);
  g_assert_cmpfloat (lo, <, 0.01);
  g_assert_cmpfloat (hi, >, 0.99);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (bidders); i++)
    {
      g_autofree gchar *infeasible = g_strdup_printf ("/bidders/%s/infeasible", bidders[i]);
      g_autofree gchar *pairs = g_strdup_printf ("/bidders/%s/random-pairs", bidders[i]);
      g_autofree gchar *invalid = g_strdup_printf ("/bidders/%s/invalid-input", bidders[i]);
      g_test_add_data_func (infeasible, bidders[i], test_infeasible);
      g_test_add_data_func (pairs, bidders[i], test_random_pairs);
      g_test_add_data_func (invalid, bidders[i], test_invalid_input);
    }
  g_test_add_func ("/bidders/supercomputer/hand-computed", test_supercomputer_hand);
  g_test_add_func ("/bidders/supercomputer/type-table", test_supercomputer_type_table);
  g_test_add_func ("/bidders/wrench/hand-computed", test_wrench_hand);
  g_test_add_func ("/bidders/wrench/monotone", test_wrench_monotone);
  g_test_add_func ("/bidders/least-loaded/hand-computed", test_least_loaded_hand);
  g_test_add_func ("/bidders/random/deterministic-per-seed", test_random);
  return g_test_run ();
}
