/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bidding/heuristic: the predecessor's best-fit score (DESIGN §13), optionally load-aware. */
#include <math.h>
#include <stdlib.h>

#include <dmas/dmas.h>

#include "common.h"

/* The score, exactly as implemented (DESIGN §13, the seed's calculate_bid):
 *
 *   feasible  ⇔ job.nodes ≤ cluster.nodes ∧ job.cores ≤ cores_per_node
 *               ∧ job.memory_gb ≤ memory_gb_per_node ∧ job.gpus ≤ gpus_per_node
 *   infeasible ⇒ score = 0
 *   feasible   ⇒ score = (0.4·cpu + 0.3·mem) + 0.3·gpu − load_weight·L/(L+1),
 *                then raised to BID_EPSILON if that is not > 0
 *
 *   cpu, mem, gpu: the fill ratios of bid_best_fit() (common.h, shared with bidding/llm's
 *                  fallback so that both give the same bits)
 *   L   = queued_jobs + running_jobs
 *
 * Feasibility is checked against TOTAL capacity, not what is free now: the question is whether
 * the cluster can ever run the job; a busy cluster queues it.
 *
 * What the ratios mean: the seed's agents were single nodes and divided the job's request by
 * the agent's capacity, so a job that fills the node scores high.  That is best fit — a job
 * goes to the smallest node that holds it and large nodes stay free for large jobs.  A dmas job
 * asks for `nodes` nodes with cores/memory/GPUs on EACH, so the faithful generalisation divides
 * per-node request by per-node capacity; the node count only enters through feasibility.
 * Feasibility bounds each ratio by 1, so the min() of the seed is kept for shape only.
 *
 * The GPU term penalises a GPU cluster for a job that needs no GPU (0 instead of 1): a CPU job
 * on a medium 8/16/1 node asking 4 cores and 8 GB scores 0.4·0.5 + 0.3·0.5 + 0.3·0 = 0.35, on
 * a small 4/8/0 node 0.4 + 0.3 + 0.3 = 1.  This is the seed's intent: keep GPU nodes for GPU
 * jobs.
 *
 * A resource the cluster does not have at all (capacity 0, so feasibility forces the request
 * to 0 too) is treated like the seed treats GPUs: a perfect match, term 1.  It also avoids
 * 0/0.
 *
 * The terms are evaluated in the order written above with -ffp-contract=off, so the result is
 * the same double on every machine.
 *
 * Score 0 means "can never run this job" (DmasBid contract).  A feasible job can reach 0 from
 * the formula (a job asking 0 cores and 0 GB and no GPU on a GPU cluster, or a large load
 * penalty), and must not be mistaken for an impossible one, so it gets BID_EPSILON instead:
 * far below any score the formula gives a real request, so it never changes a ranking among
 * them.  No clamp at 1 (bid_final_score would add one): the formula never exceeds 1 and the
 * load term only lowers it, so the seed's bits stay as they were. */

typedef struct {
  double load_weight;
} Heuristic;

static void *
heuristic_create (DmasCtx *ctx, DmasError *err)
{
  double load_weight = 0.0;
  int rc = ctx->api->param_double (ctx, "load_weight", &load_weight);
  if (rc != DMAS_OK)
    {
      dmas_error_set (err, rc, "heuristic: cannot read parameter load_weight (status %d)", rc);
      return NULL;
    }
  if (!isfinite (load_weight) || load_weight < 0.0)
    {
      dmas_error_set (err, DMAS_EINVAL,
                      "heuristic: load_weight must be a finite number >= 0, got %g",
                      load_weight);
      return NULL;
    }

  Heuristic *self = calloc (1, sizeof *self);
  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "heuristic: out of memory");
      return NULL;
    }
  self->load_weight = load_weight;
  return self;
}

static void
heuristic_destroy (void *self)
{
  free (self);
}

static int
heuristic_bid (void *self_, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
               DmasBid *out, DmasError *err)
{
  Heuristic *self = self_;
  (void) ctx;

  /* Garbage in would otherwise come out as a plausible score (NaN compares false everywhere,
   * so it would pass feasibility). */
  if (job->nodes == 0 || !(job->memory_gb >= 0.0) || !isfinite (job->memory_gb))
    return dmas_error_set (err, DMAS_EINVAL,
                           "heuristic: job %llu has an invalid request (nodes %u, memory %g GB)",
                           (unsigned long long) job->id, job->nodes, job->memory_gb);
  if (!(cluster->memory_gb_per_node >= 0.0))
    return dmas_error_set (err, DMAS_EINVAL,
                           "heuristic: cluster of agent %u has invalid memory %g GB per node",
                           cluster->agent, cluster->memory_gb_per_node);

  if (!bid_feasible (job, cluster))
    {
      out->score = 0.0;
      return DMAS_OK;
    }

  double score = bid_best_fit (job, cluster);

  /* Skipped at weight 0 so that the default is the seed's formula bit for bit. */
  if (self->load_weight > 0.0)
    {
      double load = (double) cluster->queued_jobs + (double) cluster->running_jobs;
      score -= self->load_weight * (load / (load + 1.0));
    }

  out->score = score > 0.0 ? score : BID_EPSILON;
  return DMAS_OK;
}

static const DmasBiddingOps heuristic_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = heuristic_create,
  .destroy = heuristic_destroy,
  .bid = heuristic_bid,
  .job_finished = NULL,
};

static const DmasParamSpec heuristic_params[] = {
  { "load_weight", DMAS_PARAM_DOUBLE, "0.0",
    "subtract load_weight*L/(L+1), L = queued + running jobs; 0 keeps the seed's formula" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent heuristic_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "heuristic",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &heuristic_ops,
    .summary = "best fit: 0.4 cores + 0.3 memory + 0.3 GPU fill of a node (the seed's score)",
    .params = heuristic_params,
  },
};

static const DmasPluginDesc heuristic_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "heuristic",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = heuristic_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &heuristic_desc;
}
