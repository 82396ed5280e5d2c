/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Degraded agents: not built yet; the call refuses. */
#include "config.h"

#include "agents/faults.h"
#include "agents/sim-private.h"

int
dmas_faults_degrade (DmasHostCtx *ctx, DmasAgentId agent, gdouble factor)
{
  (void) agent;
  (void) factor;
  dmas_sim_log (ctx->sim, DMAS_AGENT_NONE, "%s: fault_degrade is not supported yet",
                dmas_host_ctx_name (ctx));
  return DMAS_ESTATE;
}
