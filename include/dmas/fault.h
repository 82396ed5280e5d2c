/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ops of a fault component: schedules the faults of one `faults:` entry through the host. */
#ifndef DMAS_FAULT_H
#define DMAS_FAULT_H

#include <dmas/host.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1.0: create, destroy, arm. */
#define DMAS_FAULT_API_MAJOR 1
#define DMAS_FAULT_API_MINOR 0

/* A fault component is instantiated once per entry of the config's `faults:` list, not once
 * per agent: its ctx belongs to no agent (self_id() is DMAS_AGENT_NONE), its randomness is the
 * stream "faults/<type>#<index>" (index = the entry's position in the list), and its timers
 * fire before the messages and timers of the same instant, so that a crash at t hides what
 * arrives at t.  It acts only through the host's fault calls (fault_crash, fault_restart,
 * agent_up), which refuse every other kind with DMAS_ESTATE. */
typedef struct DmasFaultOps {
  uint32_t struct_size; /* sizeof (DmasFaultOps) as the plugin was built */

  /* Mandatory.  Reads and checks the parameters.  Returns the instance, or NULL with err
   * filled (DMAS_EINVAL for a bad parameter: the host reports it as a config error). */
  void *(*create) (DmasCtx *ctx, DmasError *err);
  /* Mandatory.  Frees everything create() and later calls allocated.  Timers still pending
   * have their free_fn run after destroy() returns. */
  void (*destroy) (void *self);
  /* Mandatory.  Called once, at virtual time 0, after every agent exists and before the
   * first job is submitted: schedules the faults with timer_add(), drawing any randomness
   * from the instance's own stream.  Returns DMAS_OK, or a negative status with err filled
   * (the run does not start). */
  int (*arm) (void *self, DmasCtx *ctx, DmasError *err);
} DmasFaultOps;

/* Size of the 1.0 layout: anything smaller is refused by the loader. */
#define DMAS_FAULT_OPS_MIN_SIZE (offsetof (DmasFaultOps, arm) + sizeof (void *))

#ifdef __cplusplus
}
#endif

#endif /* DMAS_FAULT_H */
