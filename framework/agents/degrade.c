/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Degraded agents: the fault call that slows an agent's jobs and its messages down. */
#include "config.h"

#include <math.h>

#include "agents/faults.h"
#include "agents/sim-private.h"

/* The two halves of a degradation live where the thing they slow lives: the jobs in the
 * agent's local queue (world/localq.c stretches what is left of each running job and runs
 * new ones factor times longer), the messages in the network (net/netfaults.c adds
 * (factor - 1) x the link's latency to every message from or to the agent, decided at send
 * time like every network fault).  The factor in force is kept with the faults, since a
 * crash throws the queue away: agent.c gives the queue it rebuilds at a restart the factor
 * still in force (dmas_faults_slowdown), so a slow machine stays slow across a reboot. */
int
dmas_faults_degrade (DmasHostCtx *ctx, DmasAgentId agent, gdouble factor)
{
  DmasSim *sim = ctx->sim;

  if (ctx->kind != DMAS_KIND_FAULT || sim->faults == NULL)
    {
      dmas_sim_log (sim, DMAS_AGENT_NONE, "%s: fault_degrade refused: only fault components "
                    "may call it", dmas_host_ctx_name (ctx));
      return DMAS_ESTATE;
    }
  /* The controller replicas have no job queue: degrading them is not supported. */
  if (agent >= sim->n_agents)
    return DMAS_ENOENT;
  if (!(factor >= 1.0) || !isfinite (factor))
    return DMAS_EINVAL;

  gdouble *slow = dmas_faults_slowdowns (sim->faults);
  if (slow[agent] == factor)
    return DMAS_OK;
  slow[agent] = factor;
  dmas_localq_set_slowdown (sim->agents[agent]->queue, factor);
  dmas_network_set_slowdown (sim->network, agent, factor);

  g_autofree gchar *text = dmas_format_double (factor);
  g_autofree gchar *details = g_strdup_printf ("\"factor\":%s", text);
  const gboolean onset = factor != 1.0;
  dmas_faults_log (ctx, onset ? "degrade" : "degrade_end", agent, details, onset);
  dmas_sim_log (sim, agent, "%s by %s: jobs and messages %s x slower",
                onset ? "degraded" : "back to full speed", dmas_host_ctx_name (ctx), text);
  return DMAS_OK;
}
