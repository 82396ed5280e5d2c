/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mock host's services: sign/verify, persist/restore, crashing one agent, plausibility. */
#include "config.h"

#include <string.h>

#include "mock-host.h"

/* auction for consensus (it sets timers and sends), heuristic for bidding. */
static MockHost *
start (guint n)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *cons = mock_component_load (DMAS_KIND_CONSENSUS, "auction", "auction",
                                                   &error);
  g_assert_no_error (error);
  const DmasComponent *bid = mock_component_load (DMAS_KIND_BIDDING, "heuristic", "heuristic",
                                                  &error);
  g_assert_no_error (error);
  MockHost *host = mock_host_new (n, g_test_rand_int ());
  g_assert_true (mock_host_start (host, bid, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mock_host_start (host, cons, NULL, &error));
  g_assert_no_error (error);
  return host;
}

static void
test_sign_verify (void)
{
  g_autoptr (MockHost) host = start (3);
  DmasCtx *a0 = mock_host_ctx (host, 0, DMAS_KIND_CONSENSUS);
  DmasCtx *a1 = mock_host_ctx (host, 1, DMAS_KIND_CONSENSUS);
  const DmasHostApi *api = a0->api;
  guint8 data[12] = "bid 0.75 j7";
  guint8 sig[DMAS_SIG_SIZE], sig1[DMAS_SIG_SIZE];
  g_assert_cmpint (api->sign (a0, data, sizeof data, sig), ==, DMAS_OK);
  /* Anyone verifies; only the signer's own signature passes. */
  g_assert_cmpint (api->verify (a1, 0, data, sizeof data, sig), ==, 1);
  g_assert_cmpint (api->verify (a0, 0, data, sizeof data, sig), ==, 1);
  g_assert_cmpint (api->verify (a1, 1, data, sizeof data, sig), ==, 0);
  g_assert_cmpint (api->sign (a1, data, sizeof data, sig1), ==, DMAS_OK);
  g_assert_cmpint (api->verify (a1, 0, data, sizeof data, sig1), ==, 0);
  /* The bidding instance of agent 0 signs as agent 0 too. */
  DmasCtx *b0 = mock_host_ctx (host, 0, DMAS_KIND_BIDDING);
  g_assert_cmpint (api->sign (b0, data, sizeof data, sig1), ==, DMAS_OK);
  g_assert_cmpmem (sig, sizeof sig, sig1, sizeof sig1);
  data[3] ^= 1;
  g_assert_cmpint (api->verify (a1, 0, data, sizeof data, sig), ==, 0);
  data[3] ^= 1;
  sig[0] ^= 0x80;
  g_assert_cmpint (api->verify (a1, 0, data, sizeof data, sig), ==, 0);
  g_assert_cmpint (api->verify (a1, 3, data, sizeof data, sig), ==, DMAS_ENOENT);
}

static void
test_persist_restore (void)
{
  g_autoptr (MockHost) host = start (2);
  DmasCtx *c0 = mock_host_ctx (host, 0, DMAS_KIND_CONSENSUS);
  DmasCtx *c1 = mock_host_ctx (host, 1, DMAS_KIND_CONSENSUS);
  DmasCtx *b0 = mock_host_ctx (host, 0, DMAS_KIND_BIDDING);
  const DmasHostApi *api = c0->api;
  size_t len = 7;
  g_assert_null (api->restore (c0, "term", &len));
  g_assert_cmpuint (len, ==, 0);
  g_assert_cmpint (api->persist (c0, "term", "\x05", 1), ==, DMAS_OK);
  const guint8 *v = api->restore (c0, "term", &len);
  g_assert_cmpmem (v, len, "\x05", 1);
  g_assert_cmpint (api->persist (c0, "term", "\x06\x07", 2), ==, DMAS_OK); /* replace */
  v = api->restore (c0, "term", &len);
  g_assert_cmpmem (v, len, "\x06\x07", 2);
  /* per agent and per kind */
  g_assert_null (api->restore (c1, "term", NULL));
  g_assert_null (api->restore (b0, "term", NULL));
  g_assert_cmpint (api->persist (b0, "term", "b", 1), ==, DMAS_OK);
  v = api->restore (c0, "term", &len);
  g_assert_cmpmem (v, len, "\x06\x07", 2);
  /* caps */
  g_autofree gchar *long_key = g_strnfill (DMAS_STORAGE_KEY_MAX + 1, 'k');
  g_assert_cmpint (api->persist (c0, long_key, "v", 1), ==, DMAS_EINVAL);
  g_assert_cmpint (api->persist (c0, "v", "v", (size_t) DMAS_STORAGE_VALUE_MAX + 1), ==,
                   DMAS_EINVAL);
  g_assert_cmpuint (mock_host_storage_writes (host), ==, 3);
  v = mock_host_storage (host, 0, DMAS_KIND_BIDDING, "term", &len);
  g_assert_cmpmem (v, len, "b", 1);
}

/* A crash destroys the agent's instances (their timers with them) and keeps its storage; its
 * messages are undeliverable until the restart makes new instances. */
static void
test_crash_restart (void)
{
  g_autoptr (MockHost) host = start (3);
  DmasCtx *c1 = mock_host_ctx (host, 1, DMAS_KIND_CONSENSUS);
  g_assert_cmpint (c1->api->persist (c1, "vote", "2", 1), ==, DMAS_OK);

  /* Agent 1 homes a job: auction sets its deadline timer; agent 0's bid is in flight to it. */
  const DmasSlot slot = { .job = 1, .epoch = 0, .home = 1 };
  const DmasBid b1 = { .job = 1, .agent = 1, .score = 0.5 };
  const DmasBid b0 = { .job = 1, .agent = 0, .score = 0.25 };
  g_assert_cmpint (mock_host_propose (host, 1, &slot, &b1), ==, DMAS_OK);
  g_assert_cmpint (mock_host_propose (host, 0, &slot, &b0), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_n_timers (host), >=, 1);
  g_assert_cmpint (mock_host_find (host, 0, 1, MOCK_ANY_TYPE), >=, 0);

  mock_host_crash_agent (host, 1);
  g_assert_false (mock_host_agent_is_up (host, 1));
  g_assert_null (mock_host_instance (host, 1, DMAS_KIND_CONSENSUS));
  g_assert_null (mock_host_instance (host, 1, DMAS_KIND_BIDDING));
  g_assert_null (mock_host_ctx (host, 1, DMAS_KIND_CONSENSUS));
  /* Its deadline died with it; agent 0's timer to ask for the award stays (auction.c). */
  g_assert_cmpuint (mock_host_n_timers (host), ==, 1);
  mock_host_deliver_all (host);
  g_assert_cmpuint (mock_host_undeliverable (host), >=, 1);
  g_assert_cmpuint (mock_host_decisions (host, 1)->len, ==, 0);
  gsize len = 0;
  g_assert_nonnull (mock_host_storage (host, 1, DMAS_KIND_CONSENSUS, "vote", &len));
  mock_host_crash_agent (host, 1); /* no-op */

  g_autoptr (GError) error = NULL;
  g_assert_true (mock_host_restart_agent (host, 1, &error));
  g_assert_no_error (error);
  g_assert_true (mock_host_agent_is_up (host, 1));
  g_assert_nonnull (mock_host_instance (host, 1, DMAS_KIND_CONSENSUS));
  g_assert_nonnull (mock_host_instance (host, 1, DMAS_KIND_BIDDING));
  DmasCtx *again = mock_host_ctx (host, 1, DMAS_KIND_CONSENSUS);
  const guint8 *v = again->api->restore (again, "vote", &len);
  g_assert_cmpmem (v, len, "2", 1);
  /* The new instance works: a new slot homed at 1 decides. */
  const DmasSlot slot2 = { .job = 2, .epoch = 0, .home = 1 };
  for (DmasAgentId a = 0; a < 3; a++)
    {
      const DmasBid b = { .job = 2, .agent = a, .score = 0.1 * (a + 1) };
      g_assert_cmpint (mock_host_propose (host, a, &slot2, &b), ==, DMAS_OK);
    }
  mock_host_run (host);
  for (DmasAgentId a = 0; a < 3; a++)
    {
      const MockDecision *d = mock_host_decision (host, a, 2, 0);
      g_assert_nonnull (d);
      g_assert_cmpuint (d->bid.agent, ==, 2);
    }
}

/* bid_plausible() answers from the scripted impossible claims, accuse() is counted once per
 * pair, llm_request()/secret() refuse (no llm), and an older host's table lacks them. */
static void
test_plausible_accuse_llm (void)
{
  g_autoptr (MockHost) host = start (3);
  DmasCtx *a0 = mock_host_ctx (host, 0, DMAS_KIND_CONSENSUS);
  DmasCtx *b1 = mock_host_ctx (host, 1, DMAS_KIND_BIDDING);
  const DmasHostApi *api = a0->api;
  mock_host_set_implausible (host, 7, 2);
  const DmasSlot s7 = { .job = 7, .epoch = 0, .home = 0 };
  const DmasSlot s8 = { .job = 8, .epoch = 0, .home = 0 };
  DmasBid bid = { .job = 7, .agent = 2, .score = 1.0 };
  g_assert_cmpint (api->bid_plausible (a0, &s7, &bid), ==, 0);
  bid.score = 0.0; /* declining is always honest */
  g_assert_cmpint (api->bid_plausible (a0, &s7, &bid), ==, 1);
  bid = (DmasBid){ .job = 8, .agent = 2, .score = -0.5 }; /* garbage is never honest */
  g_assert_cmpint (api->bid_plausible (a0, &s8, &bid), ==, 0);
  bid.score = 1.5; /* scores are bounded below only */
  g_assert_cmpint (api->bid_plausible (a0, &s8, &bid), ==, 1);
  g_assert_cmpint (api->bid_plausible (a0, &s7, &bid), ==, DMAS_EINVAL); /* job 8 != slot 7 */
  bid = (DmasBid){ .job = 8, .agent = 2, .score = 1.0 };
  g_assert_cmpint (api->bid_plausible (a0, &s8, &bid), ==, 1);
  bid = (DmasBid){ .job = 7, .agent = 1, .score = 0.5 };
  g_assert_cmpint (api->bid_plausible (a0, &s7, &bid), ==, 1);
  bid.agent = 3;
  g_assert_cmpint (api->bid_plausible (a0, &s7, &bid), ==, DMAS_ENOENT);

  g_assert_cmpint (api->accuse (a0, 2), ==, DMAS_OK);
  g_assert_cmpint (api->accuse (a0, 2), ==, DMAS_OK);
  g_assert_cmpint (api->accuse (b1, 2), ==, DMAS_OK);
  g_assert_cmpint (api->accuse (a0, 9), ==, DMAS_ENOENT);
  g_assert_cmpuint (mock_host_accusations (host)->len, ==, 2);
  g_assert_cmpuint (mock_host_accuse_calls (host), ==, 3);
  g_assert_true (mock_host_accused (host, 0, 2));
  g_assert_true (mock_host_accused (host, 1, 2));
  g_assert_false (mock_host_accused (host, 2, 0));

  g_assert_cmpint (api->llm_request (b1, NULL, NULL, NULL, NULL), ==, DMAS_ESTATE);
  g_assert_null (api->secret (b1, "HOME"));

  mock_host_set_abi_minor (host, 2);
  g_assert_cmpuint (a0->api->abi_minor, ==, 2);
  g_assert_null (a0->api->bid_plausible);
  g_assert_null (a0->api->llm_request);
  g_assert_null (a0->api->secret);
  g_assert_nonnull (a0->api->accuse);
  mock_host_set_abi_minor (host, DMAS_ABI_MINOR);
  g_assert_nonnull (a0->api->bid_plausible);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mock-host/services/sign-verify", test_sign_verify);
  g_test_add_func ("/mock-host/services/persist-restore", test_persist_restore);
  g_test_add_func ("/mock-host/services/crash-restart", test_crash_restart);
  g_test_add_func ("/mock-host/services/plausible-accuse-llm", test_plausible_accuse_llm);
  return g_test_run ();
}
