/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the gossip, negotiation and weighted-voting contract tests. */
#ifndef DMAS_TESTS_CONSENSUS_UTIL_H
#define DMAS_TESTS_CONSENSUS_UTIL_H

#include "mock-host.h"

static inline MockHost *
cu_start (const gchar *plugin, guint n, const gchar *const *params)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, plugin, plugin, &error);
  g_assert_no_error (error);
  MockHost *host = mock_host_new (n, g_test_rand_int ());
  mock_host_start (host, c, params, &error);
  g_assert_no_error (error);
  return host;
}

static inline DmasSlot
cu_slot (DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  return (DmasSlot){ .job = job, .epoch = epoch, .home = home };
}

static inline int
cu_propose (MockHost *host, DmasAgentId agent, DmasSlot slot, double score)
{
  DmasBid bid = { .job = slot.job, .agent = agent, .reserved = 0, .score = score };
  return mock_host_propose (host, agent, &slot, &bid);
}

/* The reference rule: best by dmas_bid_better among bids > 0 of the agents in `among`
 * (all when NULL), else DMAS_AGENT_NONE. */
static inline DmasBid
cu_reference (DmasJobId job, const double *scores, guint n, const gboolean *among)
{
  DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  for (guint i = 0; i < n; i++)
    {
      DmasBid b = { .job = job, .agent = i, .score = scores[i] };
      if ((among == NULL || among[i]) && b.score > 0.0
          && (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best)))
        best = b;
    }
  return best;
}

static inline guint
cu_decisions_for (MockHost *host, DmasAgentId agent, DmasSlot slot)
{
  const GArray *all = mock_host_decisions (host, agent);
  guint n = 0;
  for (guint i = 0; i < all->len; i++)
    {
      const MockDecision *d = &g_array_index (all, MockDecision, i);
      n += d->slot.job == slot.job && d->slot.epoch == slot.epoch;
    }
  return n;
}

/* `agent` decided `slot` exactly once, for `winner`. */
static inline const MockDecision *
cu_assert_decided (MockHost *host, DmasAgentId agent, DmasSlot slot, DmasBid winner)
{
  const MockDecision *d = mock_host_decision (host, agent, slot.job, slot.epoch);
  g_assert_nonnull (d);
  g_assert_cmpuint (cu_decisions_for (host, agent, slot), ==, 1);
  g_assert_cmpuint (d->slot.home, ==, slot.home);
  g_assert_cmpuint (d->bid.job, ==, slot.job);
  g_assert_cmpuint (d->bid.agent, ==, winner.agent);
  g_assert_cmpfloat (d->bid.score, ==, winner.score);
  return d;
}

static inline void
cu_assert_all_decided (MockHost *host, DmasSlot slot, DmasBid winner)
{
  for (guint a = 0; a < mock_host_n_agents (host); a++)
    cu_assert_decided (host, a, slot, winner);
}

/* Delivers everything, dropping on the way every message to `dst` (a one-way cut). */
static inline guint
cu_deliver_all_cut (MockHost *host, DmasAgentId dst)
{
  guint n = 0;
  for (;;)
    {
      n += mock_host_drop_matching (host, MOCK_ANY_AGENT, dst, MOCK_ANY_TYPE);
      if (!mock_host_deliver_next (host))
        return n;
    }
}

/* mock_host_run with the same one-way cut. */
static inline void
cu_run_cut (MockHost *host, DmasAgentId dst)
{
  do
    cu_deliver_all_cut (host, dst);
  while (mock_host_fire_next_timer (host));
}

#endif /* DMAS_TESTS_CONSENSUS_UTIL_H */
