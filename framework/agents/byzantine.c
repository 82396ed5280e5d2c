/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Byzantine agents and accusations: not built yet; the calls refuse. */
#include "config.h"

#include "agents/faults.h"
#include "agents/sim-private.h"

int
dmas_faults_byzantine (DmasHostCtx *ctx, DmasAgentId agent, const DmasByzantine *behaviour)
{
  (void) agent;
  (void) behaviour;
  dmas_sim_log (ctx->sim, DMAS_AGENT_NONE, "%s: fault_byzantine is not supported yet",
                dmas_host_ctx_name (ctx));
  return DMAS_ESTATE;
}

int
dmas_host_accuse (DmasHostCtx *ctx, DmasAgentId agent)
{
  (void) agent;
  dmas_sim_log (ctx->sim, DMAS_AGENT_NONE, "%s: accuse is not supported yet",
                dmas_host_ctx_name (ctx));
  return DMAS_ESTATE;
}

gboolean
dmas_sim_agent_correct (const DmasSim *sim, DmasAgentId agent)
{
  (void) sim;
  (void) agent;
  return TRUE;
}
