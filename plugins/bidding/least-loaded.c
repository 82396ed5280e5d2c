/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bidding/least-loaded: prefers the cluster with the least work per node, running or waiting. */
#include <stdlib.h>

#include <dmas/dmas.h>

#include "common.h"

/* The score, exactly as implemented:
 *
 *   infeasible (common.h) ⇒ 0
 *
 *   load  = (busy_nodes + queued_jobs) / nodes,  busy_nodes = nodes − free_nodes
 *   score = 1 / (1 + load)
 *
 * Load counts nodes because local queues give jobs whole nodes: a node running a 1-core job
 * takes no other job, so counting its cores would call it nearly idle.  Each waiting job counts
 * as one node: the view carries how many jobs wait, not their sizes, and a synthetic job asks
 * for one node.  1 / (1 + load) rather than 1 − load so that clusters loaded beyond their size
 * (long queues) still rank by how much beyond, instead of all tying at the floor; it is 1 for an
 * idle cluster, falls strictly as load grows and is never 0, so no floor is needed. */

static void *
least_loaded_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  void *self = calloc (1, 1);
  if (self == NULL)
    dmas_error_set (err, DMAS_ENOMEM, "least-loaded: out of memory");
  return self;
}

static void
least_loaded_destroy (void *self)
{
  free (self);
}

static int
least_loaded_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
                  DmasBid *out, DmasError *err)
{
  (void) self;
  (void) ctx;
  int rc = bid_check_input ("least-loaded", job, cluster, err);
  if (rc != DMAS_OK)
    return rc;
  if (!bid_feasible (job, cluster))
    {
      out->score = 0.0;
      return DMAS_OK;
    }

  double load = ((double) bid_busy_nodes (cluster) + (double) cluster->queued_jobs)
                / (double) cluster->nodes;
  out->score = bid_final_score (1.0 / (1.0 + load));
  return DMAS_OK;
}

static const DmasBiddingOps least_loaded_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = least_loaded_create,
  .destroy = least_loaded_destroy,
  .bid = least_loaded_bid,
  .job_finished = NULL,
};

static const DmasComponent least_loaded_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "least-loaded",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &least_loaded_ops,
    .summary = "1 / (1 + load), load = (busy nodes + waiting jobs) / nodes",
    .params = NULL,
  },
};

static const DmasPluginDesc least_loaded_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "least-loaded",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = least_loaded_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &least_loaded_desc;
}
