/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of consensus/weighted-voting (weighted majority, re-votes), via the module. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "consensus-util.h"

/* weighted-voting.c's wire format:
 * BID:  job u64 | epoch u32 | home u32 | score f64
 * VOTE: job u64 | epoch u32 | home u32 | round u32 | candidate u32 | candidate score f64 */
#define MSG_BID 1
#define MSG_VOTE 2
#define BID_LEN 24
#define VOTE_LEN 32

static void
random_scores (double *scores, guint n)
{
  for (guint a = 0; a < n; a++)
    scores[a] = g_test_rand_int_range (0, 5) == 0 ? 0.0 : g_test_rand_int_range (1, 100) / 100.0;
}

/* Without faults everyone sees every bid and votes alike: one round, decided at once. */
static void
test_no_fault_agreement (void)
{
  const guint sizes[] = { 1, 2, 3, 5, 8 };
  for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (DmasJobId job = 1; job <= 5; job++)
      {
        guint n = sizes[k];
        g_autoptr (GString) weights = g_string_new ("weights=");
        for (guint a = 0; a < n; a++)
          g_string_append_printf (weights, "%s%d.5", a ? "," : "", g_test_rand_int_range (0, 4));
        const gchar *const params[] = { weights->str, NULL };
        g_autoptr (MockHost) host = cu_start ("weighted-voting", n, job % 2 ? params : NULL);
        double scores[8];
        random_scores (scores, n);
        DmasSlot slot = cu_slot (job, 0, (DmasAgentId) (job % n));
        for (guint a = 0; a < n; a++)
          g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
        mock_host_run (host);
        DmasBid winner = cu_reference (job, scores, n, NULL);
        for (guint a = 0; a < n; a++)
          g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 0);
        g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
        g_assert_cmpfloat (mock_host_metric (host, "revotes"), ==, 0.0);
      }
}

/* n (n-1) BIDs of 24 bytes and n (n-1) VOTEs of 32 bytes: 2 n (n-1) messages per decision. */
static void
test_messages_per_decision (void)
{
  const guint sizes[] = { 1, 2, 3, 5, 8 };
  for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      guint n = sizes[k];
      g_autoptr (MockHost) host = cu_start ("weighted-voting", n, NULL);
      for (DmasJobId job = 0; job < 3; job++)
        {
          DmasSlot slot = cu_slot (job, 0, (DmasAgentId) (job % n));
          for (guint a = 0; a < n; a++)
            g_assert_cmpint (cu_propose (host, a, slot, 0.1 * (a + 1)), ==, DMAS_OK);
        }
      mock_host_run (host);
      guint64 pairs = (guint64) n * (n - 1);
      g_assert_cmpuint (mock_host_sent_messages (host, DMAS_KIND_CONSENSUS), ==, 3 * 2 * pairs);
      g_assert_cmpuint (mock_host_sent_bytes (host, DMAS_KIND_CONSENSUS), ==,
                        3 * pairs * (BID_LEN + VOTE_LEN));
      g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 3.0);
      for (guint a = 0; a < n; a++)
        g_assert_cmpuint (mock_host_decisions (host, a)->len, ==, 3);
    }
}

/* A crashed agent never bids: the others vote when their window closes and still decide. */
static void
test_crash_minority (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  const gboolean alive[] = { TRUE, TRUE, TRUE, TRUE, FALSE };
  const gchar *const params[] = { "weights=1,1,1,1,3", NULL }; /* 4 of 7 left: > 3.5 */
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 5, params);
  DmasSlot slot = cu_slot (9, 0, 0);
  mock_host_crash_agent (host, 4);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_run (host);
  DmasBid winner = cu_reference (9, scores, 5, alive);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 100 * DMAS_MS);
}

/* The survivors hold exactly half the weight: no decision, ever, without a weighted quorum;
 * every agent re-votes up to max_rounds and stops. */
static void
test_no_quorum (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  const gchar *const params[] = { "weights=1,1,1,1,4", NULL };
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 5, params);
  DmasSlot slot = cu_slot (10, 0, 0);
  mock_host_crash_agent (host, 4);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_run (host);
  for (guint a = 0; a < 5; a++)
    g_assert_null (mock_host_decision (host, a, slot.job, slot.epoch));
  g_assert_cmpfloat (mock_host_metric (host, "revotes"), ==, 4 * 4);
  g_assert_cmpfloat (mock_host_metric (host, "exhausted"), ==, 4);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

/* Agent 4, the best bidder, reaches only agents 0 and 1 before crashing.  Round 1 splits
 * 2 : 2 and nobody wins; every agent re-votes for the heavier candidate -- a tie, broken by
 * dmas_tiebreak -- and round 2 decides it for everyone. */
static void
test_split_revote (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 5, NULL);
  DmasSlot slot = cu_slot (11, 0, 0);
  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_drop_matching (host, 4, 2, MSG_BID), ==, 1);
  g_assert_cmpuint (mock_host_drop_matching (host, 4, 3, MSG_BID), ==, 1);
  mock_host_crash_agent (host, 4);
  mock_host_run (host);

  DmasBid best = { .job = 11, .agent = 4, .score = 0.95 };
  DmasBid second = { .job = 11, .agent = 1, .score = 0.6 };
  DmasBid winner = dmas_tiebreak (11, 4) > dmas_tiebreak (11, 1) ? best : second;
  /* Agents 0 and 1 re-vote at 300 ms, agent 2 (who voted at 100 ms) at 400 ms: three votes
   * of five win, and agent 3, whose timer is due at the same instant, decides first. */
  for (guint a = 0; a < 4; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, winner)->at, ==, 400 * DMAS_MS);
  g_assert_cmpfloat (mock_host_metric (host, "revotes"), ==, 3.0);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 2.0);
}

/* The same split with agent 0 weighing 3 of 7: agents 0 and 1 carry 4 > 3.5 in round 1, and
 * agents 2 and 3 decide agent 4 from their votes before they even vote. */
static void
test_weights_decide (void)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  const gchar *const params[] = { "weights=3", NULL };
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 5, params);
  DmasSlot slot = cu_slot (12, 0, 0);
  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_drop_matching (host, 4, 2, MSG_BID);
  mock_host_drop_matching (host, 4, 3, MSG_BID);
  mock_host_crash_agent (host, 4);
  mock_host_run (host);
  DmasBid best = { .job = 12, .agent = 4, .score = 0.95 };
  for (guint a = 0; a < 4; a++)
    g_assert_cmpuint (cu_assert_decided (host, a, slot, best)->at, ==, 0);
  g_assert_cmpfloat (mock_host_metric (host, "revotes"), ==, 0.0);
}

/* Agent 0 loses every round-1 VOTE: it re-votes in round 2, and the agents that decided answer
 * that round with their decision, so it catches up on the same winner. */
static void
test_lost_votes_catch_up (void)
{
  const double scores[] = { 0.5, 0.2, 0.9 };
  DmasSlot slot = cu_slot (13, 0, 1);
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 3, NULL);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  for (;;)
    {
      mock_host_drop_matching (host, MOCK_ANY_AGENT, 0, MSG_VOTE);
      if (!mock_host_deliver_next (host))
        break;
    }
  g_assert_null (mock_host_decision (host, 0, 13, 0));
  mock_host_run (host);
  DmasBid best = cu_reference (13, scores, 3, NULL);
  g_assert_cmpuint (cu_assert_decided (host, 0, slot, best)->at, ==, 300 * DMAS_MS);
  g_assert_cmpuint (cu_assert_decided (host, 1, slot, best)->at, ==, 0);
  g_assert_cmpuint (cu_assert_decided (host, 2, slot, best)->at, ==, 0);
  g_assert_cmpfloat (mock_host_metric (host, "revotes"), ==, 1.0);
}

static void
test_all_zero (void)
{
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 4, NULL);
  DmasSlot slot = cu_slot (14, 0, 1);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (cu_propose (host, a, slot, 0.0), ==, DMAS_OK);
  mock_host_run (host);
  DmasBid rejected = { .job = 14, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  cu_assert_all_decided (host, slot, rejected);
}

/* Duplicated VOTEs count once: a voter cannot make up a majority alone. */
static void
test_duplicate_votes (void)
{
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 5, NULL);
  uint8_t body[VOTE_LEN];
  dmas_put_u64 (body, 15);
  dmas_put_u32 (body + 8, 0);
  dmas_put_u32 (body + 12, 0);
  dmas_put_u32 (body + 16, 1);
  dmas_put_u32 (body + 20, 1);
  dmas_put_double (body + 24, 0.7);
  for (int i = 0; i < 5; i++)
    mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_VOTE, body, VOTE_LEN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 2, 0, MSG_VOTE, body, VOTE_LEN);
  mock_host_deliver_all (host);
  g_assert_null (mock_host_decision (host, 0, 15, 0));
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 3, 0, MSG_VOTE, body, VOTE_LEN);
  mock_host_deliver_all (host);
  DmasBid winner = { .job = 15, .agent = 1, .score = 0.7 };
  cu_assert_decided (host, 0, cu_slot (15, 0, 0), winner);
  /* Its own proposal afterwards changes nothing. */
  g_assert_cmpint (cu_propose (host, 0, cu_slot (15, 0, 0), 0.2), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_n_queued (host), ==, 0);
  g_assert_cmpuint (cu_decisions_for (host, 0, cu_slot (15, 0, 0)), ==, 1);
  g_assert_cmpint (cu_propose (host, 0, cu_slot (15, 0, 0), 0.2), ==, DMAS_ESTATE);
}

static void
test_malformed (void)
{
  g_autoptr (MockHost) host = cu_start ("weighted-voting", 3, NULL);
  uint8_t body[VOTE_LEN] = { 0 };
  dmas_put_u64 (body, 16);
  dmas_put_u32 (body + 16, 1);
  dmas_put_u32 (body + 20, 2);
  dmas_put_double (body + 24, 0.5);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_VOTE, body, VOTE_LEN - 1);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, VOTE_LEN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, 3, body, VOTE_LEN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 8, 0, MSG_VOTE, body, VOTE_LEN);
  dmas_put_u32 (body + 16, 0); /* round 0 */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_VOTE, body, VOTE_LEN);
  dmas_put_u32 (body + 16, 6); /* beyond max_rounds */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_VOTE, body, VOTE_LEN);
  dmas_put_u32 (body + 16, 1);
  dmas_put_u32 (body + 20, 9); /* no candidate 9 */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_VOTE, body, VOTE_LEN);
  dmas_put_u32 (body + 20, 2);
  dmas_put_double (body + 24, NAN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_VOTE, body, VOTE_LEN);
  dmas_put_double (body + 16, -1.0); /* a BID with a negative score */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, BID_LEN);
  g_assert_cmpuint (mock_host_deliver_all (host), ==, 9);
  g_assert_cmpfloat (mock_host_metric (host, "malformed"), ==, 9.0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

static void
test_bad_parameters (void)
{
  const gchar *const cases[][2] = {
    { "weights=2,x", "entry 2 is not a number" },
    { "weights=1,1,1", "more values than the 2 agents" },
    { "weights=0,0", "sum to 0" },
    { "weights=1,-1", "entry 2 is not a number >= 0" },
    { "max_rounds=0", "max_rounds in 1..1000" },
  };
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "weighted-voting",
                                                "weighted-voting", &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MockHost) host = mock_host_new (2, 1);
      const gchar *const params[] = { cases[i][0], NULL };
      g_assert_false (mock_host_start (host, c, params, &error));
      g_assert_nonnull (strstr (error->message, cases[i][1]));
      g_clear_error (&error);
    }
}

/* The split of test_weights_decide under specialisation weights.  By default the gpu agent 0
 * weighs 1.5 and the four general ones 1 (of 5.5): agents 0 and 1 carry 2.5, not more than
 * half, so round 1 decides nothing and the re-vote settles it.  With gpu=3 agent 0 weighs 3
 * of 7, as with weights=3, and the same votes decide agent 4 at once. */
static void
run_split (MockHost *host, DmasJobId job)
{
  const double scores[] = { 0.3, 0.6, 0.1, 0.4, 0.95 };
  DmasSlot slot = cu_slot (job, 0, 0);
  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
  mock_host_drop_matching (host, 4, 2, MSG_BID);
  mock_host_drop_matching (host, 4, 3, MSG_BID);
  mock_host_crash_agent (host, 4);
  mock_host_run (host);
}

static void
test_specialisation_weights (void)
{
  DmasBid best = { .job = 17, .agent = 4, .score = 0.95 };
  {
    const gchar *const params[] = { "specialisations=gpu,general,general, general ,general",
                                    NULL };
    g_autoptr (MockHost) host = cu_start ("weighted-voting", 5, params);
    run_split (host, 17);
    g_assert_cmpfloat (mock_host_metric (host, "revotes"), >, 0.0);
    for (guint a = 0; a < 4; a++)
      g_assert_cmpuint (cu_assert_decided (host, a, cu_slot (17, 0, 0), best)->at, >, 0);
  }
  const gchar *const same[][3] = {
    { "specialisations=gpu,general,general,general,general", "specialisation_weights=gpu=3",
      NULL },
    { "specialisations=network,memory,memory,memory,memory",
      "specialisation_weights= memory = 1 ,network=3", NULL },
    { "weights=3", NULL, NULL },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (same); k++)
    {
      g_autoptr (MockHost) host = cu_start ("weighted-voting", 5, same[k]);
      run_split (host, 17);
      for (guint a = 0; a < 4; a++)
        g_assert_cmpuint (cu_assert_decided (host, a, cu_slot (17, 0, 0), best)->at, ==, 0);
      g_assert_cmpfloat (mock_host_metric (host, "revotes"), ==, 0.0);
    }
}

/* The default table: gpu, memory, storage, general weigh 1.5, 1.25, 1, 1 (of 4.75), exactly
 * as if written out.  Agent 3, the best bidder, reaches only agents 0 and 1 before crashing:
 * their 2.75 is a weighted majority at once, where two plain votes of four are not. */
static void
test_specialisation_default_table (void)
{
  const gchar *const by_name[] = { "specialisations=gpu,memory,storage,general", NULL };
  const gchar *const by_number[] = { "weights=1.5,1.25,1,1", NULL };
  const gchar *const plain[] = { "weights=1,1,1,1", NULL };
  const gchar *const *const runs[] = { by_name, by_number, plain };
  const double scores[] = { 0.3, 0.6, 0.1, 0.95 };
  const DmasBid best = { .job = 18, .agent = 3, .score = 0.95 };
  const DmasSlot slot = cu_slot (18, 0, 0);
  DmasTime at[3][3];
  guint64 messages[3];
  for (gsize r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_autoptr (MockHost) host = cu_start ("weighted-voting", 4, runs[r]);
      for (guint a = 0; a < 4; a++)
        g_assert_cmpint (cu_propose (host, a, slot, scores[a]), ==, DMAS_OK);
      g_assert_cmpuint (mock_host_drop_matching (host, 3, 2, MSG_BID), ==, 1);
      mock_host_crash_agent (host, 3);
      mock_host_run (host);
      for (guint a = 0; a < 3; a++)
        at[r][a] = cu_assert_decided (host, a, slot, best)->at;
      messages[r] = mock_host_sent_messages (host, DMAS_KIND_CONSENSUS);
    }
  for (guint a = 0; a < 3; a++)
    {
      g_assert_cmpuint (at[0][a], ==, 0);
      g_assert_cmpuint (at[1][a], ==, at[0][a]);
      g_assert_cmpuint (at[2][a], >, 0);
    }
  g_assert_cmpuint (messages[0], ==, messages[1]);
  g_assert_cmpuint (messages[2], >, messages[0]);

  /* The documented default, which the runs above depend on. */
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "weighted-voting",
                                                "weighted-voting", &error);
  g_assert_no_error (error);
  const DmasParamSpec *p = c->params;
  while (p->name != NULL && strcmp (p->name, "specialisation_weights") != 0)
    p++;
  g_assert_cmpstr (p->default_value, ==,
                   "gpu=1.5,memory=1.25,compute=1.25,storage=1,network=1,general=1");
}

static void
test_specialisation_bad_parameters (void)
{
  const gchar *const cases[][3] = {
    { "weights=2", "specialisations=gpu,gpu", "weights and specialisations are both set" },
    { "specialisations=gpu,cpu", NULL, "specialisations \"gpu,cpu\": entry 2 is not one of "
                                       "gpu, memory" },
    { "specialisations=gpu", NULL, "names 1 agents, the platform has 2; give one per agent" },
    { "specialisations=gpu,memory,", NULL, "entry 3 is not one of" },
    { "specialisations=gpu,,", NULL, "entry 2 is not one of" },
    { "specialisations=GPU,memory", NULL, "entry 1 is not one of" },
    { "specialisation_weights=gpu=x", NULL, "entry 1 is not NAME=WEIGHT" },
    { "specialisation_weights=gpu=1,gpu=2", NULL, "gives gpu twice" },
    { "specialisation_weights=gpu=1,cpu=2", NULL, "entry 2 is not NAME=WEIGHT" },
    { "specialisation_weights=gpu=-1", NULL, "entry 1 is not NAME=WEIGHT" },
    { "specialisation_weights=gpu", NULL, "entry 1 is not NAME=WEIGHT" },
    { "specialisation_weights=gpu=1,", NULL, "entry 2 is not NAME=WEIGHT" },
    { "specialisation_weights=gpu=1 2", NULL, "entry 1 is not NAME=WEIGHT" },
    { "specialisations=gpu,memory", "specialisation_weights=gpu=0,memory=0",
      "specialisations \"gpu,memory\" sum to 0" },
  };
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "weighted-voting",
                                                "weighted-voting", &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MockHost) host = mock_host_new (2, 1);
      const gchar *const params[] = { cases[i][0], cases[i][1], NULL };
      g_assert_false (mock_host_start (host, c, params, &error));
      if (strstr (error->message, cases[i][2]) == NULL)
        g_error ("case %s %s: \"%s\" does not contain \"%s\"", cases[i][0],
                 cases[i][1] != NULL ? cases[i][1] : "", error->message, cases[i][2]);
      g_clear_error (&error);
    }
  /* "" is none: the old behaviour, and specialisation_weights alone changes nothing. */
  g_autoptr (MockHost) host = mock_host_new (2, 1);
  const gchar *const params[] = { "specialisations=", "specialisation_weights=gpu=2", NULL };
  g_assert_true (mock_host_start (host, c, params, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/weighted-voting/no-fault/agreement", test_no_fault_agreement);
  g_test_add_func ("/weighted-voting/cost/messages-per-decision", test_messages_per_decision);
  g_test_add_func ("/weighted-voting/crash/minority", test_crash_minority);
  g_test_add_func ("/weighted-voting/crash/no-quorum", test_no_quorum);
  g_test_add_func ("/weighted-voting/crash/split-revote", test_split_revote);
  g_test_add_func ("/weighted-voting/crash/weights-decide", test_weights_decide);
  g_test_add_func ("/weighted-voting/drops/lost-votes-catch-up", test_lost_votes_catch_up);
  g_test_add_func ("/weighted-voting/reject/all-zero", test_all_zero);
  g_test_add_func ("/weighted-voting/network/duplicate-votes", test_duplicate_votes);
  g_test_add_func ("/weighted-voting/malformed/ignored", test_malformed);
  g_test_add_func ("/weighted-voting/api/bad-parameters", test_bad_parameters);
  g_test_add_func ("/weighted-voting/specialisations/weights", test_specialisation_weights);
  g_test_add_func ("/weighted-voting/specialisations/default-table",
                   test_specialisation_default_table);
  g_test_add_func ("/weighted-voting/specialisations/bad-parameters",
                   test_specialisation_bad_parameters);
  return g_test_run ();
}
