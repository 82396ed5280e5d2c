/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic workloads: arrival patterns, job sizes, ids and home agents. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "world/workload.h"

typedef enum {
  PATTERN_CONSTANT,
  PATTERN_BURST,
  PATTERN_POISSON,
  PATTERN_UNIFORM
} Pattern;

typedef struct {
  DmasJob job;
  guint index; /* generation order, the tie-break of the sort */
} Draft;

static gboolean
pattern_from_string (const gchar *text, Pattern *out)
{
  static const gchar *const names[] = { "constant", "burst", "poisson", "uniform" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out = (Pattern) i;
        return TRUE;
      }
  return FALSE;
}

/* lo + floor(u·(hi − lo + 1)), from one uniform draw u in [0, 1). */
static guint64
uniform_int (gdouble u, guint64 lo, guint64 hi)
{
  guint64 v = lo + (guint64) (u * (gdouble) (hi - lo + 1));
  /* u·k can round up to k for k near 2^53; never step past hi. */
  return MIN (v, hi);
}

/* i·T/N without overflowing 64 bits: (T div N)·i + (T mod N)·i / N, exact. */
static DmasTime
constant_time (guint64 i, DmasTime span, guint64 n)
{
  return (span / n) * i + ((span % n) * i) / n;
}

static int
draft_compare (gconstpointer a, gconstpointer b)
{
  const Draft *x = a, *y = b;
  if (x->job.submit != y->job.submit)
    return x->job.submit < y->job.submit ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index);
}

static gboolean
check_ranges (const DmasConfig *config, GError **error)
{
  const gchar *bad = NULL;
  if (config->workload.cores_min > config->workload.cores_max)
    bad = "cores_min > cores_max";
  else if (config->workload.cores_min == 0)
    bad = "cores_min must be at least 1";
  else if (!(config->workload.memory_gb_min <= config->workload.memory_gb_max))
    bad = "memory_gb_min > memory_gb_max";
  else if (config->workload.runtime_min > config->workload.runtime_max)
    bad = "runtime_min > runtime_max";
  else if (!(config->workload.gpu_fraction >= 0.0 && config->workload.gpu_fraction <= 1.0))
    bad = "gpu_fraction must be within [0, 1]";
  else if (config->workload.gpu_fraction > 0.0 && config->workload.gpus_max == 0)
    bad = "gpu_fraction > 0 needs gpus_max >= 1";
  if (bad == NULL)
    return TRUE;
  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE, "%s: workload: %s",
               config->source, bad);
  return FALSE;
}

DmasWorkload *
dmas_workload_generate (const DmasConfig *config, guint n_agents, GRand *rng, GError **error)
{
  Pattern pattern;
  if (!pattern_from_string (config->workload.generator, &pattern))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNSUPPORTED,
                   "%s: workload generator '%s' is not supported yet (available: constant, "
                   "burst, poisson, uniform)",
                   config->source, config->workload.generator);
      return NULL;
    }
  if (!check_ranges (config, error))
    return NULL;
  g_return_val_if_fail (n_agents > 0, NULL);

  const guint n = config->workload.jobs;
  const DmasTime span = config->workload.span > 0 ? config->workload.span : config->horizon;
  /* Runtimes are whole milliseconds: the smallest and largest whole ms inside the range. */
  const guint64 rt_lo = (config->workload.runtime_min + DMAS_MS - 1) / DMAS_MS;
  const guint64 rt_hi = config->workload.runtime_max / DMAS_MS;
  const gdouble mean_gap = n > 0 ? (gdouble) span / (gdouble) n : 0.0;

  g_autofree Draft *drafts = g_new0 (Draft, MAX (n, 1));
  DmasTime poisson_t = 0;
  for (guint i = 0; i < n; i++)
    {
      /* The six draws, always all of them and always in this order (see the header). */
      const gdouble u_arrival = g_rand_double (rng);
      const gdouble u_cores = g_rand_double (rng);
      const gdouble u_memory = g_rand_double (rng);
      const gdouble u_gpu_coin = g_rand_double (rng);
      const gdouble u_gpus = g_rand_double (rng);
      const gdouble u_runtime = g_rand_double (rng);

      DmasJob *job = &drafts[i].job;
      drafts[i].index = i;
      switch (pattern)
        {
        case PATTERN_CONSTANT:
          job->submit = constant_time (i, span, n);
          break;
        case PATTERN_BURST:
          {
            const DmasTime base[3] = { span / 4, span / 2, span / 4 * 3 + (span % 4) * 3 / 4 };
            job->submit = base[i % 3] + (DmasTime) (u_arrival * (gdouble) DMAS_WORKLOAD_BURST_JITTER);
          }
          break;
        case PATTERN_POISSON:
          /* Inverse transform; 1 - u is in (0, 1], so the log is finite. */
          poisson_t += (DmasTime) (-log (1.0 - u_arrival) * mean_gap + 0.5);
          job->submit = poisson_t;
          break;
        case PATTERN_UNIFORM:
          job->submit = (DmasTime) (u_arrival * (gdouble) span);
          break;
        }

      job->nodes = 1;
      job->cores = (guint32) uniform_int (u_cores, config->workload.cores_min,
                                          config->workload.cores_max);
      job->memory_gb = config->workload.memory_gb_min
                       + u_memory * (config->workload.memory_gb_max
                                     - config->workload.memory_gb_min);
      job->gpus = 0;
      if (u_gpu_coin < config->workload.gpu_fraction)
        job->gpus = (guint32) uniform_int (u_gpus, 1, config->workload.gpus_max);
      if (rt_lo <= rt_hi)
        job->runtime = uniform_int (u_runtime, rt_lo, rt_hi) * DMAS_MS;
      else /* no whole millisecond inside [runtime_min, runtime_max]: keep the bound */
        job->runtime = config->workload.runtime_min;
      job->walltime = (DmasTime) ((gdouble) job->runtime * config->workload.walltime_factor + 0.5);
      job->priority = 0;
      job->type = job->gpus > 0 ? DMAS_JOB_AI : DMAS_JOB_HPC;
    }

  qsort (drafts, n, sizeof (Draft), draft_compare);

  DmasWorkload *workload = g_new0 (DmasWorkload, 1);
  workload->n_jobs = n;
  workload->jobs = g_new0 (DmasJob, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      workload->jobs[i] = drafts[i].job;
      workload->jobs[i].id = (DmasJobId) i + 1;
      workload->jobs[i].home = (DmasAgentId) (i % n_agents);
    }
  return workload;
}

void
dmas_workload_free (DmasWorkload *workload)
{
  if (workload == NULL)
    return;
  g_free (workload->jobs);
  g_free (workload);
}
