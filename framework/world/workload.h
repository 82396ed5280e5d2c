/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic workloads: the predecessor's four arrival patterns and uniform job sizes. */
#ifndef DMAS_WORLD_WORKLOAD_H
#define DMAS_WORLD_WORKLOAD_H

#include <glib.h>

#include <dmas/job.h>
#include "config/config.h"

G_BEGIN_DECLS

/* The jobs of a run, sorted by (submit, generation order); job i has id i + 1. */
typedef struct {
  DmasJob *jobs;
  guint n_jobs;
} DmasWorkload;

/* Generates config->workload.jobs jobs over the span T (workload.span, or the horizon when
 * the span is 0) with the arrival pattern workload.generator (N = number of jobs, i = 0..N-1
 * in generation order):
 *   constant  t_i = i·T/N, exact in integer nanoseconds;
 *   burst     t_i = {T/4, T/2, 3T/4}[i mod 3] + U(0, 5 s);
 *   poisson   exponential gaps of mean T/N (rate N/T) from 0; exactly N jobs are generated,
 *             so the last ones may arrive after T (the run only submits jobs up to the
 *             horizon, and counts only those as submitted);
 *   uniform   t_i = U(0, T).
 * Sizes: nodes 1; cores U{cores_min..cores_max}; memory U[memory_gb_min, memory_gb_max];
 * GPUs U{1..gpus_max} with probability gpu_fraction, else 0; runtime U[runtime_min,
 * runtime_max] in whole milliseconds; walltime = runtime × walltime_factor; type ai when
 * the job wants GPUs, else hpc.  The home agent is assigned round-robin in submit order:
 * home(id) = (id - 1) mod n_agents.
 * Every job consumes exactly six draws of `rng` (arrival, cores, memory, GPU coin, GPU count,
 * runtime) whatever the pattern and fractions, so the sizes of job i do not change when only
 * the arrival pattern or gpu_fraction does: runs that differ in those stay paired.
 * Returns: (transfer full) the workload, or NULL with error set (unknown generator, min > max). */
DmasWorkload *dmas_workload_generate (const DmasConfig *config, guint n_agents, GRand *rng,
                                      GError **error);
void dmas_workload_free (DmasWorkload *workload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasWorkload, dmas_workload_free)

/* The burst pattern's random offset is drawn in [0, DMAS_WORKLOAD_BURST_JITTER). */
#define DMAS_WORKLOAD_BURST_JITTER (5 * DMAS_S)

G_END_DECLS

#endif /* DMAS_WORLD_WORKLOAD_H */
