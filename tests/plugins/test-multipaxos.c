/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of consensus/multipaxos (Multi-Paxos) through the built module and the mock host. */
#include "config.h"

#include <string.h>

#include "mock-host.h"

/* multipaxos.c's wire format (see its header comment). */
#define MSG_BID 1
#define MSG_PREPARE 2
#define MSG_PROMISE 3
#define MSG_ACCEPT 4
#define MSG_ACCEPTED 5
#define MSG_DECIDE 6
#define MSG_NACK 7
#define MSG_HEARTBEAT 8
#define VALUE_LEN 28
#define PROMISE_ENTRY_LEN (VALUE_LEN + 9)
#define BATCH_HEAD_LEN 12

#define BALLOT(round, agent) ((guint64) (round) << 32 | (guint64) (agent))

static MockHost *
start (guint n, const gchar *const *params)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "multipaxos",
                                                "multipaxos", &error);
  g_assert_no_error (error);
  MockHost *host = mock_host_new (n, g_test_rand_int ());
  mock_host_start (host, c, params, &error);
  g_assert_no_error (error);
  return host;
}

static DmasSlot
slot_of (DmasJobId job, DmasAgentId home)
{
  return (DmasSlot){ .job = job, .epoch = 0, .home = home };
}

static void
propose (MockHost *host, DmasAgentId agent, DmasSlot slot, double score)
{
  DmasBid bid = { .job = slot.job, .agent = agent, .reserved = 0, .score = score };
  g_assert_cmpint (mock_host_propose (host, agent, &slot, &bid), ==, DMAS_OK);
}

static void
propose_all (MockHost *host, DmasSlot slot, const double *scores)
{
  for (DmasAgentId a = 0; a < mock_host_n_agents (host); a++)
    if (mock_host_instance (host, a, DMAS_KIND_CONSENSUS) != NULL)
      propose (host, a, slot, scores[a]);
}

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
decisions_for (MockHost *host, DmasAgentId agent, DmasJobId job)
{
  const GArray *all = mock_host_decisions (host, agent);
  guint n = 0;
  for (guint i = 0; i < all->len; i++)
    n += g_array_index (all, MockDecision, i).slot.job == job;
  return n;
}

/* Every agent in [from, to) decided `job` exactly once, for `winner`. */
static void
assert_decided (MockHost *host, DmasJobId job, DmasBid winner, guint from, guint to)
{
  for (guint a = from; a < to; a++)
    {
      const MockDecision *d = mock_host_decision (host, a, job, 0);
      g_assert_nonnull (d);
      g_assert_cmpuint (decisions_for (host, a, job), ==, 1);
      g_assert_cmpuint (d->bid.job, ==, job);
      g_assert_cmpuint (d->bid.agent, ==, winner.agent);
      g_assert_cmpfloat (d->bid.score, ==, winner.score);
    }
}

static void
random_scores (double *scores, guint n)
{
  for (guint a = 0; a < n; a++)
    scores[a] = g_test_rand_int_range (0, 4) == 0 ? 0.0 : g_test_rand_double_range (0.01, 1.0);
}

/* The first slot also elects agent 0 (the lowest member starts phase 1). */
static void
first_slot (MockHost *host)
{
  guint n = mock_host_n_agents (host);
  g_autofree double *scores = g_new (double, n);
  for (guint a = 0; a < n; a++)
    scores[a] = 0.1 + 0.01 * a;
  propose_all (host, slot_of (1, 0), scores);
  mock_host_run (host);
  assert_decided (host, 1, reference_winner (1, scores, n), 0, n);
  g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 1.0);
}

/* ---- no faults --------------------------------------------------------------------------- */

static void
test_agree (void)
{
  const guint n = 5;
  g_autoptr (MockHost) host = start (n, NULL);
  first_slot (host);
  for (DmasJobId job = 2; job <= 30; job++)
    {
      double scores[5];
      random_scores (scores, n);
      if (job == 7)
        memset (scores, 0, sizeof scores); /* nobody can run it: rejected */
      propose_all (host, slot_of (job, (DmasAgentId) (job % n)), scores);
      mock_host_run (host);
      assert_decided (host, job, reference_winner (job, scores, n), 0, n);
    }
  const MockDecision *rejected = mock_host_decision (host, 3, 7, 0);
  g_assert_cmpuint (rejected->bid.agent, ==, DMAS_AGENT_NONE);
  /* One phase 1 for the whole run: the leader stays. */
  g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 1.0);
  g_assert_cmpfloat (mock_host_metric (host, "ballots"), ==, 1.0);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 30.0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0); /* idle: the run can end */
}

/* Exactly 4(n-1) messages per decision with a stable leader and batch 1, and
 * (n-1) + 3(n-1)/b with full batches of b. */
static void
test_message_count (void)
{
  for (guint n = 1; n <= 7; n++)
    {
      g_autoptr (MockHost) host = start (n, NULL);
      first_slot (host);
      g_autofree double *scores = g_new (double, n);
      for (DmasJobId job = 2; job <= 6; job++)
        {
          for (guint a = 0; a < n; a++)
            scores[a] = g_test_rand_double_range (0.0, 1.0);
          guint64 before = mock_host_sent_messages (host, DMAS_KIND_CONSENSUS);
          propose_all (host, slot_of (job, (DmasAgentId) (job % n)), scores);
          mock_host_run (host);
          guint64 sent = mock_host_sent_messages (host, DMAS_KIND_CONSENSUS) - before;
          g_assert_cmpuint (sent, ==, 4 * (n - 1));
          assert_decided (host, job, reference_winner (job, scores, n), 0, n);
        }
    }
  for (guint n = 2; n <= 6; n++)
    {
      const gchar *params[] = { "batch=3", NULL };
      g_autoptr (MockHost) host = start (n, params);
      first_slot (host);
      g_autofree double *scores = g_new (double, n);
      guint64 before = mock_host_sent_messages (host, DMAS_KIND_CONSENSUS);
      for (DmasJobId job = 10; job < 13; job++)
        {
          for (guint a = 0; a < n; a++)
            scores[a] = 0.1 * (double) ((a + job) % n + 1);
          propose_all (host, slot_of (job, 0), scores);
        }
      mock_host_run (host);
      guint64 sent = mock_host_sent_messages (host, DMAS_KIND_CONSENSUS) - before;
      g_assert_cmpuint (sent, ==, 3 * (n - 1) + 3 * (n - 1));
      for (DmasJobId job = 10; job < 13; job++)
        {
          for (guint a = 0; a < n; a++)
            scores[a] = 0.1 * (double) ((a + job) % n + 1);
          assert_decided (host, job, reference_winner (job, scores, n), 0, n);
        }
    }
}

/* A batch that does not fill leaves after batch_wait: latency traded for messages. */
static void
test_batch_partial (void)
{
  const guint n = 3;
  const gchar *params[] = { "batch=4", "batch_wait=30ms", NULL };
  g_autoptr (MockHost) host = start (n, params);
  first_slot (host); /* also waits batch_wait */
  double scores[3] = { 0.2, 0.9, 0.4 };
  DmasTime t0 = mock_host_now (host);
  propose_all (host, slot_of (2, 1), scores);
  mock_host_deliver_all (host);
  g_assert_null (mock_host_decision (host, 0, 2, 0));
  g_assert_cmpint (mock_host_find (host, 0, MOCK_ANY_AGENT, MSG_ACCEPT), ==, -1);
  mock_host_run (host);
  assert_decided (host, 2, reference_winner (2, scores, n), 0, n);
  g_assert_cmpuint (mock_host_decision (host, 0, 2, 0)->at, ==, t0 + 30 * DMAS_MS);
}

/* ---- leader crash ------------------------------------------------------------------------ */

/* A value accepted by a majority before the leader dies is chosen, so the next leader must
 * decide it, even when it holds a better bid itself (agent 4's, which the old leader lost). */
static void
test_leader_crash_keeps_chosen (void)
{
  const guint n = 5;
  g_autoptr (MockHost) host = start (n, NULL);
  first_slot (host);
  double scores[5] = { 0.3, 0.2, 0.4, 0.7, 0.9 };
  DmasSlot slot = slot_of (2, 1);
  propose_all (host, slot, scores);
  g_assert_cmpuint (mock_host_drop_matching (host, 4, 0, MSG_BID), ==, 1);
  /* The leader waits its bid window for agent 4, then proposes agent 3. */
  while (mock_host_find (host, 0, MOCK_ANY_AGENT, MSG_ACCEPT) < 0)
    if (!mock_host_deliver_next (host))
      g_assert_true (mock_host_fire_next_timer (host));
  g_assert_cmpuint (mock_host_drop_matching (host, 0, 3, MSG_ACCEPT), ==, 1);
  g_assert_cmpuint (mock_host_drop_matching (host, 0, 4, MSG_ACCEPT), ==, 1);
  gint i;
  while ((i = mock_host_find (host, 0, MOCK_ANY_AGENT, MSG_ACCEPT)) >= 0)
    mock_host_deliver (host, (guint) i);
  /* Agents 0, 1, 2 accepted agent 3: chosen, though nobody knows it yet. */
  g_assert_cmpuint (mock_host_drop_matching (host, MOCK_ANY_AGENT, 0, MSG_ACCEPTED), ==, 2);
  g_assert_null (mock_host_decision (host, 0, 2, 0));
  mock_host_crash_agent (host, 0);

  mock_host_run (host);
  DmasBid chosen = { .job = 2, .agent = 3, .score = 0.7 };
  assert_decided (host, 2, chosen, 1, n);
  g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 2.0);

  /* The new leader goes on deciding new slots without the old one. */
  double next[5] = { 0.0, 0.5, 0.6, 0.1, 0.2 };
  propose_all (host, slot_of (3, 2), next);
  mock_host_run (host);
  assert_decided (host, 3, reference_winner (3, next, n), 1, n);
  g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 2.0);
}

/* A leader that dies mid-collection: a new one is elected and decides from the bids re-sent
 * to it. */
static void
test_leader_crash_progress (void)
{
  const guint n = 5;
  g_autoptr (MockHost) host = start (n, NULL);
  first_slot (host);
  double scores[5] = { 0.95, 0.2, 0.4, 0.7, 0.1 };
  propose_all (host, slot_of (2, 3), scores);
  mock_host_crash_agent (host, 0);
  mock_host_run (host);
  /* Agent 0's bid died with it: the best of the live ones wins. */
  double live[5] = { 0.0, 0.2, 0.4, 0.7, 0.1 };
  assert_decided (host, 2, reference_winner (2, live, n), 1, n);
  g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 2.0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

/* ---- quorum ------------------------------------------------------------------------------ */

static void
test_no_quorum (void)
{
  const guint n = 5;
  g_autoptr (MockHost) host = start (n, NULL);
  first_slot (host);
  mock_host_crash_agent (host, 2);
  mock_host_crash_agent (host, 3);
  mock_host_crash_agent (host, 4);
  propose (host, 0, slot_of (2, 0), 0.5);
  propose (host, 1, slot_of (2, 0), 0.6);
  /* Retries stop after a while, so this ends. */
  mock_host_run (host);
  g_assert_null (mock_host_decision (host, 0, 2, 0));
  g_assert_null (mock_host_decision (host, 1, 2, 0));
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);

  /* A majority again: the next proposal wakes everyone and both slots are decided. */
  g_autoptr (GError) error = NULL;
  mock_host_restart_agent (host, 2, &error);
  g_assert_no_error (error);
  propose (host, 0, slot_of (3, 0), 0.1);
  propose (host, 1, slot_of (3, 0), 0.3);
  propose (host, 2, slot_of (3, 0), 0.2);
  mock_host_run (host);
  DmasBid w2 = { .job = 2, .agent = 1, .score = 0.6 };
  assert_decided (host, 2, w2, 0, 2);
  DmasBid w3 = { .job = 3, .agent = 1, .score = 0.3 };
  assert_decided (host, 3, w3, 0, 3);
}

/* ---- stable storage ---------------------------------------------------------------------- */

static void
put_value (guint8 *p, DmasJobId job, DmasAgentId home, DmasAgentId agent, double score)
{
  dmas_put_u64 (p, job);
  dmas_put_u32 (p + 8, 0);
  dmas_put_u32 (p + 12, home);
  dmas_put_u32 (p + 16, agent);
  dmas_put_double (p + 20, score);
}

static void
inject_accept (MockHost *host, DmasAgentId src, DmasAgentId dst, guint64 ballot, DmasJobId job,
               DmasAgentId agent, double score)
{
  guint8 body[BATCH_HEAD_LEN + VALUE_LEN];
  dmas_put_u64 (body, ballot);
  dmas_put_u32 (body + 8, 1);
  put_value (body + BATCH_HEAD_LEN, job, 0, agent, score);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, src, dst, MSG_ACCEPT, body, sizeof body);
}

static void
inject_ballot (MockHost *host, DmasAgentId src, DmasAgentId dst, guint32 type, guint64 ballot)
{
  guint8 body[8];
  dmas_put_u64 (body, ballot);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, src, dst, type, body, sizeof body);
}

/* Delivers the only queued message and returns the reply of `from`, which must be the only
 * one; the caller frees it. */
static GBytes *
exchange (MockHost *host, DmasAgentId from, guint32 *type)
{
  g_assert_cmpuint (mock_host_n_queued (host), ==, 1);
  mock_host_deliver_next (host);
  g_assert_cmpuint (mock_host_n_queued (host), ==, 1);
  const MockMessage *m = mock_host_queued (host, 0);
  g_assert_cmpuint (m->src, ==, from);
  *type = m->type;
  GBytes *body = g_bytes_ref (m->body);
  mock_host_drop (host, 0);
  return body;
}

static void
restart (MockHost *host, DmasAgentId agent)
{
  g_autoptr (GError) error = NULL;
  mock_host_crash_agent (host, agent);
  g_assert_true (mock_host_restart_agent (host, agent, &error));
  g_assert_no_error (error);
}

static void
test_restart_keeps_promises (void)
{
  g_autoptr (MockHost) host = start (3, NULL);
  guint32 type;
  gsize len;

  /* Agent 2 promises ballot 5.1, then restarts. */
  inject_ballot (host, 1, 2, MSG_PREPARE, BALLOT (5, 1));
  g_autoptr (GBytes) promise = exchange (host, 2, &type);
  g_assert_cmpuint (type, ==, MSG_PROMISE);
  restart (host, 2);

  /* An older ballot is refused with the promise it lost to. */
  inject_accept (host, 0, 2, BALLOT (1, 0), 9, 0, 0.5);
  g_autoptr (GBytes) nack = exchange (host, 2, &type);
  g_assert_cmpuint (type, ==, MSG_NACK);
  g_assert_cmpuint (dmas_get_u64 (g_bytes_get_data (nack, &len)), ==, BALLOT (5, 1));
  inject_ballot (host, 0, 2, MSG_PREPARE, BALLOT (4, 0));
  g_autoptr (GBytes) nack2 = exchange (host, 2, &type);
  g_assert_cmpuint (type, ==, MSG_NACK);

  /* The promised ballot is accepted and its value persisted. */
  inject_accept (host, 1, 2, BALLOT (5, 1), 9, 1, 0.75);
  g_autoptr (GBytes) accepted = exchange (host, 2, &type);
  g_assert_cmpuint (type, ==, MSG_ACCEPTED);
  g_assert_nonnull (mock_host_storage (host, 2, DMAS_KIND_CONSENSUS, "paxos/i/0", NULL));
  restart (host, 2);

  /* After another restart, phase 1 of a higher ballot reports it. */
  inject_ballot (host, 0, 2, MSG_PREPARE, BALLOT (6, 0));
  g_autoptr (GBytes) report = exchange (host, 2, &type);
  g_assert_cmpuint (type, ==, MSG_PROMISE);
  const guint8 *p = g_bytes_get_data (report, &len);
  g_assert_cmpuint (len, ==, BATCH_HEAD_LEN + PROMISE_ENTRY_LEN);
  g_assert_cmpuint (dmas_get_u64 (p), ==, BALLOT (6, 0));
  g_assert_cmpuint (dmas_get_u32 (p + 8), ==, 1);
  p += BATCH_HEAD_LEN;
  g_assert_cmpuint (dmas_get_u64 (p), ==, 9);
  g_assert_cmpuint (dmas_get_u32 (p + 16), ==, 1);
  g_assert_cmpfloat (dmas_get_double (p + 20), ==, 0.75);
  g_assert_cmpuint (dmas_get_u64 (p + VALUE_LEN), ==, BALLOT (5, 1));
  g_assert_cmpuint (p[VALUE_LEN + 8], ==, 0);

  /* And 5.1 is now below the promise too. */
  inject_accept (host, 1, 2, BALLOT (5, 1), 10, 1, 0.75);
  g_autoptr (GBytes) nack3 = exchange (host, 2, &type);
  g_assert_cmpuint (type, ==, MSG_NACK);
  g_assert_cmpuint (dmas_get_u64 (g_bytes_get_data (nack3, &len)), ==, BALLOT (6, 0));
}

/* A restarted leader never reuses its ballot: its next phase 1 is higher, and the agents
 * keep agreeing. */
static void
test_restart_leader (void)
{
  const guint n = 3;
  g_autoptr (MockHost) host = start (n, NULL);
  first_slot (host);
  restart (host, 0);
  double scores[3] = { 0.9, 0.1, 0.2 };
  propose_all (host, slot_of (2, 0), scores);
  mock_host_run (host);
  assert_decided (host, 2, reference_winner (2, scores, n), 0, n);
  /* The restarted agent 0 restored no decision for slot 1 and did not decide it again. */
  g_assert_cmpuint (decisions_for (host, 0, 1), ==, 1);
  gsize len;
  const guint8 *meta = mock_host_storage (host, 0, DMAS_KIND_CONSENSUS, "paxos/meta", &len);
  g_assert_nonnull (meta);
  g_assert_cmpuint (dmas_get_u64 (meta + 8), >=, 1); /* rounds used survive */
}

/* ---- a faulty network -------------------------------------------------------------------- */

static void
faulty_run (const gchar *const *params, double drop, double dup, double reorder, guint crashes)
{
  const guint n = 5, n_slots = 25;
  g_autoptr (MockHost) host = start (n, params);
  g_autoptr (GRand) rng = g_rand_new_with_seed (g_test_rand_int ());
  double scores[25][5];
  gboolean down[5] = { FALSE };
  for (DmasJobId job = 1; job <= n_slots; job++)
    {
      for (guint a = 0; a < n; a++)
        scores[job - 1][a] = g_rand_int_range (rng, 0, 4) == 0 ? 0.0
                                                               : g_rand_double (rng);
      propose_all (host, slot_of (job, (DmasAgentId) (job % n)), scores[job - 1]);
      /* A few hundred steps of lossy delivery and timers per slot. */
      for (guint step = 0; step < 300; step++)
        {
          guint q = mock_host_n_queued (host);
          if (q == 0)
            {
              if (!mock_host_fire_next_timer (host))
                break;
              continue;
            }
          guint i = g_rand_double (rng) < reorder ? (guint) g_rand_int_range (rng, 0, (gint) q)
                                                   : 0;
          if (g_rand_double (rng) < drop)
            {
              mock_host_drop (host, i);
              continue;
            }
          if (g_rand_double (rng) < dup)
            mock_host_duplicate (host, i);
          mock_host_deliver (host, i);
        }
      if (crashes > 0 && job % 8 == 4)
        {
          /* One agent down at a time (a minority), restarted later. */
          DmasAgentId victim = (DmasAgentId) g_rand_int_range (rng, 0, (gint) n);
          for (guint a = 0; a < n; a++)
            if (down[a])
              {
                g_autoptr (GError) error = NULL;
                g_assert_true (mock_host_restart_agent (host, a, &error));
                down[a] = FALSE;
              }
          mock_host_crash_agent (host, victim);
          down[victim] = TRUE;
          crashes--;
        }
    }
  /* Healed: synchronous delivery until idle. */
  mock_host_run (host);
  for (DmasJobId job = 1; job <= n_slots; job++)
    {
      const MockDecision *first = NULL;
      for (guint a = 0; a < n; a++)
        {
          const GArray *all = mock_host_decisions (host, a);
          for (guint i = 0; i < all->len; i++)
            {
              const MockDecision *d = &g_array_index (all, MockDecision, i);
              if (d->slot.job != job)
                continue;
              if (first == NULL)
                first = d;
              /* Agreement. */
              g_assert_cmpuint (d->bid.agent, ==, first->bid.agent);
              g_assert_cmpfloat (d->bid.score, ==, first->bid.score);
            }
        }
      /* Every agent that never crashed decided, and validity: a real bid > 0. */
      for (guint a = 0; a < n && crashes == 0 && drop == 0.0; a++)
        g_assert_cmpuint (decisions_for (host, a, job), ==, 1);
      if (first != NULL && first->bid.agent != DMAS_AGENT_NONE)
        {
          g_assert_cmpuint (first->bid.agent, <, n);
          g_assert_cmpfloat (first->bid.score, ==, scores[job - 1][first->bid.agent]);
          g_assert_cmpfloat (first->bid.score, >, 0.0);
        }
      else if (first != NULL)
        g_assert_cmpfloat (first->bid.score, ==, 0.0);
      for (guint a = 0; a < n; a++)
        if (!down[a])
          g_assert_cmpuint (decisions_for (host, a, job), <=, 1);
    }
  /* Every live agent that proposed a slot decided it once healed. */
  for (guint a = 0; a < n; a++)
    if (!down[a] && crashes == 0)
      for (DmasJobId job = n_slots - 3; job <= n_slots; job++)
        g_assert_cmpuint (decisions_for (host, a, job), ==, 1);
}

static void
test_drops (void)
{
  faulty_run (NULL, 0.2, 0.0, 0.0, 0);
}

static void
test_dup_reorder (void)
{
  faulty_run (NULL, 0.0, 0.2, 0.5, 0);
}

static void
test_everything (void)
{
  faulty_run (NULL, 0.1, 0.1, 0.3, 3);
  const gchar *batched[] = { "batch=4", NULL };
  faulty_run (batched, 0.1, 0.1, 0.3, 3);
}

/* ---- api --------------------------------------------------------------------------------- */

static void
test_bad_parameters (void)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "multipaxos",
                                                "multipaxos", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((const DmasConsensusOps *) c->ops)->fault_model, ==,
                    DMAS_FAULT_MODEL_CRASH);
  const gchar *slow_beat[] = { "heartbeat=300ms", NULL };
  const gchar *no_batch[] = { "batch=0", NULL };
  const gchar *const *bad[] = { slow_beat, no_batch };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (MockHost) host = mock_host_new (3, 1);
      g_autoptr (GError) e = NULL;
      g_assert_false (mock_host_start (host, c, bad[i], &e));
      g_assert_error (e, MOCK_HOST_ERROR, MOCK_HOST_ERROR_CREATE);
    }
}

static void
test_malformed (void)
{
  g_autoptr (MockHost) host = start (3, NULL);
  guint8 junk[5] = { 0 };
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_ACCEPT, junk, sizeof junk);
  /* A bid on someone else's behalf. */
  guint8 bid[VALUE_LEN];
  put_value (bid, 1, 0, 2, 0.5);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, 1, 0, MSG_BID, bid, sizeof bid);
  mock_host_run (host);
  g_assert_cmpfloat (mock_host_metric (host, "malformed"), ==, 2.0);
  DmasSlot slot = slot_of (1, 0);
  DmasBid wrong = { .job = 2, .agent = 0, .score = 0.5 };
  g_assert_cmpint (mock_host_propose (host, 0, &slot, &wrong), ==, DMAS_EINVAL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/multipaxos/no-faults/agree", test_agree);
  g_test_add_func ("/multipaxos/cost/messages-per-decision", test_message_count);
  g_test_add_func ("/multipaxos/batch/partial-waits", test_batch_partial);
  g_test_add_func ("/multipaxos/leader-crash/chosen-value-survives",
                   test_leader_crash_keeps_chosen);
  g_test_add_func ("/multipaxos/leader-crash/progress", test_leader_crash_progress);
  g_test_add_func ("/multipaxos/quorum/none-without-majority", test_no_quorum);
  g_test_add_func ("/multipaxos/storage/restart-keeps-promises", test_restart_keeps_promises);
  g_test_add_func ("/multipaxos/storage/restarted-leader", test_restart_leader);
  g_test_add_func ("/multipaxos/network/drops", test_drops);
  g_test_add_func ("/multipaxos/network/duplicates-reordering", test_dup_reorder);
  g_test_add_func ("/multipaxos/network/all-faults-and-crashes", test_everything);
  g_test_add_func ("/multipaxos/api/bad-parameters", test_bad_parameters);
  g_test_add_func ("/multipaxos/api/malformed", test_malformed);
  return g_test_run ();
}
