/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Trace workloads in whole runs: a job wider than the platform is rejected with its reason,
 * memory-less SWF jobs pass the bidder's feasibility check, and the trace horizon. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "agents/sim.h"
#include "plugin/registry.h"

static DmasRegistry *
registry (void)
{
  const gchar *build = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *bidding = NULL;
  g_autofree gchar *consensus = NULL;
  DmasRegistry *r;

  g_assert_nonnull (build);
  bidding = g_build_filename (build, "plugins", "bidding", ".libs", NULL);
  consensus = g_build_filename (build, "plugins", "consensus", ".libs", NULL);
  {
    const gchar *dirs[] = { bidding, consensus, NULL };

    r = dmas_registry_new ();
    dmas_registry_scan (r, dirs, NULL);
  }
  g_assert_nonnull (dmas_registry_find (r, DMAS_KIND_BIDDING, "heuristic"));
  return r;
}

/* tests/data/swf/no-header.swf: job 1 asks 2 processors at 0 s for 10 s; job 2 asks 200 at
 * 5 s.  The trace has no MaxProcs, so the platform gives the size. */
static DmasConfig *
load (const gchar *extra)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");
  g_autofree gchar *data = g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR, "tests",
                                             "data", "swf", NULL);
  g_autofree gchar *text = g_strdup_printf (
      "platform: {from_trace: true, nodes: 100}\n"
      "workload: {generator: swf, path: no-header.swf}\n"
      "network: {latency: 1ms}\n"
      "scheduling: {mode: distributed, bidding: heuristic, consensus: auction, "
      "local_policy: fcfs}\n%s", extra);
  g_autoptr (GError) error = NULL;
  DmasConfig *config = dmas_config_load_string (text, "t.yaml", data, NULL, &error);

  g_assert_no_error (error);
  return config;
}

static void
test_reject_wide_job (void)
{
  g_autoptr (DmasConfig) config = load ("");
  g_autoptr (DmasRegistry) r = registry ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasSim) sim = dmas_sim_new (config, r, &error);

  g_assert_no_error (error);
  /* No horizon: every job of the trace is submitted. */
  g_assert_cmpuint (config->horizon, ==, DMAS_TIME_NONE);
  g_assert_cmpint (dmas_sim_run (sim, 0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpuint (m->n_jobs, ==, 2);
  /* Memory 0 on a node of memory 0: feasible, and it runs. */
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpint (m->jobs[1].state, ==, DMAS_JOB_REJECTED);
  g_assert_cmpstr (m->jobs[1].reason, ==, "no cluster fits 200 node(s) of 1 cores, 0 GB, 0 GPUs");
}

/* A horizon set below the last arrival cuts the trace there. */
static void
test_horizon (void)
{
  g_autoptr (DmasConfig) config = load ("horizon: 2s\n");
  g_autoptr (DmasRegistry) r = registry ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasSim) sim = dmas_sim_new (config, r, &error);

  g_assert_no_error (error);
  g_assert_cmpint (dmas_sim_run (sim, 0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_assert_cmpint (m->jobs[0].state, ==, DMAS_JOB_COMPLETED);
  g_assert_cmpint (m->jobs[1].state, ==, DMAS_JOB_UNSUBMITTED);
}

/* The shipped trace configs load (the trace itself is only read by a run), resolve their
 * path beside the checkout, leave the horizon out, and read back to the same config. */
static void
test_trace_configs (void)
{
  static const struct { const gchar *file, *trace, *policy; } configs[] = {
    { "kth-easy.yaml", "KTH-SP2-1996-2.swf", "easy" },
    { "kth-fcfs.yaml", "KTH-SP2-1996-2.swf", "fcfs" },
    { "nasa-easy.yaml", "NASA-iPSC-1993-3.1-cln.swf.gz", "easy" },
  };
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");

  for (gsize i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree gchar *path = g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR,
                                                 "configs", "traces", configs[i].file, NULL);
      g_autofree gchar *shared = g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR,
                                                   "..", "shared", "traces", configs[i].trace,
                                                   NULL);
      g_autofree gchar *expected = g_canonicalize_filename (shared, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (DmasConfig) config = dmas_config_load (path, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (config->platform.from_trace);
      g_assert_null (config->platform.preset);
      g_assert_cmpstr (config->workload.generator, ==, "swf");
      g_assert_cmpstr (config->workload.path, ==, expected);
      g_assert_false (config->workload.malformed_fail);
      g_assert_cmpuint (config->workload.jobs, ==, DMAS_WORKLOAD_ALL_JOBS);
      g_assert_cmpuint (config->horizon, ==, DMAS_TIME_NONE);
      g_assert_cmpuint (config->network.latency, ==, 0);
      g_assert_cmpstr (config->scheduling.mode, ==, "centralized");
      g_assert_cmpstr (config->scheduling.local_policy, ==, configs[i].policy);

      g_autofree gchar *yaml = dmas_config_to_yaml (config);
      g_autoptr (DmasConfig) again = dmas_config_load_string (yaml, "again.yaml", "/", NULL,
                                                              &error);
      g_assert_no_error (error);
      g_autofree gchar *yaml_again = dmas_config_to_yaml (again);
      g_assert_cmpstr (yaml_again, ==, yaml);
      g_assert_null (strstr (yaml, "horizon"));
      g_assert_null (strstr (yaml, "runtime"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/workload/run/reject-wide-job", test_reject_wide_job);
  g_test_add_func ("/world/workload/run/trace-horizon", test_horizon);
  g_test_add_func ("/world/workload/run/trace-configs", test_trace_configs);
  return g_test_run ();
}
