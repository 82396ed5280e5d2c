/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of consensus/auction (contract-net), through the built module. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mock-host.h"

/* auction.c's wire format: both messages are job u64 | epoch u32 | agent u32 | score f64. */
#define MSG_BID 1
#define MSG_AWARD 2
#define BODY_LEN 24

static MockHost *
start (guint n, const gchar *const *params)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "auction", "auction",
                                                &error);
  g_assert_no_error (error);
  MockHost *host = mock_host_new (n, g_test_rand_int ());
  mock_host_start (host, c, params, &error);
  g_assert_no_error (error);
  return host;
}

static DmasSlot
slot_of (DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  return (DmasSlot){ .job = job, .epoch = epoch, .home = home };
}

static int
propose (MockHost *host, DmasAgentId agent, DmasSlot slot, double score)
{
  DmasBid bid = { .job = slot.job, .agent = agent, .reserved = 0, .score = score };
  return mock_host_propose (host, agent, &slot, &bid);
}

/* The reference rule: best by dmas_bid_better among bids > 0, else DMAS_AGENT_NONE. */
static DmasBid
reference_winner (DmasJobId job, const double *scores, guint n)
{
  DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  for (guint i = 0; i < n; i++)
    {
      DmasBid b = { .job = job, .agent = i, .score = scores[i] };
      if (b.score > 0.0 && (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best)))
        best = b;
    }
  return best;
}

static guint
decisions_for (MockHost *host, DmasAgentId agent, DmasSlot slot)
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

/* Every agent decided `slot` exactly once, for `winner`, at time `at`. */
static void
assert_all_decided (MockHost *host, DmasSlot slot, DmasBid winner, DmasTime at)
{
  for (guint a = 0; a < mock_host_n_agents (host); a++)
    {
      const MockDecision *d = mock_host_decision (host, a, slot.job, slot.epoch);
      g_assert_nonnull (d);
      g_assert_cmpuint (decisions_for (host, a, slot), ==, 1);
      g_assert_cmpuint (d->slot.home, ==, slot.home);
      g_assert_cmpuint (d->bid.job, ==, slot.job);
      g_assert_cmpuint (d->bid.agent, ==, winner.agent);
      g_assert_cmpfloat (d->bid.score, ==, winner.score);
      g_assert_cmpuint (d->at, ==, at);
    }
}

static void
assert_nobody_decided (MockHost *host, DmasSlot slot)
{
  for (guint a = 0; a < mock_host_n_agents (host); a++)
    g_assert_null (mock_host_decision (host, a, slot.job, slot.epoch));
}

/* Delivers everything except messages matching (src, dst, type), which stay queued. */
static guint
deliver_all_except (MockHost *host, DmasAgentId src, DmasAgentId dst, guint32 type)
{
  guint n = 0;
  for (gboolean progress = TRUE; progress;)
    {
      progress = FALSE;
      for (guint i = 0; i < mock_host_n_queued (host); i++)
        {
          const MockMessage *m = mock_host_queued (host, i);
          if (m->src == src && m->dst == dst && m->type == type)
            continue;
          mock_host_deliver (host, i);
          n++;
          progress = TRUE;
          break;
        }
    }
  return n;
}

static void
encode (uint8_t body[BODY_LEN], DmasJobId job, uint32_t epoch, DmasAgentId agent, double score)
{
  dmas_put_u64 (body, job);
  dmas_put_u32 (body + 8, epoch);
  dmas_put_u32 (body + 12, agent);
  dmas_put_double (body + 16, score);
}

static void
test_in_order (void)
{
  const double scores[] = { 0.3, 0.9, 0.5, 0.1, 0.7 };
  g_autoptr (MockHost) host = start (5, NULL);
  DmasSlot slot = slot_of (17, 0, 2);

  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (propose (host, a, slot, scores[a]), ==, DMAS_OK);
  /* The home's deadline, and each other bidder's first ASK (cancelled by the AWARD). */
  g_assert_cmpuint (mock_host_n_timers (host), ==, 1 + 4);
  g_assert_cmpuint (mock_host_deliver_all (host), ==, 8);

  DmasBid winner = { .job = 17, .agent = 1, .score = 0.9 };
  assert_all_decided (host, slot, winner, 0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0); /* cancelled: everyone had bid */
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 1.0);
  g_assert_cmpfloat (mock_host_metric (host, "late_bids"), ==, 0.0);
  g_assert_cmpfloat (mock_host_metric (host, "malformed"), ==, 0.0);
}

/* Equal scores: the winner is the higher dmas_tiebreak, whatever the arrival order. */
static void
test_ties (void)
{
  gboolean lowest_id_lost = FALSE, highest_id_lost = FALSE;
  for (DmasJobId job = 1; job <= 24; job++)
    for (int reversed = 0; reversed <= 1; reversed++)
      {
        const double scores[] = { 0.8, 0.8, 0.2, 0.8, 0.8 };
        g_autoptr (MockHost) host = start (5, NULL);
        DmasSlot slot = slot_of (job, 0, 0);
        for (guint a = 0; a < 5; a++)
          g_assert_cmpint (propose (host, a, slot, scores[a]), ==, DMAS_OK);
        if (reversed)
          for (guint i = 0; i < 4; i++)
            mock_host_move (host, mock_host_n_queued (host) - 1, i);
        mock_host_deliver_all (host);

        DmasBid expected = reference_winner (job, scores, 5);
        DmasAgentId tied[] = { 0, 1, 3, 4 };
        for (guint i = 0; i < G_N_ELEMENTS (tied); i++)
          g_assert_cmpuint (dmas_tiebreak (job, expected.agent), >=,
                            dmas_tiebreak (job, tied[i]));
        assert_all_decided (host, slot, expected, 0);
        lowest_id_lost |= expected.agent != 0;
        highest_id_lost |= expected.agent != 4;
      }
  /* The tie-break is a hash, not "first come" nor "lowest id". */
  g_assert_true (lowest_id_lost);
  g_assert_true (highest_id_lost);
}

/* Agent 4's BID is held up in the network past the deadline: the home awards among the bids
 * it has, and the late BID — although the best — changes nothing. */
static void
test_deadline (void)
{
  const gchar *const params[] = { "deadline=250ms", NULL };
  const double scores[] = { 0.4, 0.6, 0.5, 0.2, 0.99 };
  g_autoptr (MockHost) host = start (5, params);
  DmasSlot slot = slot_of (5, 0, 0);

  for (guint a = 0; a < 5; a++)
    g_assert_cmpint (propose (host, a, slot, scores[a]), ==, DMAS_OK);
  g_assert_cmpuint (deliver_all_except (host, 4, 0, MSG_BID), ==, 3);
  assert_nobody_decided (host, slot);

  g_assert_cmpuint (mock_host_advance (host, 249 * DMAS_MS), ==, 0);
  assert_nobody_decided (host, slot);
  g_assert_cmpuint (mock_host_advance (host, 1 * DMAS_MS), ==, 1);
  deliver_all_except (host, 4, 0, MSG_BID);
  DmasBid winner = { .job = 5, .agent = 1, .score = 0.6 };
  assert_all_decided (host, slot, winner, 250 * DMAS_MS);

  g_assert_cmpuint (mock_host_n_queued (host), ==, 1);
  mock_host_deliver_next (host);
  g_assert_cmpfloat (mock_host_metric (host, "late_bids"), ==, 1.0);
  assert_all_decided (host, slot, winner, 250 * DMAS_MS);
  g_assert_cmpuint (mock_host_n_queued (host), ==, 0);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 1.0);
}

/* An agent that never proposes: the deadline decides, and the AWARD reaches it anyway. */
static void
test_deadline_silent_agent (void)
{
  const double scores[] = { 0.4, 0.6, 0.5, 0.2, 0.0 };
  g_autoptr (MockHost) host = start (5, NULL);
  DmasSlot slot = slot_of (6, 0, 3);

  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (propose (host, a, slot, scores[a]), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_run (host), ==, 3 + 1 + 4); /* bids, deadline, awards */
  assert_all_decided (host, slot, reference_winner (6, scores, 5), 100 * DMAS_MS);

  /* Its own proposal after the AWARD says nothing more: no BID, no second decision. */
  g_assert_cmpint (propose (host, 4, slot, 0.95), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_n_queued (host), ==, 0);
  assert_all_decided (host, slot, reference_winner (6, scores, 5), 100 * DMAS_MS);
}

/* BIDs reaching the home before its own proposal are kept and counted. */
static void
test_buffer_before_propose (void)
{
  const double scores[] = { 0.1, 0.3, 0.2 };
  g_autoptr (MockHost) host = start (3, NULL);
  DmasSlot slot = slot_of (9, 2, 0);

  g_assert_cmpint (propose (host, 1, slot, scores[1]), ==, DMAS_OK);
  g_assert_cmpint (propose (host, 2, slot, scores[2]), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_deliver_all (host), ==, 2);
  assert_nobody_decided (host, slot);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 2); /* the two bidders' first ASK */

  mock_host_advance (host, 7 * DMAS_MS);
  g_assert_cmpint (propose (host, 0, slot, scores[0]), ==, DMAS_OK);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 2); /* complete at once: no deadline */
  g_assert_cmpuint (mock_host_deliver_all (host), ==, 2);
  DmasBid winner = { .job = 9, .agent = 1, .score = 0.3 };
  assert_all_decided (host, slot, winner, 7 * DMAS_MS);
}

/* Nobody can run the job: everyone decides the rejection (agent NONE, score 0). */
static void
test_all_zero (void)
{
  g_autoptr (MockHost) host = start (4, NULL);
  DmasSlot slot = slot_of (11, 0, 1);
  for (guint a = 0; a < 4; a++)
    g_assert_cmpint (propose (host, a, slot, 0.0), ==, DMAS_OK);
  mock_host_deliver_all (host);
  DmasBid rejected = { .job = 11, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  assert_all_decided (host, slot, rejected, 0);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 1.0);
}

static void
test_malformed (void)
{
  const double scores[] = { 0.5, 0.4, 0.3 };
  g_autoptr (MockHost) host = start (3, NULL);
  DmasSlot slot = slot_of (12, 0, 0);
  uint8_t body[BODY_LEN + 1] = { 0 };

  g_assert_cmpint (propose (host, 0, slot, scores[0]), ==, DMAS_OK);
  encode (body, 12, 0, 1, 1.0);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, BODY_LEN - 1); /* short */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, BODY_LEN + 1); /* long */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, 7, body, BODY_LEN);          /* type */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 2, 0, MSG_BID, body, BODY_LEN);    /* forged */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 99, 0, MSG_BID, body, BODY_LEN);   /* stranger */
  encode (body, 12, 0, 1, NAN);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, BODY_LEN);    /* NaN */
  encode (body, 12, 0, 1, -0.5);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, BODY_LEN);    /* negative */
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, NULL, 0);           /* empty */
  encode (body, 12, 0, 7, 0.9);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 0, 2, MSG_AWARD, body, BODY_LEN);  /* who is 7? */
  g_assert_cmpuint (mock_host_deliver_all (host), ==, 9);
  g_assert_cmpfloat (mock_host_metric (host, "malformed"), ==, 9.0);
  assert_nobody_decided (host, slot);

  /* The real bids still make a normal auction; the forged 1.0 did not count. */
  g_assert_cmpint (propose (host, 1, slot, scores[1]), ==, DMAS_OK);
  g_assert_cmpint (propose (host, 2, slot, scores[2]), ==, DMAS_OK);
  mock_host_deliver_all (host);
  assert_all_decided (host, slot, reference_winner (12, scores, 3), 0);
  g_assert_cmpfloat (mock_host_metric (host, "malformed"), ==, 9.0);
}

/* One BID per non-home agent, one AWARD to each of them: 2(n-1) messages per decision. */
static void
test_messages_per_decision (void)
{
  const guint sizes[] = { 1, 2, 3, 5, 8 };
  for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      guint n = sizes[k];
      g_autoptr (MockHost) host = start (n, NULL);
      for (DmasJobId job = 0; job < 3; job++)
        {
          DmasSlot slot = slot_of (job, 0, (DmasAgentId) (job % n));
          for (guint a = 0; a < n; a++)
            g_assert_cmpint (propose (host, a, slot, 0.1 * (a + 1)), ==, DMAS_OK);
        }
      mock_host_deliver_all (host);
      g_assert_cmpuint (mock_host_sent_messages (host, DMAS_KIND_CONSENSUS), ==, 3 * 2 * (n - 1));
      g_assert_cmpuint (mock_host_sent_bytes (host, DMAS_KIND_CONSENSUS), ==,
                        3 * 2 * (n - 1) * BODY_LEN);
      g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 3.0);
      for (guint a = 0; a < n; a++)
        g_assert_cmpuint (mock_host_decisions (host, a)->len, ==, 3);
    }
}

/* A duplicated BID must not stand in for a missing bidder; a duplicated AWARD must not make
 * anyone decide twice. */
static void
test_duplicates (void)
{
  const double scores[] = { 0.2, 0.5, 0.7 };
  g_autoptr (MockHost) host = start (3, NULL);
  DmasSlot slot = slot_of (13, 0, 0);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpint (propose (host, a, slot, scores[a]), ==, DMAS_OK);

  mock_host_duplicate (host, (guint) mock_host_find (host, 1, 0, MSG_BID));
  g_assert_cmpuint (deliver_all_except (host, 2, 0, MSG_BID), ==, 2);
  g_assert_cmpfloat (mock_host_metric (host, "duplicates"), ==, 1.0);
  assert_nobody_decided (host, slot);

  mock_host_deliver_next (host); /* agent 2's bid completes the auction */
  g_assert_cmpuint (mock_host_n_queued (host), ==, 2);
  mock_host_duplicate (host, 0);
  mock_host_duplicate (host, 1);
  mock_host_deliver_all (host);
  g_assert_cmpfloat (mock_host_metric (host, "duplicates"), ==, 3.0);
  DmasBid winner = { .job = 13, .agent = 2, .score = 0.7 };
  assert_all_decided (host, slot, winner, 0);
}

/* Epochs are separate slots; interleaved slots do not disturb each other. */
static void
test_epochs_and_interleaving (void)
{
  g_autoptr (MockHost) host = start (3, NULL);
  DmasSlot first = slot_of (21, 0, 0);
  DmasSlot again = slot_of (21, 1, 2);
  const double s1[] = { 0.9, 0.1, 0.2 };
  const double s2[] = { 0.0, 0.3, 0.2 }; /* agent 0 can no longer run it */
  for (guint a = 0; a < 3; a++)
    {
      g_assert_cmpint (propose (host, a, first, s1[a]), ==, DMAS_OK);
      g_assert_cmpint (propose (host, a, again, s2[a]), ==, DMAS_OK);
    }
  mock_host_deliver_all (host);
  assert_all_decided (host, first, reference_winner (21, s1, 3), 0);
  assert_all_decided (host, again, reference_winner (21, s2, 3), 0);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 2.0);
}

static void
test_bad_proposals (void)
{
  g_autoptr (MockHost) host = start (3, NULL);
  DmasSlot slot = slot_of (30, 0, 0);
  g_assert_cmpint (propose (host, 1, slot_of (30, 0, 3), 0.5), ==, DMAS_EINVAL); /* no home */
  g_assert_cmpint (propose (host, 1, slot, NAN), ==, DMAS_EINVAL);
  DmasBid other = { .job = 30, .agent = 2, .score = 0.5 };
  g_assert_cmpint (mock_host_propose (host, 1, &slot, &other), ==, DMAS_EINVAL);
  g_assert_cmpuint (mock_host_n_queued (host), ==, 0);

  g_assert_cmpint (propose (host, 0, slot, 0.5), ==, DMAS_OK);
  g_assert_cmpint (propose (host, 0, slot, 0.5), ==, DMAS_ESTATE);
  g_assert_cmpint (propose (host, 1, slot, 0.5), ==, DMAS_OK);
  g_assert_cmpint (propose (host, 1, slot, 0.5), ==, DMAS_ESTATE);
}

static void
test_bad_parameters (void)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "auction", "auction",
                                                &error);
  g_assert_no_error (error);
  g_autoptr (MockHost) host = mock_host_new (2, 1);
  const gchar *const zero_retain[] = { "retain=0", NULL };
  g_assert_false (mock_host_start (host, c, zero_retain, &error));
  g_assert_nonnull (strstr (error->message, "retain must be > 0"));
  g_clear_error (&error);
  const gchar *const unknown[] = { "dedline=1s", NULL };
  g_assert_false (mock_host_start (host, c, unknown, &error));
  g_assert_nonnull (error);
}

/* Records are forgotten `retain` after their last use; a very late BID then waits as a
 * buffer for a proposal that never comes, and is dropped in turn. */
static void
test_retain (void)
{
  const gchar *const params[] = { "retain=1s", NULL };
  g_autoptr (MockHost) host = start (2, params);
  DmasSlot slot = slot_of (40, 0, 0);
  g_assert_cmpint (propose (host, 0, slot, 0.5), ==, DMAS_OK);
  g_assert_cmpint (propose (host, 1, slot, 0.6), ==, DMAS_OK);
  gint held = mock_host_find (host, 1, 0, MSG_BID);
  mock_host_duplicate (host, (guint) held);
  mock_host_deliver_all (host);
  g_assert_cmpfloat (mock_host_metric (host, "duplicates"), ==, 0.0); /* complete, then late */
  g_assert_cmpfloat (mock_host_metric (host, "late_bids"), ==, 1.0);

  uint8_t body[BODY_LEN];
  encode (body, 40, 0, 1, 0.6);
  mock_host_advance (host, 2 * DMAS_S);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, BODY_LEN);
  mock_host_deliver_all (host);
  g_assert_cmpfloat (mock_host_metric (host, "late_bids"), ==, 1.0); /* forgotten: buffered */
  g_assert_cmpfloat (mock_host_metric (host, "expired"), ==, 0.0);

  mock_host_advance (host, 2 * DMAS_S);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, body, 3); /* any message */
  mock_host_deliver_all (host);
  g_assert_cmpfloat (mock_host_metric (host, "expired"), ==, 1.0);
  g_assert_cmpuint (decisions_for (host, 0, slot), ==, 1);
}

/* Thousands of slots while records keep expiring: the table grows, deletes and still finds
 * every live record (a duplicated AWARD is recognised, not decided twice). */
static void
test_churn (void)
{
  const gchar *const params[] = { "retain=50ms", NULL };
  g_autoptr (MockHost) host = start (2, params);
  for (guint i = 0; i < 3000; i++)
    {
      DmasSlot slot = slot_of (((DmasJobId) g_test_rand_int () << 32) | g_test_rand_int (),
                               (uint32_t) g_test_rand_int_range (0, 4),
                               (DmasAgentId) g_test_rand_int_range (0, 2));
      DmasAgentId other = 1 - slot.home;
      g_assert_cmpint (propose (host, slot.home, slot, 0.25), ==, DMAS_OK);
      g_assert_cmpint (propose (host, other, slot, 0.5), ==, DMAS_OK);
      mock_host_deliver_next (host); /* the BID completes the auction */
      g_assert_cmpuint (mock_host_n_queued (host), ==, 1);
      mock_host_duplicate (host, 0);
      mock_host_deliver_all (host);
      g_assert_cmpfloat (mock_host_metric (host, "duplicates"), ==, i + 1);
      g_assert_cmpuint (decisions_for (host, other, slot), ==, 1);
      g_assert_cmpuint (mock_host_decision (host, slot.home, slot.job, slot.epoch)->bid.agent, ==,
                        other);
      mock_host_advance (host, DMAS_MS);
    }
}

/* Many interleaved slots, proposals and deliveries in random order: every agent decides the
 * reference winner of every slot, exactly once. */
static void
test_random_interleaving (void)
{
  enum { N = 5, SLOTS = 40 };
  g_autoptr (MockHost) host = start (N, NULL);
  double scores[SLOTS][N];
  DmasSlot slots[SLOTS];
  gboolean proposed[SLOTS][N] = { { FALSE } };
  guint left = SLOTS * N;

  for (guint s = 0; s < SLOTS; s++)
    {
      slots[s] = slot_of (1000 + s, (uint32_t) g_test_rand_int_range (0, 3),
                          (DmasAgentId) g_test_rand_int_range (0, N));
      for (guint a = 0; a < N; a++)
        scores[s][a] = g_test_rand_int_range (0, 4) == 0 ? 0.0
                                                         : g_test_rand_int_range (1, 6) / 5.0;
    }
  while (left > 0 || mock_host_n_queued (host) > 0)
    {
      if (left > 0 && (mock_host_n_queued (host) == 0 || g_test_rand_bit ()))
        {
          guint s, a;
          do
            {
              s = (guint) g_test_rand_int_range (0, SLOTS);
              a = (guint) g_test_rand_int_range (0, N);
            }
          while (proposed[s][a]);
          proposed[s][a] = TRUE;
          left--;
          g_assert_cmpint (propose (host, a, slots[s], scores[s][a]), ==, DMAS_OK);
        }
      else
        mock_host_deliver (host, (guint) g_test_rand_int_range (0, mock_host_n_queued (host)));
    }
  for (guint s = 0; s < SLOTS; s++)
    assert_all_decided (host, slots[s], reference_winner (slots[s].job, scores[s], N), 0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, SLOTS);
  /* Exact: the home needs every bid before it awards, so no AWARD overtakes a proposal. */
  g_assert_cmpuint (mock_host_sent_messages (host, DMAS_KIND_CONSENSUS), ==,
                    SLOTS * 2 * (N - 1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/auction/in-order/best-bidder", test_in_order);
  g_test_add_func ("/auction/tie/dmas-tiebreak", test_ties);
  g_test_add_func ("/auction/deadline/late-bid-ignored", test_deadline);
  g_test_add_func ("/auction/deadline/silent-agent", test_deadline_silent_agent);
  g_test_add_func ("/auction/buffer/before-propose", test_buffer_before_propose);
  g_test_add_func ("/auction/reject/all-zero", test_all_zero);
  g_test_add_func ("/auction/malformed/ignored", test_malformed);
  g_test_add_func ("/auction/cost/messages-per-decision", test_messages_per_decision);
  g_test_add_func ("/auction/network/duplicates", test_duplicates);
  g_test_add_func ("/auction/slots/epochs-and-interleaving", test_epochs_and_interleaving);
  g_test_add_func ("/auction/api/bad-proposals", test_bad_proposals);
  g_test_add_func ("/auction/api/bad-parameters", test_bad_parameters);
  g_test_add_func ("/auction/memory/retain", test_retain);
  g_test_add_func ("/auction/memory/churn", test_churn);
  g_test_add_func ("/auction/random/interleaving", test_random_interleaving);
  return g_test_run ();
}
