/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workload of a run: synthetic arrivals and sizes, or a trace; ids and home agents. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "world/batsim.h"
#include "world/dist.h"
#include "world/swf.h"
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

/* Malformed trace lines shown on stderr: enough to find the problem, not a flood. */
#define SHOWN_WARNINGS 10

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

static DmasJobType
draw_type (const DmasConfig *config, guint32 gpus, gdouble u)
{
  const gdouble *w = config->workload.type_weights;
  gdouble total = 0, acc = 0;
  DmasJobType last = DMAS_JOB_HPC;

  if (config->workload.types_by_gpus)
    return gpus > 0 ? DMAS_JOB_AI : DMAS_JOB_HPC;
  for (gint t = 0; t <= DMAS_JOB_GENERAL; t++)
    total += w[t];
  for (gint t = 0; t <= DMAS_JOB_GENERAL; t++)
    {
      if (!(w[t] > 0))
        continue;
      last = (DmasJobType) t;
      acc += w[t];
      if (u * total < acc)
        return last;
    }
  return last;
}

static DmasTime
arrival (Pattern pattern, guint i, guint n, DmasTime span, gdouble u, DmasTime *poisson_t)
{
  switch (pattern)
    {
    case PATTERN_CONSTANT:
      return constant_time (i, span, n);
    case PATTERN_BURST:
      {
        const DmasTime base[3] = { span / 4, span / 2, span / 4 * 3 + (span % 4) * 3 / 4 };
        return base[i % 3] + (DmasTime) (u * (gdouble) DMAS_WORKLOAD_BURST_JITTER);
      }
    case PATTERN_POISSON:
      /* Inverse transform; 1 - u is in (0, 1], so the log is finite. */
      *poisson_t += (DmasTime) (-log (1.0 - u) * ((gdouble) span / (gdouble) n) + 0.5);
      return *poisson_t;
    case PATTERN_UNIFORM:
      return (DmasTime) (u * (gdouble) span);
    }
  g_return_val_if_reached (0);
}

static DmasWorkload *
generate_synthetic (const DmasConfig *config, Pattern pattern, GRand *rng)
{
  const guint n = config->workload.jobs;
  const DmasTime span = config->workload.span > 0 ? config->workload.span : config->horizon;
  g_autofree Draft *drafts = g_new0 (Draft, MAX (n, 1));
  DmasTime poisson_t = 0;

  for (guint i = 0; i < n; i++)
    {
      /* The 13 draws, always all of them and always in this order (see the header). */
      gdouble u_nodes[DMAS_DIST_DRAWS], u_cores[DMAS_DIST_DRAWS], u_memory[DMAS_DIST_DRAWS];
      gdouble u_gpus[DMAS_DIST_DRAWS], u_runtime[DMAS_DIST_DRAWS];
      const gdouble u_arrival = g_rand_double (rng);
      dmas_dist_draw (rng, u_nodes);
      dmas_dist_draw (rng, u_cores);
      dmas_dist_draw (rng, u_memory);
      const gdouble u_gpu_coin = g_rand_double (rng);
      dmas_dist_draw (rng, u_gpus);
      dmas_dist_draw (rng, u_runtime);
      const gdouble u_type = g_rand_double (rng);

      DmasJob *job = &drafts[i].job;
      drafts[i].index = i;
      job->submit = arrival (pattern, i, n, span, u_arrival, &poisson_t);
      job->nodes = dmas_dist_count (&config->workload.nodes, 1, u_nodes[0], u_nodes[1]);
      job->cores = dmas_dist_count (&config->workload.cores, 1, u_cores[0], u_cores[1]);
      job->memory_gb = MAX (dmas_dist_value (&config->workload.memory_gb, u_memory[0],
                                             u_memory[1]), 0.0);
      job->gpus = 0;
      if (u_gpu_coin < config->workload.gpus.fraction)
        job->gpus = dmas_dist_count (&config->workload.gpus, 0, u_gpus[0], u_gpus[1]);
      job->runtime = dmas_dist_duration (&config->workload.runtime, u_runtime[0], u_runtime[1]);
      job->walltime = (DmasTime) ((gdouble) job->runtime * config->workload.walltime_factor + 0.5);
      job->priority = 0;
      job->type = draw_type (config, job->gpus, u_type);
    }

  qsort (drafts, n, sizeof (Draft), draft_compare);

  DmasWorkload *workload = g_new0 (DmasWorkload, 1);
  workload->n_jobs = n;
  workload->jobs = g_new0 (DmasJob, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      workload->jobs[i] = drafts[i].job;
      workload->jobs[i].id = (DmasJobId) i + 1;
    }
  workload->stats.jobs = n;
  return workload;
}

static DmasWorkload *
read_swf (const DmasConfig *config, GError **error)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  DmasWorkload *w = dmas_swf_read (config->workload.path, config->workload.malformed_fail,
                                   warnings, error);

  if (w == NULL)
    return NULL;
  /* Skipped lines are the user's business to know about: say where, and how many. */
  for (guint i = 0; i < warnings->len && i < SHOWN_WARNINGS; i++)
    g_message ("%s (skipped)", (const gchar *) g_ptr_array_index (warnings, i));
  if (w->stats.malformed > SHOWN_WARNINGS)
    g_message ("%s: %" G_GUINT64_FORMAT " malformed lines skipped in all",
               config->workload.path, w->stats.malformed);
  return w;
}

/* Keeps the first `limit` jobs (already in submit order). */
static void
truncate_jobs (DmasWorkload *w, guint limit)
{
  if (limit == DMAS_WORKLOAD_ALL_JOBS || limit >= w->n_jobs)
    return;
  w->stats.beyond_limit = w->n_jobs - limit;
  for (guint i = limit; w->source_ids != NULL && i < w->n_jobs; i++)
    g_clear_pointer (&w->source_ids[i], g_free);
  w->n_jobs = limit;
  w->stats.jobs = limit;
}

DmasWorkload *
dmas_workload_generate (const DmasConfig *config, guint n_agents, GRand *rng, GError **error)
{
  g_autoptr (DmasWorkload) w = NULL;
  Pattern pattern;

  g_return_val_if_fail (n_agents > 0, NULL);
  if (g_strcmp0 (config->workload.generator, "swf") == 0)
    w = read_swf (config, error);
  else if (g_strcmp0 (config->workload.generator, "batsim") == 0)
    w = dmas_batsim_read (config->workload.path, NULL, error);
  else if (pattern_from_string (config->workload.generator, &pattern))
    w = generate_synthetic (config, pattern, rng);
  else
    g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNSUPPORTED,
                 "%s: workload generator '%s' is not supported yet (available: constant, "
                 "burst, poisson, uniform, swf, batsim)",
                 config->source, config->workload.generator);
  if (w == NULL)
    return NULL;
  if (w->source_ids != NULL)
    truncate_jobs (w, config->workload.jobs);
  for (guint i = 0; i < w->n_jobs; i++)
    w->jobs[i].home = (DmasAgentId) (i % n_agents);
  return g_steal_pointer (&w);
}

void
dmas_workload_free (DmasWorkload *workload)
{
  if (workload == NULL)
    return;
  if (workload->source_ids != NULL)
    g_strfreev (workload->source_ids);
  g_free (workload->users);
  g_free (workload->jobs);
  g_free (workload);
}

const DmasWorkloadStats *
dmas_workload_stats (const DmasWorkload *workload)
{
  return &workload->stats;
}

const gchar *
dmas_workload_source_id (const DmasWorkload *workload, DmasJobId id)
{
  if (workload->source_ids == NULL || id < 1 || id > workload->n_jobs)
    return NULL;
  return workload->source_ids[id - 1];
}
