/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the shipped bidders share: input checks, feasibility, type fit, best fit, score floor. */
#ifndef DMAS_PLUGINS_BIDDING_COMMON_H
#define DMAS_PLUGINS_BIDDING_COMMON_H

#include <math.h>

#include <dmas/dmas.h>

/* Score 0 means "can never run this job" (DmasBid contract), so a feasible job whose formula
 * comes out at 0 or below gets this instead: far below any score a formula gives a real
 * request, so it never changes a ranking among them (the same floor as bidding/heuristic). */
#define BID_EPSILON 1e-9

/* Garbage in would otherwise come out as a plausible score (NaN compares false everywhere, so
 * it would pass feasibility), and a cluster without nodes or cores would divide by zero.
 * Returns: DMAS_OK, or DMAS_EINVAL with err filled. */
static inline int
bid_check_input (const char *who, const DmasJob *job, const DmasClusterView *cluster,
                 DmasError *err)
{
  if (job->nodes == 0 || !(job->memory_gb >= 0.0) || !isfinite (job->memory_gb))
    return dmas_error_set (err, DMAS_EINVAL,
                           "%s: job %llu has an invalid request (nodes %u, memory %g GB)", who,
                           (unsigned long long) job->id, job->nodes, job->memory_gb);
  if (cluster->nodes == 0 || cluster->cores_per_node == 0
      || !(cluster->memory_gb_per_node >= 0.0) || !(cluster->speed > 0.0)
      || !isfinite (cluster->speed))
    return dmas_error_set (err, DMAS_EINVAL,
                           "%s: cluster of agent %u is invalid (nodes %u, cores %u, memory %g GB, "
                           "speed %g)", who, cluster->agent, cluster->nodes,
                           cluster->cores_per_node, cluster->memory_gb_per_node, cluster->speed);
  return DMAS_OK;
}

/* Against TOTAL capacity, not what is free now: the question is whether the cluster can ever
 * run the job; a busy cluster queues it. */
static inline int
bid_feasible (const DmasJob *job, const DmasClusterView *cluster)
{
  return job->nodes <= cluster->nodes && job->cores <= cluster->cores_per_node
         && job->memory_gb <= cluster->memory_gb_per_node
         && job->gpus <= cluster->gpus_per_node;
}

/* Nodes with a job on them now (free_nodes is trusted only up to the node count). */
static inline uint32_t
bid_busy_nodes (const DmasClusterView *cluster)
{
  return cluster->free_nodes < cluster->nodes ? cluster->nodes - cluster->free_nodes : 0;
}

/* How a job's type fits a cluster's type.
 *   match:    ai job on an ai or gpu cluster; hpc on hpc; memory on memory; storage on storage;
 *             hybrid on hybrid
 *   neutral:  the job or the cluster is general (no specialisation either way), or a type this
 *             plugin does not know (a newer host)
 *   mismatch: every other pair */
typedef enum {
  BID_TYPE_MATCH,
  BID_TYPE_NEUTRAL,
  BID_TYPE_MISMATCH
} BidTypeFit;

static inline BidTypeFit
bid_type_fit (DmasJobType job, DmasClusterType cluster)
{
  int match;

  if (job == DMAS_JOB_GENERAL || cluster == DMAS_CLUSTER_GENERAL)
    return BID_TYPE_NEUTRAL;
  switch (job)
    {
    case DMAS_JOB_HPC: match = cluster == DMAS_CLUSTER_HPC; break;
    case DMAS_JOB_AI: match = cluster == DMAS_CLUSTER_AI || cluster == DMAS_CLUSTER_GPU; break;
    case DMAS_JOB_HYBRID: match = cluster == DMAS_CLUSTER_HYBRID; break;
    case DMAS_JOB_MEMORY: match = cluster == DMAS_CLUSTER_MEMORY; break;
    case DMAS_JOB_STORAGE: match = cluster == DMAS_CLUSTER_STORAGE; break;
    default: return BID_TYPE_NEUTRAL;
    }
  return match ? BID_TYPE_MATCH : BID_TYPE_MISMATCH;
}

/* The seed's best-fit score (DESIGN §13, its calculate_bid) of a job the cluster can fit,
 * before any floor or load term:
 *
 *   (0.4·cpu + 0.3·mem) + 0.3·gpu
 *
 *   cpu = min(1, job.cores / cores_per_node)
 *   mem = min(1, job.memory_gb / memory_gb_per_node)
 *   gpu = min(1, job.gpus / gpus_per_node)  if the cluster has GPUs
 *         1                                 if it has none and the job needs none
 *         0                                 otherwise (unreachable: such a job is infeasible)
 *
 * bidding/heuristic explains the ratios (per-node request over per-node capacity: best fit)
 * and the GPU term (a GPU cluster is penalised for a CPU job).  A resource the cluster does
 * not have at all counts as a perfect match (term 1), which also avoids 0/0.  One formula for
 * every bidder that needs it (heuristic, and llm's fallback), evaluated in the order written
 * with -ffp-contract=off, so it gives the same double everywhere. */
static inline double
bid_fill_ratio (double request, double capacity)
{
  if (capacity <= 0.0)
    return 1.0;
  double r = request / capacity;
  return r < 1.0 ? r : 1.0;
}

static inline double
bid_best_fit (const DmasJob *job, const DmasClusterView *cluster)
{
  double cpu = bid_fill_ratio ((double) job->cores, (double) cluster->cores_per_node);
  double mem = bid_fill_ratio (job->memory_gb, cluster->memory_gb_per_node);
  double gpu;
  if (cluster->gpus_per_node > 0)
    gpu = bid_fill_ratio ((double) job->gpus, (double) cluster->gpus_per_node);
  else
    gpu = job->gpus == 0 ? 1.0 : 0.0;
  return 0.4 * cpu + 0.3 * mem + 0.3 * gpu;
}

/* Clamps to [0, 1], then lifts a feasible job's 0 to BID_EPSILON. */
static inline double
bid_final_score (double score)
{
  if (score > 1.0)
    score = 1.0;
  return score > 0.0 ? score : BID_EPSILON;
}

#endif /* DMAS_PLUGINS_BIDDING_COMMON_H */
