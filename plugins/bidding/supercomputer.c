/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bidding/supercomputer: the predecessor's richer score for multi-node clusters (DESIGN §13). */
#include <stdlib.h>

#include <dmas/dmas.h>

#include "common.h"

/* The score, exactly as implemented (DESIGN §13, the seed's bid for supercomputer clusters):
 *
 *   infeasible (common.h: nodes, cores, memory or GPUs per node over capacity) ⇒ 0
 *
 *   s = 0.5
 *   s = s + 0.4  if f < 0.2,   s + 0.3  if 0.2 ≤ f < 0.3,   s + 0.2  otherwise
 *       where f = job.nodes / cluster.nodes   (the share of the machine the job takes)
 *   s = s + 0.1  if free_nodes ≥ 2·job.nodes  (room to spare right now)
 *   s = s + 0.2  if the types match (common.h: ai↔ai/gpu, hpc↔hpc, memory↔memory,
 *                storage↔storage, hybrid↔hybrid)
 *   s = s · m    if they mismatch, m the first that applies:
 *                  ai job on an hpc cluster                   0.75
 *                  hpc job on an ai or gpu cluster            0.85
 *                  job or cluster hybrid                      0.92
 *                  job or cluster memory or storage           0.87
 *                (every mismatching pair of the current types is covered by one of these);
 *                general on either side: neither bonus nor penalty
 *   s = s − 0.3·occupancy, occupancy = busy nodes / nodes = (nodes − free_nodes) / nodes
 *   score = min(1, s), then BID_EPSILON if not > 0
 *
 * Occupancy counts nodes, not cores: local queues give jobs whole nodes, so a node running a
 * 1-core job is taken; it also matches the node-based "twice the nodes free" rule.  The
 * formula's minimum is (0.5 + 0.2)·0.75 − 0.3 = 0.225, so the epsilon floor is only a guard.
 * Steps are evaluated in the order written, with -ffp-contract=off. */

static void *
supercomputer_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  /* No state; a non-NULL instance is what says create() succeeded. */
  void *self = calloc (1, 1);
  if (self == NULL)
    dmas_error_set (err, DMAS_ENOMEM, "supercomputer: out of memory");
  return self;
}

static void
supercomputer_destroy (void *self)
{
  free (self);
}

static double
mismatch_factor (DmasJobType job, DmasClusterType cluster)
{
  if (job == DMAS_JOB_AI && cluster == DMAS_CLUSTER_HPC)
    return 0.75;
  if (job == DMAS_JOB_HPC && (cluster == DMAS_CLUSTER_AI || cluster == DMAS_CLUSTER_GPU))
    return 0.85;
  if (job == DMAS_JOB_HYBRID || cluster == DMAS_CLUSTER_HYBRID)
    return 0.92;
  if (job == DMAS_JOB_MEMORY || job == DMAS_JOB_STORAGE || cluster == DMAS_CLUSTER_MEMORY
      || cluster == DMAS_CLUSTER_STORAGE)
    return 0.87;
  return 1.0;
}

static int
supercomputer_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
                   DmasBid *out, DmasError *err)
{
  (void) self;
  (void) ctx;
  int rc = bid_check_input ("supercomputer", job, cluster, err);
  if (rc != DMAS_OK)
    return rc;
  if (!bid_feasible (job, cluster))
    {
      out->score = 0.0;
      return DMAS_OK;
    }

  double f = (double) job->nodes / (double) cluster->nodes;
  double s = 0.5;
  if (f < 0.2)
    s += 0.4;
  else if (f < 0.3)
    s += 0.3;
  else
    s += 0.2;
  if ((uint64_t) cluster->free_nodes >= 2 * (uint64_t) job->nodes)
    s += 0.1;
  switch (bid_type_fit (job->type, cluster->type))
    {
    case BID_TYPE_MATCH: s += 0.2; break;
    case BID_TYPE_MISMATCH: s *= mismatch_factor (job->type, cluster->type); break;
    case BID_TYPE_NEUTRAL: break;
    }
  double occupancy = (double) bid_busy_nodes (cluster) / (double) cluster->nodes;
  s -= 0.3 * occupancy;

  out->score = bid_final_score (s);
  return DMAS_OK;
}

static const DmasBiddingOps supercomputer_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = supercomputer_create,
  .destroy = supercomputer_destroy,
  .bid = supercomputer_bid,
  .job_finished = NULL,
};

static const DmasComponent supercomputer_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "supercomputer",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &supercomputer_ops,
    .summary = "the seed's supercomputer score: job share, spare nodes, type match, occupancy",
    .params = NULL,
  },
};

static const DmasPluginDesc supercomputer_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "supercomputer",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = supercomputer_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &supercomputer_desc;
}
