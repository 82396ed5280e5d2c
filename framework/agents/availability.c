/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Availability of the distributed scheduling service: a quorum up, correct and connected. */
#include "config.h"

#include "agents/sim-private.h"
#include "metrics/metrics.h"

/* Union-find root, with path halving. */
static guint
root_of (guint *parent, guint a)
{
  while (parent[a] != a)
    a = parent[a] = parent[parent[a]];
  return a;
}

/* Availability refined to the protocol's quorum (DmasFaultModel): the service can decide
 * while some group of at least sim->quorum agents is up, correct and connected.  Connected
 * means joined by links that carry messages both ways under every active partition (the
 * clients reach every agent, so whichever side holds the quorum is reachable from them: this
 * is availability "on the clients' side").  The groups are the connected components of that
 * symmetric reachability, found by union-find over the agents in id order.  For partitions
 * made of groups (halves, minority, isolate, explicit groups) a component is a group, where
 * everyone reaches everyone: the rule is exact.  For other matrices (a ring, one-way cuts) a
 * component may contain agents that only talk through others: a protocol that relays can use
 * it, one that needs direct links (a leader and its followers) may not, so the rule is an
 * upper bound there. */
gboolean
dmas_sim_service_available (const DmasSim *sim)
{
  const guint n = sim->n_agents;

  if (!dmas_network_partitioned (sim->network))
    {
      guint up = 0;
      for (guint a = 0; a < n; a++)
        up += dmas_agent_is_up (sim->agents[a]) && dmas_sim_agent_correct (sim, a);
      return up >= sim->quorum;
    }

  g_autofree gboolean *live = g_new (gboolean, n);
  g_autofree guint *parent = g_new (guint, n);
  g_autofree guint *size = g_new0 (guint, n);
  for (guint a = 0; a < n; a++)
    {
      live[a] = dmas_agent_is_up (sim->agents[a]) && dmas_sim_agent_correct (sim, a);
      parent[a] = a;
    }
  for (guint a = 0; a < n; a++)
    for (guint b = a + 1; live[a] && b < n; b++)
      if (live[b] && dmas_network_reaches (sim->network, a, b)
          && dmas_network_reaches (sim->network, b, a))
        {
          guint ra = root_of (parent, a), rb = root_of (parent, b);
          if (ra != rb)
            parent[MAX (ra, rb)] = MIN (ra, rb);
        }
  for (guint a = 0; a < n; a++)
    if (live[a] && ++size[root_of (parent, a)] >= sim->quorum)
      return TRUE;
  /* A quorum of 0 (a protocol with no fault model) is met by nobody at all. */
  return sim->quorum == 0;
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
