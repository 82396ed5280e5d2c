/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bidding/wrench: the follow-up's heuristic (DESIGN §13): free cores, type fit, expected slowdown. */
#include <math.h>
#include <stdlib.h>

#include <dmas/dmas.h>

#include "common.h"

/* The score, exactly as implemented (DESIGN §13, the follow-up work's heuristic):
 *
 *   infeasible (common.h) ⇒ 0
 *
 *   s = 0.6·(1 − used/total) + 0.1·compat + 0.3·(exp(−0.1·slowdown) − penalty)
 *   score = min(1, s), then BID_EPSILON if not > 0
 *
 *   used/total = min(used_cores, total) / total, total = nodes · cores_per_node
 *   compat     = 1 when the types match, 0.5 when the job or the cluster is general,
 *                0 on a mismatch (the table of common.h)
 *   now        = queued_jobs = 0 and free_nodes ≥ job.nodes  (FCFS would start it at once)
 *   slowdown   = 1 / speed                                          if now
 *              = (1 + (queued_jobs + 1) · job.nodes / nodes) / speed  otherwise
 *   penalty    = 0 if now, 0.1 otherwise
 *
 * Where the slowdown comes from: expected slowdown = (wait + run) / walltime, with run =
 * walltime / speed.  The view says how many jobs wait but not their sizes, so each job ahead
 * is assumed to be like this one; the wait is the work ahead — the queued jobs plus one job's
 * worth of running work that must end first — spread over the cluster's nodes:
 * wait = (queued_jobs + 1) · job.nodes · (walltime / speed) / nodes.  The requested walltime
 * then cancels out, so it needs no special case when it is 0.  A cluster twice as fast halves
 * the slowdown (it can go below 1: slowdown is relative to the reference speed).
 *
 * The best score is 0.6 + 0.1 + 0.3·e^−0.1 ≈ 0.9715 (idle, matching, speed 1); a busy,
 * mismatching cluster can go below 0, hence the floor.  exp() is the C library's; the other
 * steps are evaluated in the order written, with -ffp-contract=off. */

static void *
wrench_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  void *self = calloc (1, 1);
  if (self == NULL)
    dmas_error_set (err, DMAS_ENOMEM, "wrench: out of memory");
  return self;
}

static void
wrench_destroy (void *self)
{
  free (self);
}

static int
wrench_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
            DmasBid *out, DmasError *err)
{
  (void) self;
  (void) ctx;
  int rc = bid_check_input ("wrench", job, cluster, err);
  if (rc != DMAS_OK)
    return rc;
  if (!bid_feasible (job, cluster))
    {
      out->score = 0.0;
      return DMAS_OK;
    }

  double total = (double) cluster->nodes * (double) cluster->cores_per_node;
  double used = (double) cluster->used_cores < total ? (double) cluster->used_cores : total;

  double compat = 0.5;
  switch (bid_type_fit (job->type, cluster->type))
    {
    case BID_TYPE_MATCH: compat = 1.0; break;
    case BID_TYPE_MISMATCH: compat = 0.0; break;
    case BID_TYPE_NEUTRAL: break;
    }

  int now = cluster->queued_jobs == 0 && cluster->free_nodes >= job->nodes;
  double slowdown = 1.0;
  if (!now)
    slowdown = 1.0 + ((double) cluster->queued_jobs + 1.0) * (double) job->nodes
                         / (double) cluster->nodes;
  slowdown /= cluster->speed;
  double penalty = now ? 0.0 : 0.1;

  double s = 0.6 * (1.0 - used / total) + 0.1 * compat
             + 0.3 * (exp (-0.1 * slowdown) - penalty);
  out->score = bid_final_score (s);
  return DMAS_OK;
}

static const DmasBiddingOps wrench_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = wrench_create,
  .destroy = wrench_destroy,
  .bid = wrench_bid,
  .job_finished = NULL,
};

static const DmasComponent wrench_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "wrench",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &wrench_ops,
    .summary = "the follow-up's heuristic: free cores, type fit, expected slowdown",
    .params = NULL,
  },
};

static const DmasPluginDesc wrench_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "wrench",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = wrench_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &wrench_desc;
}
