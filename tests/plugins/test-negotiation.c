/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of consensus/negotiation (withdrawal rounds, stable leader), via the module. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "consensus-util.h"

/* negotiation.c's wire format: job u64 | epoch u32 | home u32 | round u32 | score f64 |
 * leader u32 | leader score f64. */
#define MSG_ROUND 1
#define BODY_LEN 40

static void
encode (uint8_t body[BODY_LEN], DmasJobId job, uint32_t epoch, DmasAgentId home, uint32_t round,
        double score, DmasAgentId leader, double leader_score)
{
  dmas_put_u64 (body, job);
  dmas_put_u32 (body + 8, epoch);
  dmas_put_u32 (body + 12, home);
  dmas_put_u32 (body + 16, round);
  dmas_put_double (body + 20, score);
  dmas_put_u32 (body + 28, leader);
  dmas_put_double (body + 32, leader_score);
}

static void
random_scores (double *scores, guint n)
{
  for (guint a = 0; a < n; a++)
    scores[a] = g_test_rand_int_range (0, 5) == 0 ? 0.0 : g_test_rand_int_range (1, 100) / 100.0;
}

/* Without faults every agent decides the best bid after k = 3 rounds of 50 ms. */
static void
test_no_fault_agreement (void)
{
  const guint sizes[] = { 1, 2, 3, 5, 8 };
  for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (DmasJobId job = 1; job <= 5; job++)
      {
        guint n = sizes[k];
        g_autoptr (MockHost) host = cu_start ("negotiation", n, NULL);
        double scores[8];
        random_scores (scores, n);
        DmasSlot slot = cu_slot (job, 0, (DmasAgentId) (job % n));
        for (guint a = 0; a < n; a++)
          g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
        mock_host_run (host);
        DmasBid winner = cu_reference (job, scores, n, NULL);
        for (guint a = 0; a < n; a++)
          g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 150 * DMAS_MS);
        g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
        g_assert_cmpfloat (mock_host_metric (host, "forced"), ==, 0.0);
        /* Every bid > 0 but the winner's was withdrawn once. */
        guint standing = 0;
        for (guint a = 0; a < n; a++)
          standing += scores[a] > 0.0 && a != winner.agent;
        g_assert_cmpfloat (mock_host_metric (host, "withdrawals"), ==, standing);
      }
}

/* Every agent broadcasts at round 0 and at ticks 1..k: n (n-1) (k+1) messages of 40 bytes per
 * decision, and the home counts k rounds. */
static void
test_messages_per_decision (void)
{
  const guint sizes[] = { 1, 2, 3, 5, 8 };
  const gint64 ks[] = { 1, 3, 5 };
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (ks); j++)
      {
        guint n = sizes[i];
        gint64 k = ks[j];
        g_autofree gchar *kparam = g_strdup_printf ("k=%" G_GINT64_FORMAT, k);
        const gchar *const params[] = { kparam, NULL };
        g_autoptr (MockHost) host = cu_start ("negotiation", n, params);
        for (DmasJobId job = 0; job < 3; job++)
          {
            DmasSlot slot = cu_slot (job, 0, (DmasAgentId) (job % n));
            for (guint a = 0; a < n; a++)
              g_assert_cmpint (cu_propose (host, a, slot, 0.1 * (a + 1)), ==, DMAS_OK);
          }
        mock_host_run (host);
        guint64 per_decision = (guint64) n * (n - 1) * (guint64) (k + 1);
        g_assert_cmpuint (mock_host_sent_messages (host, DMAS_KIND_CONSENSUS), ==,
                          3 * per_decision);
        g_assert_cmpuint (mock_host_sent_bytes (host, DMAS_KIND_CONSENSUS), ==,
                          3 * per_decision * BODY_LEN);
        g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 3.0 * (double) k);
        for (guint a = 0; a < n; a++)
          {
            g_assert_cmpuint (mock_host_decisions (host, a)->len, ==, 3);
            g_assert_cmpuint (g_array_index (mock_host_decisions (host, a), MockDecision, 0).at,
                              ==, (DmasTime) k * 50 * DMAS_MS);
          }
      }
}

/* A crashed minority (here the best bidder, before it could bid) does not stop the others. */
static void
test_crash_minority (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  const gboolean alive[] = { TRUE, TRUE, TRUE, TRUE, FALSE };
  g_autoptr (MockHost) host = cu_start ("negotiation", 5, NULL);
  DmasSlot slot = cu_slot (9, 0, 0);
  mock_host_crash_agent (host, 4);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_run (host);
  DmasBid winner = cu_reference (9, scores, 5, alive);
  g_assert_cmpuint (winner.agent, ==, 1);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 150 * DMAS_MS);
  g_assert_null (mock_host_decision (host, 4, slot.job, slot.epoch));
}

/* The best bidder crashes after its round-0 bid went out: its bid still leads and wins (the
 * host's recovery then re-announces the job with epoch + 1). */
static void
test_crash_after_bid (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  g_autoptr (MockHost) host = cu_start ("negotiation", 5, NULL);
  DmasSlot slot = cu_slot (10, 0, 2);
  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_deliver_all (host);
  mock_host_crash_agent (host, 4);
  mock_host_run (host);
  DmasBid winner = { .job = 10, .agent = 4, .score = 0.95 };
  for (guint a = 0; a < 4; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 150 * DMAS_MS);
}

/* With a majority crashed nobody hears a majority: the survivors keep polling past
 * max_rounds and give up `give_up` after their proposal without deciding -- no decision
 * without a quorum. */
static void
test_crash_majority (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  const gchar *const params[] = { "give_up=5s", NULL };
  g_autoptr (MockHost) host = cu_start ("negotiation", 5, params);
  DmasSlot slot = cu_slot (11, 0, 0);
  for (guint a = 2; a < 5; a++)
    mock_host_crash_agent (host, a);
  for (guint a = 0; a < 2; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_run (host);
  for (guint a = 0; a < 5; a++)
    g_assert_null (mock_host_decision (host, a, slot.job, slot.epoch));
  g_assert_cmpfloat (mock_host_metric (host, "no_quorum"), ==, 2.0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
  /* 1 s of 50 ms ticks, then 0.1, 0.2, 0.4, 0.8 s and 1.6 s until 5 s are past. */
  g_assert_cmpuint (mock_host_now (host), ==, 5 * DMAS_S + 700 * DMAS_MS);
}

/* An agent that hears nobody has no quorum: it polls on, and when the network heals, the
 * agents that decided long ago answer its ROUNDs and it decides the same winner. */
static void
test_drops_isolated_heals (void)
{
  const double scores[] = { 0.5, 0.2, 0.9 };
  g_autoptr (MockHost) host = cu_start ("negotiation", 3, NULL);
  DmasSlot slot = cu_slot (12, 0, 1);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  do
    cu_deliver_all_cut (host, 0);
  while (mock_host_now (host) < 3 * DMAS_S && mock_host_fire_next_timer (host));
  DmasBid best = { .job = 12, .agent = 2, .score = 0.9 };
  g_assert_null (mock_host_decision (host, 0, slot.job, slot.epoch));
  g_assert_cmpuint (cu_assert_decided (host, 1, slot, best)->at, ==, 150 * DMAS_MS);
  g_assert_cmpuint (cu_assert_decided (host, 2, slot, best)->at, ==, 150 * DMAS_MS);
  g_assert_cmpfloat (mock_host_metric (host, "no_quorum"), ==, 0.0);
  /* Answers went out all along (each of agent 0's ROUNDs past round 3), lost in the cut. */
  gdouble answered = mock_host_metric (host, "answers");
  g_assert_cmpfloat (answered, >, 0.0);

  /* Healed: agent 0's pending ROUND gets two answers, a majority; its decision tick still
   * broadcasts, and that ROUND is answered too (answers cannot tell who has decided). */
  mock_host_run (host);
  cu_assert_decided (host, 0, slot, best);
  g_assert_cmpfloat (mock_host_metric (host, "answers"), ==, answered + 4.0);
  g_assert_cmpfloat (mock_host_metric (host, "forced"), ==, 1.0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

/* No agreement under loss: every message from agents 3 and 4 to agents 0, 1 and 2 is lost.
 * Agents 0-2 still hear a majority (each other), never learn of agent 4's best bid, and
 * decide agent 1; agents 3 and 4 hear everyone and decide agent 4.  The mock host records
 * both decisions for the same slot: a safety violation for the real host's checker. */
static void
test_drops_disagree (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  g_autoptr (MockHost) host = cu_start ("negotiation", 5, NULL);
  DmasSlot slot = cu_slot (17, 0, 0);
  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  do
    for (;;)
      {
        for (DmasAgentId src = 3; src < 5; src++)
          for (DmasAgentId dst = 0; dst < 3; dst++)
            mock_host_drop_matching (host, src, dst, MOCK_ANY_TYPE);
        if (!mock_host_deliver_next (host))
          break;
      }
  while (mock_host_fire_next_timer (host));
  DmasBid minority = { .job = 17, .agent = 1, .score = 0.6 };
  DmasBid best = { .job = 17, .agent = 4, .score = 0.95 };
  for (guint a = 0; a < 3; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, minority)->at, ==, 150 * DMAS_MS);
  for (guint a = 3; a < 5; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, best)->at, ==, 150 * DMAS_MS);
}

/* A lost round-0 bid is repaired by a third agent's view of the leader. */
static void
test_relayed_leader (void)
{
  const double scores[] = { 0.5, 0.2, 0.9 };
  g_autoptr (MockHost) host = cu_start ("negotiation", 3, NULL);
  DmasSlot slot = cu_slot (13, 0, 0);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  /* Agent 2's round-0 bid to agent 0 is lost: agent 0 leads in its own view at tick 1, learns
   * of agent 2 from the tick-1 messages (agent 2's own, and agent 1's view of the leader), and
   * so needs one tick more than the others to see the leader stable for k = 3 ticks. */
  mock_host_drop (host, (guint) mock_host_find (host, 2, 0, MSG_ROUND));
  mock_host_run (host);
  DmasBid winner = cu_reference (13, scores, 3, NULL);
  g_assert_cmpuint (cu_assert_decided (host, 0, slot, winner)->at, ==, 200 * DMAS_MS);
  g_assert_cmpuint (cu_assert_decided (host, 1, slot, winner)->at, ==, 150 * DMAS_MS);
  g_assert_cmpuint (cu_assert_decided (host, 2, slot, winner)->at, ==, 150 * DMAS_MS);
}

/* The same loss with max_rounds = k = 3: agent 0's leader has been stable for two ticks only
 * when tick 3 comes; it hears a majority, so it decides the best bid it knows ("forced"). */
static void
test_forced_at_max_rounds (void)
{
  const double scores[] = { 0.5, 0.2, 0.9 };
  const gchar *const params[] = { "max_rounds=3", NULL };
  g_autoptr (MockHost) host = cu_start ("negotiation", 3, params);
  DmasSlot slot = cu_slot (18, 0, 0);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_drop (host, (guint) mock_host_find (host, 2, 0, MSG_ROUND));
  mock_host_run (host);
  DmasBid winner = cu_reference (18, scores, 3, NULL);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 150 * DMAS_MS);
  g_assert_cmpfloat (mock_host_metric (host, "forced"), ==, 1.0);
}

/* A withdrawal that overtakes the bid it withdraws still wins: the newer round counts. */
static void
test_reordered_withdrawal (void)
{
  const gchar *const params[] = { "k=1", NULL };
  g_autoptr (MockHost) host = cu_start ("negotiation", 2, params);
  DmasSlot slot = cu_slot (14, 0, 0);
  uint8_t body[BODY_LEN];
  g_assert_cmpint (cu_propose (host, 0, slot, 0.3), ==, DMAS_OK);
  encode (body, 14, 0, 0, 1, 0.0, 0, 0.3);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ROUND, body, BODY_LEN);
  encode (body, 14, 0, 0, 0, 0.9, 1, 0.9);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ROUND, body, BODY_LEN);
  mock_host_run (host);
  DmasBid own = { .job = 14, .agent = 0, .score = 0.3 };
  cu_assert_decided (host, 0, slot, own);
}

static void
test_all_zero (void)
{
  g_autoptr (MockHost) host = cu_start ("negotiation", 4, NULL);
  DmasSlot slot = cu_slot (15, 0, 1);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (cu_propose (host, a, slot, 0.0), ==, DMAS_OK);
  mock_host_run (host);
  DmasBid rejected = { .job = 15, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  cu_assert_all_decided (host, slot, rejected);
}

static void
test_malformed (void)
{
  g_autoptr (MockHost) host = cu_start ("negotiation", 3, NULL);
  uint8_t body[BODY_LEN + 1] = { 0 };
  encode (body, 16, 0, 0, 0, 0.5, 1, 0.5);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ROUND, body, BODY_LEN - 1);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ROUND, body, BODY_LEN + 1);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, 9, body, BODY_LEN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 7, 0, MSG_ROUND, body, BODY_LEN);
  encode (body, 16, 0, 0, 0, NAN, 1, 0.5);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ROUND, body, BODY_LEN);
  encode (body, 16, 0, 0, 0, 0.5, DMAS_AGENT_NONE, 0.5); /* "none" with a score */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ROUND, body, BODY_LEN);
  encode (body, 16, 0, 5, 0, 0.5, 1, 0.5); /* no home 5 */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ROUND, body, BODY_LEN);
  g_assert_cmpuint (mock_host_deliver_all (host), ==, 7);
  g_assert_cmpfloat (mock_host_metric (host, "malformed"), ==, 7.0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

static void
test_bad_parameters (void)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "negotiation",
                                                "negotiation", &error);
  g_assert_no_error (error);
  g_autoptr (MockHost) host = mock_host_new (2, 1);
  const gchar *const bad[] = { "k=5", "max_rounds=4", NULL };
  g_assert_false (mock_host_start (host, c, bad, &error));
  g_assert_nonnull (strstr (error->message, "1 <= k <= max_rounds"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/negotiation/no-fault/agreement", test_no_fault_agreement);
  g_test_add_func ("/negotiation/cost/messages-per-decision", test_messages_per_decision);
  g_test_add_func ("/negotiation/crash/minority", test_crash_minority);
  g_test_add_func ("/negotiation/crash/after-bid", test_crash_after_bid);
  g_test_add_func ("/negotiation/crash/majority-no-decision", test_crash_majority);
  g_test_add_func ("/negotiation/drops/isolated-heals", test_drops_isolated_heals);
  g_test_add_func ("/negotiation/drops/disagreement", test_drops_disagree);
  g_test_add_func ("/negotiation/drops/relayed-leader", test_relayed_leader);
  g_test_add_func ("/negotiation/drops/forced-at-max-rounds", test_forced_at_max_rounds);
  g_test_add_func ("/negotiation/network/reordered-withdrawal", test_reordered_withdrawal);
  g_test_add_func ("/negotiation/reject/all-zero", test_all_zero);
  g_test_add_func ("/negotiation/malformed/ignored", test_malformed);
  g_test_add_func ("/negotiation/api/bad-parameters", test_bad_parameters);
  return g_test_run ();
}
