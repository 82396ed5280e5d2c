/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test plugin built against bidding API 1.0: its ops stop at bid(); it must load and work. */
#include "abi-plugin.h"

/* DmasBiddingOps as bidding API 1.0 defined it (job_finished came with 1.1). */
typedef struct {
  uint32_t struct_size;
  void *(*create) (DmasCtx *ctx, DmasError *err);
  void (*destroy) (void *self);
  int (*bid) (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
              DmasBid *out, DmasError *err);
} OldBiddingOps;

_Static_assert (sizeof (OldBiddingOps) == DMAS_BIDDING_OPS_MIN_SIZE,
                "the 1.0 layout is exactly the minimum size");

typedef struct {
  DmasAgentId agent;
} OldMinor;

static void *
old_create (DmasCtx *ctx, DmasError *err)
{
  OldMinor *self = calloc (1, sizeof *self);

  if (self == NULL)
    {
      dmas_error_set (err, DMAS_ENOMEM, "out of memory");
      return NULL;
    }
  self->agent = dmas_self (ctx);
  return self;
}

static void
old_destroy (void *self)
{
  free (self);
}

/* Free share of the cluster, or 0 when the job can never fit. */
static int
old_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
         DmasBid *out, DmasError *err)
{
  OldMinor *me = self;

  if (job->nodes == 0 || job->nodes > cluster->nodes || job->cores > cluster->cores_per_node)
    {
      out->score = 0.0;
      return DMAS_OK;
    }
  if (cluster->nodes == 0)
    return dmas_error_set (err, DMAS_EINVAL, "cluster of agent %u has no nodes", me->agent);
  out->score = (double) cluster->free_nodes / (double) cluster->nodes;
  dmas_log (ctx, DMAS_LOG_DEBUG, "agent %u bids %.3f", me->agent, out->score);
  return DMAS_OK;
}

/* Sits where a 1.1 struct has job_finished: a host that copied more than struct_size bytes
 * would take this for the plugin's job_finished. */
static void
trap_job_finished (void *self, DmasCtx *ctx, const DmasJob *job, DmasTime start, DmasTime end)
{
  (void) self;
  (void) ctx;
  (void) job;
  (void) start;
  (void) end;
  abort ();
}

static const struct {
  OldBiddingOps ops;
  void (*after) (void *self, DmasCtx *ctx, const DmasJob *job, DmasTime start, DmasTime end);
} layout = {
  { DMAS_BIDDING_OPS_MIN_SIZE, old_create, old_destroy, old_bid },
  trap_job_finished,
};

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_BIDDING, "old-minor", DMAS_BIDDING_API_MAJOR, 0, &layout.ops),
};
static const DmasPluginDesc desc = ABI_DESC ("good-old-minor", components);

ABI_DESCRIBE (desc)
