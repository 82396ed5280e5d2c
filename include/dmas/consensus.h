/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ops of a consensus component: makes the agents agree on the winner of each slot. */
#ifndef DMAS_CONSENSUS_H
#define DMAS_CONSENSUS_H

#include <dmas/host.h>
#include <dmas/job.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DMAS_CONSENSUS_API_MAJOR 1
/* 1.0: create, destroy, propose, on_message, agent_status.  1.1: fault_model. */
#define DMAS_CONSENSUS_API_MINOR 1

/* The faults a protocol is designed to tolerate; the host uses it for `availability` (a quorum
 * of live, correct, connected agents exists) and the documentation. */
typedef enum {
  DMAS_FAULT_MODEL_NONE = 0,      /* no guarantee under faults: one live agent is enough */
  DMAS_FAULT_MODEL_CRASH = 1,     /* crash faults, n >= 2f+1: quorum = floor(n/2) + 1 */
  DMAS_FAULT_MODEL_BYZANTINE = 2  /* Byzantine faults, n >= 3f+1: quorum = 2f+1, f = floor((n-1)/3) */
} DmasFaultModel;

typedef struct DmasConsensusOps {
  uint32_t struct_size; /* sizeof (DmasConsensusOps) as the plugin was built */

  /* Mandatory.  One instance per agent.  Returns the instance, or NULL with err filled. */
  void *(*create) (DmasCtx *ctx, DmasError *err);
  /* Mandatory. */
  void (*destroy) (void *self);
  /* Mandatory.  The agent has learnt of `slot` and computed its own `bid` (score 0 when it
   * cannot run the job).  Called once per slot on every live agent; the instance exchanges
   * messages and eventually calls the host's decide().  Both pointers are borrowed. */
  int (*propose) (void *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid);
  /* Mandatory.  A message of this component from agent `src` (authentic).  `body` is
   * borrowed for the call. */
  int (*on_message) (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type,
                     const void *body, size_t len);
  /* Optional.  The failure detector's view of `agent` changed (suspected != 0: now
   * suspected; 0: alive again). */
  void (*agent_status) (void *self, DmasCtx *ctx, DmasAgentId agent, int suspected);

  /* --- 1.1 --- */
  /* The protocol's fault model (a DmasFaultModel).  Plugins built against 1.0 read as
   * DMAS_FAULT_MODEL_NONE. */
  uint32_t fault_model;
} DmasConsensusOps;

#define DMAS_CONSENSUS_OPS_MIN_SIZE (offsetof (DmasConsensusOps, on_message) + sizeof (void *))

#ifdef __cplusplus
}
#endif

#endif /* DMAS_CONSENSUS_H */
