/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Read-only views of jobs and clusters, and the bid record agents agree on. */
#ifndef DMAS_JOB_H
#define DMAS_JOB_H

#include <dmas/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Job types (DESIGN §5). */
typedef enum {
  DMAS_JOB_HPC = 0,
  DMAS_JOB_AI,
  DMAS_JOB_HYBRID,
  DMAS_JOB_MEMORY,
  DMAS_JOB_STORAGE,
  DMAS_JOB_GENERAL
} DmasJobType;

/* A job asks for `nodes` nodes of one cluster with `cores`, `memory_gb` and `gpus` on each.
 * Views passed to plugins are borrowed: valid only during the call that receives them. */
typedef struct DmasJob {
  DmasJobId id;
  DmasTime submit;
  uint32_t nodes;
  uint32_t cores;     /* per node */
  double memory_gb;   /* per node */
  uint32_t gpus;      /* per node */
  DmasTime walltime;  /* requested (the user's estimate) */
  DmasTime runtime;   /* actual; plugins must not use it to bid (it is not known in reality) */
  int32_t priority;
  DmasJobType type;
  DmasAgentId home;
} DmasJob;

/* Cluster types (DESIGN §5). */
typedef enum {
  DMAS_CLUSTER_HPC = 0,
  DMAS_CLUSTER_GPU,
  DMAS_CLUSTER_AI,
  DMAS_CLUSTER_MEMORY,
  DMAS_CLUSTER_STORAGE,
  DMAS_CLUSTER_HYBRID,
  DMAS_CLUSTER_GENERAL
} DmasClusterType;

/* The bidding agent's own cluster as it is now. Borrowed, valid only during the call. */
typedef struct DmasClusterView {
  DmasAgentId agent;
  DmasClusterType type;
  uint32_t nodes;          /* total nodes */
  uint32_t cores_per_node;
  double memory_gb_per_node;
  uint32_t gpus_per_node;
  double speed;            /* relative speed, 1.0 = reference */
  uint32_t free_nodes;     /* nodes with no job on them now */
  uint32_t queued_jobs;    /* jobs waiting in the local queue */
  uint32_t running_jobs;
  uint64_t used_cores;     /* cores busy now, over all nodes */
} DmasClusterView;

/* A bid for one job by one agent.  score 0 means "cannot run this job ever". */
typedef struct DmasBid {
  DmasJobId job;
  DmasAgentId agent;
  uint32_t reserved;
  double score;            /* higher is better, in [0, 1] for the shipped bidders */
} DmasBid;

/* A consensus slot: one decision about who runs `job` in `epoch` (epoch grows on recovery). */
typedef struct DmasSlot {
  DmasJobId job;
  uint32_t epoch;
  DmasAgentId home;        /* the agent the job was submitted to */
} DmasSlot;

/* Deterministic tie-break between equal scores (DESIGN §6): the higher value wins.
 * Every component must use this so that all protocols agree on what "best" means. */
static inline uint64_t
dmas_tiebreak (DmasJobId job, DmasAgentId agent)
{
  uint64_t z = job * 0x9E3779B97F4A7C15ull ^ ((uint64_t) agent + 0x632BE59BD9B4E019ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Nonzero when bid a beats bid b (same job): higher score, then higher tie-break. */
static inline int
dmas_bid_better (const DmasBid *a, const DmasBid *b)
{
  if (a->score != b->score)
    return a->score > b->score;
  return dmas_tiebreak (a->job, a->agent) > dmas_tiebreak (b->job, b->agent);
}

#ifdef __cplusplus
}
#endif

#endif /* DMAS_JOB_H */
