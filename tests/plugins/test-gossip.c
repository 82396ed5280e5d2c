/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of consensus/gossip (epidemic spread, local deadline), through the module. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "consensus-util.h"

/* gossip.c's wire format: job u64 | epoch u32 | home u32 | count u32 | (agent u32, score f64)* */
#define MSG_GOSSIP 1
#define HEAD_LEN 20
#define ENTRY_LEN 12

static void
random_scores (double *scores, guint n)
{
  for (guint a = 0; a < n; a++)
    scores[a] = g_test_rand_int_range (0, 5) == 0 ? 0.0 : g_test_rand_int_range (1, 100) / 100.0;
}

/* With fanout >= n-1 every agent tells everyone in round one: agreement is certain without
 * loss, and every agent decides at its deadline, 200 ms after its proposal. */
static void
test_no_fault_agreement (void)
{
  const guint sizes[] = { 1, 2, 3, 4, 8 };
  const gchar *const wide[] = { "fanout=7", NULL };
  for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (DmasJobId job = 1; job <= 5; job++)
      {
        guint n = sizes[k];
        g_autoptr (MockHost) host = cu_start ("gossip", n, n > 4 ? wide : NULL);
        double scores[8];
        random_scores (scores, n);
        DmasSlot slot = cu_slot (job, 0, (DmasAgentId) (job % n));
        for (guint a = 0; a < n; a++)
          g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
        mock_host_run (host);
        DmasBid winner = cu_reference (job, scores, n, NULL);
        for (guint a = 0; a < n; a++)
          g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 200 * DMAS_MS);
        g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
      }
}

/* Each agent sends rounds * min(fanout, n-1) messages per slot: n * rounds * min(fanout, n-1)
 * per decision; the home counts one "rounds" per round. */
static void
test_messages_per_decision (void)
{
  const guint sizes[] = { 1, 2, 3, 5, 8 };
  for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      guint n = sizes[k];
      g_autoptr (MockHost) host = cu_start ("gossip", n, NULL);
      for (DmasJobId job = 0; job < 3; job++)
        {
          DmasSlot slot = cu_slot (job, 0, (DmasAgentId) (job % n));
          for (guint a = 0; a < n; a++)
            g_assert_cmpint (cu_propose (host, a, slot, 0.1 * (a + 1)), ==, DMAS_OK);
        }
      mock_host_run (host);
      guint64 per_decision = (guint64) n * 4 * MIN (3, n - 1);
      g_assert_cmpuint (mock_host_sent_messages (host, DMAS_KIND_CONSENSUS), ==, 3 * per_decision);
      g_assert_cmpfloat (mock_host_metric (host, "gossip_msgs"), ==, 3.0 * per_decision);
      g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 3.0 * 4);
      for (guint a = 0; a < n; a++)
        g_assert_cmpuint (mock_host_decisions (host, a)->len, ==, 3);
    }
}

/* The point of measuring gossip: with every message to agent 0 lost, agent 0 knows only its
 * own bid at its deadline and decides itself, while the others decide agent 2.  The mock host
 * records both decisions: a safety violation the real host's checker counts. */
static void
test_drops_disagree (void)
{
  const double scores[] = { 0.5, 0.2, 0.9 };
  g_autoptr (MockHost) host = cu_start ("gossip", 3, NULL);
  DmasSlot slot = cu_slot (7, 0, 1);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  cu_run_cut (host, 0);

  DmasBid own = { .job = 7, .agent = 0, .score = 0.5 };
  DmasBid best = { .job = 7, .agent = 2, .score = 0.9 };
  cu_assert_decided (host, 0, slot, own);
  cu_assert_decided (host, 1, slot, best);
  cu_assert_decided (host, 2, slot, best);
}

/* A lost round is repaired by the next one: with a single message lost, everyone agrees. */
static void
test_drop_repaired (void)
{
  const double scores[] = { 0.5, 0.2, 0.9 };
  g_autoptr (MockHost) host = cu_start ("gossip", 3, NULL);
  DmasSlot slot = cu_slot (8, 0, 1);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_drop_matching (host, 2, 0, MSG_GOSSIP), ==, 1);
  mock_host_run (host);
  cu_assert_all_decided (host, slot, cu_reference (8, scores, 3, NULL));
}

/* The best bidder crashes right after its first round: the survivors still decide, each a
 * bid that was placed, once. */
static void
test_crash_survivors_decide (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  g_autoptr (MockHost) host = cu_start ("gossip", 5, NULL);
  DmasSlot slot = cu_slot (9, 0, 0);
  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_crash_agent (host, 4);
  mock_host_run (host);
  for (guint a = 0; a < 4; a++)
    {
      const MockDecision *d = mock_host_decision (host, a, slot.job, slot.epoch);
      g_assert_nonnull (d);
      g_assert_cmpuint (cu_decisions_for (host, a, slot), ==, 1);
      g_assert_cmpuint (d->bid.agent, <, 5);
      g_assert_cmpfloat (d->bid.score, ==, scores[d->bid.agent]);
    }
  g_assert_null (mock_host_decision (host, 4, slot.job, slot.epoch));
}

static void
test_all_zero (void)
{
  g_autoptr (MockHost) host = cu_start ("gossip", 4, NULL);
  DmasSlot slot = cu_slot (11, 0, 1);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (cu_propose (host, a, slot, 0.0), ==, DMAS_OK);
  mock_host_run (host);
  DmasBid rejected = { .job = 11, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  cu_assert_all_decided (host, slot, rejected);
}

/* GOSSIP heard before the local proposal counts; the deadline runs from the proposal. */
static void
test_buffer_before_propose (void)
{
  const double scores[] = { 0.1, 0.3, 0.2 };
  g_autoptr (MockHost) host = cu_start ("gossip", 3, NULL);
  DmasSlot slot = cu_slot (12, 1, 0);
  g_assert_cmpint (cu_propose (host, 1, slot, scores[1]), ==, DMAS_OK);
  g_assert_cmpint (cu_propose (host, 2, slot, scores[2]), ==, DMAS_OK);
  mock_host_deliver_all (host);
  mock_host_advance (host, 50 * DMAS_MS);
  mock_host_deliver_all (host);
  g_assert_cmpint (cu_propose (host, 0, slot, scores[0]), ==, DMAS_OK);
  mock_host_run (host);
  DmasBid winner = cu_reference (12, scores, 3, NULL);
  g_assert_cmpuint (cu_assert_decided (host, 1, slot, winner)->at, ==, 200 * DMAS_MS);
  g_assert_cmpuint (cu_assert_decided (host, 0, slot, winner)->at, ==, 250 * DMAS_MS);
  g_assert_cmpint (cu_propose (host, 0, slot, scores[0]), ==, DMAS_ESTATE);
}

static void
test_malformed (void)
{
  g_autoptr (MockHost) host = cu_start ("gossip", 3, NULL);
  DmasSlot slot = cu_slot (13, 0, 0);
  uint8_t body[HEAD_LEN + 2 * ENTRY_LEN] = { 0 };
  dmas_put_u64 (body, 13);
  dmas_put_u32 (body + 12, 0);
  dmas_put_u32 (body + 16, 1);
  dmas_put_u32 (body + HEAD_LEN, 1);
  dmas_put_double (body + HEAD_LEN + 4, 0.99);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_GOSSIP, body, HEAD_LEN);  /* count */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, 5, body, HEAD_LEN + ENTRY_LEN); /* type */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 9, 0, MSG_GOSSIP, body, HEAD_LEN + ENTRY_LEN);
  dmas_put_double (body + HEAD_LEN + 4, NAN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_GOSSIP, body, HEAD_LEN + ENTRY_LEN);
  dmas_put_double (body + HEAD_LEN + 4, 0.99);
  dmas_put_u32 (body + HEAD_LEN, 3); /* no agent 3 */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_GOSSIP, body, HEAD_LEN + ENTRY_LEN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_GOSSIP, NULL, 0);
  g_assert_cmpuint (mock_host_deliver_all (host), ==, 6);
  g_assert_cmpfloat (mock_host_metric (host, "malformed"), ==, 6.0);

  const double scores[] = { 0.4, 0.5, 0.2 };
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_run (host);
  cu_assert_all_decided (host, slot, cu_reference (13, scores, 3, NULL));
}

static void
test_bad_parameters (void)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "gossip", "gossip", &error);
  g_assert_no_error (error);
  g_autoptr (MockHost) host = mock_host_new (2, 1);
  const gchar *const zero[] = { "fanout=0", NULL };
  g_assert_false (mock_host_start (host, c, zero, &error));
  g_assert_nonnull (strstr (error->message, "fanout and rounds must be >= 1"));
}

/* Same seed, same run: the peers drawn from each agent's stream decide the traffic. */
static void
test_deterministic (void)
{
  guint64 seed = g_test_rand_int ();
  guint64 sent[2];
  for (int run = 0; run < 2; run++)
    {
      g_autoptr (GError) error = NULL;
      const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "gossip", "gossip",
                                                    &error);
      g_assert_no_error (error);
      g_autoptr (MockHost) host = mock_host_new (8, seed);
      mock_host_start (host, c, NULL, &error);
      g_assert_no_error (error);
      DmasSlot slot = cu_slot (14, 0, 3);
      for (guint a = 0; a < 8; a++)
        g_assert_cmpint (cu_propose (host, a, slot, 0.1 * (a + 1)), ==, DMAS_OK);
      mock_host_run (host);
      sent[run] = mock_host_sent_bytes (host, DMAS_KIND_CONSENSUS);
    }
  g_assert_cmpuint (sent[0], ==, sent[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gossip/no-fault/agreement", test_no_fault_agreement);
  g_test_add_func ("/gossip/cost/messages-per-decision", test_messages_per_decision);
  g_test_add_func ("/gossip/drops/disagreement", test_drops_disagree);
  g_test_add_func ("/gossip/drops/repaired-by-next-round", test_drop_repaired);
  g_test_add_func ("/gossip/crash/survivors-decide", test_crash_survivors_decide);
  g_test_add_func ("/gossip/reject/all-zero", test_all_zero);
  g_test_add_func ("/gossip/buffer/before-propose", test_buffer_before_propose);
  g_test_add_func ("/gossip/malformed/ignored", test_malformed);
  g_test_add_func ("/gossip/api/bad-parameters", test_bad_parameters);
  g_test_add_func ("/gossip/random/same-seed-same-run", test_deterministic);
  return g_test_run ();
}
