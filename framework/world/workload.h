/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The jobs of a run: synthetic (arrival patterns, sizes from distributions) or from a trace. */
#ifndef DMAS_WORLD_WORKLOAD_H
#define DMAS_WORLD_WORKLOAD_H

#include <glib.h>

#include <dmas/job.h>
#include "config/config.h"

G_BEGIN_DECLS

/* What reading the workload did.  For synthetic workloads only `jobs` is non-zero. */
typedef struct {
  guint64 records;            /* trace records read: SWF job lines (well formed), Batsim jobs */
  guint64 malformed;          /* SWF lines skipped as malformed (on_malformed: skip) */
  guint64 dropped_runtime;    /* runtime <= 0 or unknown */
  guint64 dropped_processors; /* processors <= 0 or unknown (SWF fields 8 and 5) */
  guint64 dropped_submit;     /* submit time unknown (SWF field 2 < 0) */
  guint64 runtime_capped;     /* kept jobs whose runtime was cut to their estimate (SWF) */
  guint64 beyond_limit;       /* kept by the rules but after the first workload.jobs */
  guint64 jobs;               /* jobs in the workload */
} DmasWorkloadStats;

/* The jobs of a run, sorted by (submit, generation order) — for traces (submit, trace id) for
 * SWF and (submit, position in the file) for Batsim; job i has id i + 1. */
typedef struct {
  DmasJob *jobs;
  guint n_jobs;
  gchar **source_ids;   /* (nullable) traces: the trace's id of job i (SWF field 1, Batsim id) */
  gint32 *users;        /* (nullable) SWF: field 12 of job i, -1 when unknown */
  DmasWorkloadStats stats;
} DmasWorkload;

/* Builds the workload of `config`: a trace (generator swf or batsim, see swf.h and batsim.h;
 * `rng` is not used), or config->workload.jobs synthetic jobs over the span T
 * (workload.span, or the horizon when the span is 0) with the arrival pattern
 * workload.generator (N = number of jobs, i = 0..N-1 in generation order):
 *   constant  t_i = i·T/N, exact in integer nanoseconds;
 *   burst     t_i = {T/4, T/2, 3T/4}[i mod 3] + U(0, 5 s);
 *   poisson   exponential gaps of mean T/N (rate N/T) from 0; exactly N jobs are generated,
 *             so the last ones may arrive after T (the run only submits jobs up to the
 *             horizon, and counts only those as submitted);
 *   uniform   t_i = U(0, T).
 * Sizes come from the distributions workload.nodes, cores, memory_gb (per node) and runtime
 * (see dist.h), GPUs per node from workload.gpus for a share gpus.fraction of the jobs (else
 * 0); walltime = runtime × walltime_factor (nearest ns); type ai when the job wants GPUs and
 * hpc otherwise (types: by-gpus), or drawn from the workload.types weights.
 * Every synthetic job consumes exactly 13 uniforms of `rng`, in this order, whatever the
 * pattern and distributions: arrival (1), nodes (2), cores (2), memory (2), GPU coin (1), GPUs
 * (2), runtime (2), type (1).  So the sizes of job i do not change when only the arrival
 * pattern, gpus.fraction or one other attribute's distribution does: such runs stay paired.
 * For traces, workload.jobs (when not DMAS_WORKLOAD_ALL_JOBS) keeps the first N jobs in
 * submit order.  The home agent is assigned round-robin in submit order:
 * home(id) = (id - 1) mod n_agents.
 * Returns: (transfer full) the workload, or NULL with error set (DMAS_CONFIG_ERROR: unknown
 * generator, unreadable or malformed trace). */
DmasWorkload *dmas_workload_generate (const DmasConfig *config, guint n_agents, GRand *rng,
                                      GError **error);
void dmas_workload_free (DmasWorkload *workload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasWorkload, dmas_workload_free)

/* Returns: (transfer none) what reading the workload did, for the run's summary. */
const DmasWorkloadStats *dmas_workload_stats (const DmasWorkload *workload);

/* Returns: (transfer none) (nullable) the trace's id of job `id` (1-based), NULL for synthetic
 * jobs. */
const gchar *dmas_workload_source_id (const DmasWorkload *workload, DmasJobId id);

/* The burst pattern's random offset is drawn in [0, DMAS_WORKLOAD_BURST_JITTER). */
#define DMAS_WORKLOAD_BURST_JITTER (5 * DMAS_S)

/* Uniforms each synthetic job consumes from the "workload" stream. */
#define DMAS_WORKLOAD_DRAWS_PER_JOB 13

G_END_DECLS

#endif /* DMAS_WORLD_WORKLOAD_H */
