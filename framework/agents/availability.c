/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Availability of the distributed scheduling service: a quorum up, correct and connected. */
#include "config.h"

#include "agents/sim-private.h"
#include "metrics/metrics.h"

/* Availability refined to the protocol's quorum (DmasFaultModel): the service can decide
 * while at least sim->quorum agents are up, correct and connected.  Hook for what is not
 * simulated yet: every agent that is up is connected (no partitions yet: count only the
 * largest connected group of up, correct agents once they exist). */
gboolean
dmas_sim_service_available (const DmasSim *sim)
{
  guint n = 0;
  for (guint a = 0; a < sim->n_agents; a++)
    n += dmas_agent_is_up (sim->agents[a]) && dmas_sim_agent_correct (sim, a);
  return n >= sim->quorum;
}

void
dmas_sim_service_update (DmasSim *sim)
{
  if (sim->central != NULL)
    return;
  const gboolean now_available = dmas_sim_service_available (sim);
  if (now_available == sim->service_available)
    return;
  sim->service_available = now_available;
  const DmasTime now = dmas_engine_now (sim->engine);
  if (now_available)
    dmas_metrics_service_up (sim->metrics, now);
  else
    dmas_metrics_service_down (sim->metrics, now);
}
