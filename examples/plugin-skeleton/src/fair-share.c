/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bidding/fair-share: the skeleton's bidder, which spreads jobs over clusters by their load. */
#include <dmas/dmas.h>

#include "skeleton.h"

/* The score, exactly as implemented:
 *
 *   the cluster can never fit the job (total nodes, cores, memory, GPUs)  ⇒ 0
 *   otherwise  share = free_nodes / nodes            (0 .. 1: how idle the cluster is now)
 *              score = floor + (1 - floor) * share / (1 + queued_jobs)
 *
 * so an idle cluster bids 1, a busy one bids less the longer its queue, and a feasible job
 * never gets 0 (0 means "can never run it", DmasBid contract): the `floor` parameter keeps it
 * above.  Nothing is random and nothing but the arguments is read: the same inputs always give
 * the same bits, which is what `dmas plugins test` checks. */

typedef struct {
  double floor;
} FairShare;

static void *
fair_share_create (DmasCtx *ctx, DmasError *err)
{
  double floor;
  /* The host has checked the type and filled the default: a failure here is a host bug. */
  if (ctx->api->param_double (ctx, "floor", &floor) != DMAS_OK)
    {
      dmas_error_set (err, DMAS_EFAIL, "fair-share: parameter 'floor' missing");
      return NULL;
    }
  if (!(floor > 0.0 && floor < 1.0))
    {
      dmas_error_set (err, DMAS_EINVAL, "fair-share: floor %g is not in (0, 1); "
                      "give e.g. params: {fair-share: {floor: 0.01}}", floor);
      return NULL;
    }
  FairShare *self = skeleton_alloc (sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "fair-share: out of memory");
      return NULL;
    }
  self->floor = floor;
  return self;
}

static void
fair_share_destroy (void *self)
{
  skeleton_free (self);
}

static int
fair_share_bid (void *data, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
                DmasBid *out, DmasError *err)
{
  const FairShare *self = data;
  (void) ctx;
  (void) err;
  if (cluster->nodes == 0 || job->nodes > cluster->nodes
      || job->cores > cluster->cores_per_node || job->memory_gb > cluster->memory_gb_per_node
      || job->gpus > cluster->gpus_per_node)
    {
      out->score = 0.0;
      return DMAS_OK;
    }
  /* free_nodes is trusted only up to the node count, so the share stays in [0, 1]. */
  uint32_t free_nodes = cluster->free_nodes < cluster->nodes ? cluster->free_nodes
                                                             : cluster->nodes;
  double share = (double) free_nodes / (double) cluster->nodes;
  out->score = self->floor + (1.0 - self->floor) * share / (1.0 + (double) cluster->queued_jobs);
  return DMAS_OK;
}

const DmasBiddingOps skeleton_fair_share_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = fair_share_create,
  .destroy = fair_share_destroy,
  .bid = fair_share_bid,
  .job_finished = NULL,
};

const DmasParamSpec skeleton_fair_share_params[] = {
  { "floor", DMAS_PARAM_DOUBLE, "0.01", "score of a feasible job on a full cluster, in (0, 1)" },
  { NULL, 0, NULL, NULL },
};
