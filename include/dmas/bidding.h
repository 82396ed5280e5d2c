/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ops of a bidding component: turns (job, own cluster) into a score. */
#ifndef DMAS_BIDDING_H
#define DMAS_BIDDING_H

#include <dmas/host.h>
#include <dmas/job.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1.0: create, destroy, bid.  1.1: job_finished (optional). */
#define DMAS_BIDDING_API_MAJOR 1
#define DMAS_BIDDING_API_MINOR 1

typedef struct DmasBiddingOps {
  uint32_t struct_size; /* sizeof (DmasBiddingOps) as the plugin was built */

  /* Mandatory.  One instance per agent.  Returns the instance, or NULL with err filled. */
  void *(*create) (DmasCtx *ctx, DmasError *err);
  /* Mandatory.  Frees everything create() and later calls allocated. */
  void (*destroy) (void *self);
  /* Mandatory.  Scores `job` for the agent's own `cluster`.  Must bid 0 when the cluster can
   * never fit the job.  Returns DMAS_OK with out->score set, DMAS_PENDING when the answer will
   * come through bid_ready(), or a negative status with err filled (the agent then bids 0).
   * `job` and `cluster` are borrowed for the call; out->job and out->agent are pre-filled. */
  int (*bid) (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
              DmasBid *out, DmasError *err);

  /* --- 1.1 --- */
  /* Optional.  A job this agent ran has finished (for bidders that learn). */
  void (*job_finished) (void *self, DmasCtx *ctx, const DmasJob *job, DmasTime start,
                        DmasTime end);
} DmasBiddingOps;

/* Size of the 1.0 layout: anything smaller is refused by the loader. */
#define DMAS_BIDDING_OPS_MIN_SIZE (offsetof (DmasBiddingOps, bid) + sizeof (void *))

#ifdef __cplusplus
}
#endif

#endif /* DMAS_BIDDING_H */
