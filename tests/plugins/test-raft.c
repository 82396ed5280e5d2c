/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of consensus/raft, through the built module and the mock host. */
#include "config.h"

#include <string.h>

#include "mock-host.h"

/* raft.c's wire format (see its header comment). */
#define MSG_BID 1
#define MSG_VOTE_REQ 2
#define MSG_VOTE 3
#define MSG_APPEND 4
#define MSG_APPEND_ACK 5
#define N_TYPES 6

static MockHost *
start_seeded (guint n, const gchar *const *params, guint64 seed)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "raft", "raft", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((const DmasConsensusOps *) c->ops)->fault_model, ==,
                    DMAS_FAULT_MODEL_CRASH);
  MockHost *host = mock_host_new (n, seed);
  mock_host_start (host, c, params, &error);
  g_assert_no_error (error);
  return host;
}

static MockHost *
start (guint n, const gchar *const *params)
{
  return start_seeded (n, params, g_test_rand_int ());
}

static DmasSlot
slot_of (DmasJobId job, uint32_t epoch, DmasAgentId home)
{
  return (DmasSlot){ .job = job, .epoch = epoch, .home = home };
}

static void
propose (MockHost *host, DmasAgentId agent, DmasSlot slot, double score)
{
  DmasBid bid = { .job = slot.job, .agent = agent, .reserved = 0, .score = score };
  g_assert_cmpint (mock_host_propose (host, agent, &slot, &bid), ==, DMAS_OK);
}

/* The reference rule among the agents in `mask` (bit a set: agent a's bid is admitted). */
static DmasBid
reference_winner (DmasJobId job, const double *scores, guint n, guint mask)
{
  DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  for (guint i = 0; i < n; i++)
    {
      DmasBid b = { .job = job, .agent = i, .score = scores[i] };
      if ((mask >> i & 1) && b.score > 0.0
          && (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best)))
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

/* Per message type counts, tallied as the messages are delivered. */
typedef struct {
  guint64 sent[N_TYPES];
  guint64 append_with_entries;
  guint64 append_empty;
} Tally;

static void
tally_head (MockHost *host, Tally *t)
{
  if (t == NULL)
    return;
  const MockMessage *m = mock_host_queued (host, 0);
  g_assert_cmpuint (m->type, <, N_TYPES);
  t->sent[m->type]++;
  if (m->type == MSG_APPEND)
    {
      gsize len;
      const guint8 *body = g_bytes_get_data (m->body, &len);
      g_assert_cmpuint (len, >=, 36);
      if (dmas_get_u32 (body + 32) > 0)
        t->append_with_entries++;
      else
        t->append_empty++;
    }
}

/* A synchronous network up to `until`: every message is delivered at once, timers fire in
 * order; the clock ends at `until`. */
static void
run_until (MockHost *host, DmasTime until, Tally *t)
{
  for (;;)
    {
      while (mock_host_n_queued (host) > 0)
        {
          tally_head (host, t);
          mock_host_deliver_next (host);
        }
      DmasTime next = mock_host_next_timer (host);
      if (next == DMAS_TIME_NONE || next > until)
        break;
      mock_host_fire_next_timer (host);
    }
  if (mock_host_now (host) < until)
    mock_host_advance_to (host, until);
}

/* A hostile network up to `until`: each step delivers a random queued message, drops it
 * (p_drop), duplicates it first (p_dup), or lets time move on to the next timer. */
static void
run_chaos (MockHost *host, GRand *rng, DmasTime until, double p_drop, double p_dup)
{
  for (guint steps = 0; steps < 2000000; steps++)
    {
      guint q = mock_host_n_queued (host);
      if (q > 0 && g_rand_double (rng) < 0.9)
        {
          guint i = (guint) g_rand_int_range (rng, 0, (gint32) q);
          double r = g_rand_double (rng);
          if (r < p_drop)
            mock_host_drop (host, i);
          else if (r < p_drop + p_dup)
            mock_host_duplicate (host, i);
          else
            mock_host_deliver (host, i);
          continue;
        }
      DmasTime next = mock_host_next_timer (host);
      if (next == DMAS_TIME_NONE || next > until)
        {
          if (q > 0)
            continue;
          break;
        }
      mock_host_fire_next_timer (host);
    }
  if (mock_host_now (host) < until)
    mock_host_advance_to (host, until);
}

/* The leader is the agent the followers send their bids to: propose `slot` and look (once a
 * leader is known; before that, bids wait). */
static DmasAgentId
leader_after_propose (MockHost *host, DmasSlot slot, const double *scores, guint n)
{
  for (guint a = 0; a < n; a++)
    if (mock_host_agent_is_up (host, a))
      propose (host, a, slot, scores[a]);
  gint i = mock_host_find (host, MOCK_ANY_AGENT, MOCK_ANY_AGENT, MSG_BID);
  g_assert_cmpint (i, >=, 0);
  return mock_host_queued (host, (guint) i)->dst;
}

/* Every up agent decided `slot` exactly once, all the same `winner`. */
static void
assert_all_decided (MockHost *host, DmasSlot slot, DmasBid winner)
{
  for (guint a = 0; a < mock_host_n_agents (host); a++)
    {
      if (!mock_host_agent_is_up (host, a))
        continue;
      const MockDecision *d = mock_host_decision (host, a, slot.job, slot.epoch);
      g_assert_nonnull (d);
      g_assert_cmpuint (decisions_for (host, a, slot), ==, 1);
      g_assert_cmpuint (d->slot.home, ==, slot.home);
      g_assert_cmpuint (d->bid.job, ==, slot.job);
      g_assert_cmpuint (d->bid.agent, ==, winner.agent);
      g_assert_cmpfloat (d->bid.score, ==, winner.score);
    }
}

static void
test_no_faults (void)
{
  enum { N = 5, SLOTS = 12 };
  g_autoptr (MockHost) host = start (N, NULL);
  double scores[SLOTS][N];
  for (guint s = 0; s < SLOTS; s++)
    for (guint a = 0; a < N; a++)
      /* Slot 3 nobody can run: the rejection. */
      scores[s][a] = s == 3 ? 0.0 : (double) g_test_rand_int_range (0, 1000) / 1000.0;

  for (guint s = 0; s < SLOTS; s++)
    for (guint a = 0; a < N; a++)
      propose (host, a, slot_of (100 + s, 0, s % N), scores[s][a]);
  run_until (host, 10 * DMAS_S, NULL);

  for (guint s = 0; s < SLOTS; s++)
    assert_all_decided (host, slot_of (100 + s, 0, s % N),
                        reference_winner (100 + s, scores[s], N, (1u << N) - 1));
  g_assert_cmpuint (mock_host_decision (host, 0, 103, 0)->bid.agent, ==, DMAS_AGENT_NONE);
  g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 1);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, SLOTS);
  /* Quiescent once everything is decided: a finished run can end. */
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

static void
test_leader_crash (void)
{
  enum { N = 5 };
  g_autoptr (MockHost) host = start (N, NULL);
  const double scores[N] = { 0.2, 0.4, 0.6, 0.8, 0.5 };
  DmasSlot s1 = slot_of (1, 0, 0), s2 = slot_of (2, 0, 1);
  for (guint a = 0; a < N; a++)
    propose (host, a, s1, scores[a]);
  run_until (host, 2 * DMAS_S, NULL);
  assert_all_decided (host, s1, reference_winner (1, scores, N, 0x1f));

  DmasAgentId leader = leader_after_propose (host, s2, scores, N);
  mock_host_crash_agent (host, leader);
  run_until (host, 10 * DMAS_S, NULL);
  /* The old leader's bid died with it; the others re-sent theirs to the new leader. */
  assert_all_decided (host, s2, reference_winner (2, scores, N, 0x1f & ~(1u << leader)));
  g_assert_cmpfloat (mock_host_metric (host, "elections"), >=, 2);
  /* The new leader stops waiting for the silent old one: the run could end here. */
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);

  /* The crashed leader comes back, catches up, and decides s2 like everyone else. */
  g_autoptr (GError) error = NULL;
  g_assert_true (mock_host_restart_agent (host, leader, &error));
  g_assert_no_error (error);
  DmasSlot s3 = slot_of (3, 0, 2);
  for (guint a = 0; a < N; a++)
    propose (host, a, s3, scores[a]);
  run_until (host, 20 * DMAS_S, NULL);
  assert_all_decided (host, s2, reference_winner (2, scores, N, 0x1f & ~(1u << leader)));
  assert_all_decided (host, s3, reference_winner (3, scores, N, 0x1f));
  g_assert_cmpuint (decisions_for (host, leader, s1), ==, 1);
}

static void
test_no_majority (void)
{
  enum { N = 5 };
  g_autoptr (MockHost) host = start (N, NULL);
  const double scores[N] = { 0.2, 0.4, 0.6, 0.8, 0.5 };
  /* ceil(5/2) = 3 agents down: 2 are left, below the majority of 3. */
  for (guint a = 0; a < 3; a++)
    mock_host_crash_agent (host, a);
  DmasSlot s = slot_of (9, 0, 3);
  propose (host, 3, s, scores[3]);
  propose (host, 4, s, scores[4]);
  run_until (host, 30 * DMAS_S, NULL);
  for (guint a = 3; a < N; a++)
    g_assert_null (mock_host_decision (host, a, s.job, s.epoch));
  g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 0);
  g_assert_cmpfloat (mock_host_metric (host, "terms"), >=, 2);

  /* One more agent back: a majority again, and the slot is decided among the bidders. */
  g_autoptr (GError) error = NULL;
  g_assert_true (mock_host_restart_agent (host, 2, &error));
  g_assert_no_error (error);
  run_until (host, 60 * DMAS_S, NULL);
  for (guint a = 2; a < N; a++)
    {
      const MockDecision *d = mock_host_decision (host, a, s.job, s.epoch);
      g_assert_nonnull (d);
      g_assert_cmpuint (d->bid.agent, ==, 3);
    }
}

static void
put_vote_request (guint8 body[24], guint64 term, guint64 last, guint64 last_term)
{
  dmas_put_u64 (body, term);
  dmas_put_u64 (body + 8, last);
  dmas_put_u64 (body + 16, last_term);
}

/* Delivers the VOTE_REQ injected to `voter` and returns whether its answer granted it. */
static gboolean
vote_answer (MockHost *host, DmasAgentId candidate, DmasAgentId voter, guint64 term)
{
  guint8 body[24];
  put_vote_request (body, term, 0, 0);
  mock_host_inject (host, DMAS_KIND_CONSENSUS, candidate, voter, MSG_VOTE_REQ, body, sizeof body);
  mock_host_deliver (host, mock_host_n_queued (host) - 1);
  gint i = mock_host_find (host, voter, candidate, MSG_VOTE);
  g_assert_cmpint (i, >=, 0);
  gsize len;
  const guint8 *reply = g_bytes_get_data (mock_host_queued (host, (guint) i)->body, &len);
  g_assert_cmpuint (len, ==, 12);
  g_assert_cmpuint (dmas_get_u64 (reply), ==, term);
  gboolean granted = dmas_get_u32 (reply + 8) != 0;
  mock_host_drop (host, (guint) i);
  return granted;
}

static void
test_restart_vote (void)
{
  g_autoptr (MockHost) host = start (3, NULL);
  g_assert_true (vote_answer (host, 0, 2, 5));
  mock_host_crash_agent (host, 2);
  g_autoptr (GError) error = NULL;
  g_assert_true (mock_host_restart_agent (host, 2, &error));
  g_assert_no_error (error);
  /* Term 5 and the vote for 0 came back from storage: no second vote in term 5. */
  g_assert_false (vote_answer (host, 1, 2, 5));
  g_assert_true (vote_answer (host, 0, 2, 5));
  g_assert_true (vote_answer (host, 1, 2, 6));
}

static void
test_restart_log (void)
{
  enum { N = 3, SLOTS = 4 };
  g_autoptr (MockHost) host = start (N, NULL);
  const double scores[N] = { 0.3, 0.9, 0.6 };
  for (guint s = 0; s < SLOTS; s++)
    for (guint a = 0; a < N; a++)
      propose (host, a, slot_of (s + 1, 0, 0), scores[a]);
  run_until (host, 5 * DMAS_S, NULL);
  for (guint s = 0; s < SLOTS; s++)
    assert_all_decided (host, slot_of (s + 1, 0, 0), reference_winner (s + 1, scores, N, 7));

  gsize len = 0;
  const guint8 *meta = mock_host_storage (host, 0, DMAS_KIND_CONSENSUS, "raft/meta", &len);
  g_assert_nonnull (meta);
  g_assert_cmpuint (len, ==, 28);
  guint64 term_before = dmas_get_u64 (meta);
  g_assert_cmpuint (dmas_get_u64 (meta + 12), ==, SLOTS); /* last log index */
  g_assert_cmpuint (dmas_get_u64 (meta + 20), ==, SLOTS); /* applied */
  g_assert_nonnull (mock_host_storage (host, 0, DMAS_KIND_CONSENSUS, "raft/e/4", NULL));

  /* Everyone crashes and comes back: the logs are restored, nothing is decided twice, and a
   * proposal of an already decided slot is answered from the restored log. */
  for (guint a = 0; a < N; a++)
    mock_host_crash_agent (host, a);
  g_autoptr (GError) error = NULL;
  for (guint a = 0; a < N; a++)
    {
      g_assert_true (mock_host_restart_agent (host, a, &error));
      g_assert_no_error (error);
    }
  for (guint a = 0; a < N; a++)
    propose (host, a, slot_of (2, 0, 0), scores[a]);
  DmasSlot fresh = slot_of (50, 0, 1);
  for (guint a = 0; a < N; a++)
    propose (host, a, fresh, scores[a]);
  run_until (host, 15 * DMAS_S, NULL);
  for (guint s = 0; s < SLOTS; s++)
    assert_all_decided (host, slot_of (s + 1, 0, 0), reference_winner (s + 1, scores, N, 7));
  assert_all_decided (host, fresh, reference_winner (50, scores, N, 7));
  for (guint a = 0; a < N; a++)
    {
      meta = mock_host_storage (host, a, DMAS_KIND_CONSENSUS, "raft/meta", &len);
      g_assert_cmpuint (dmas_get_u64 (meta), >, term_before);
      /* The new log holds the old entries, then the new term's ones, not a second slot 2. */
      g_assert_cmpuint (dmas_get_u64 (meta + 12), >=, SLOTS + 1);
      g_assert_cmpuint (dmas_get_u64 (meta + 12), <=, SLOTS + 2);
    }
}

/* Agreement and validity under drops, duplicates and reordering, over many seeds; then a
 * calm network lets every slot be decided everywhere. */
static void
test_chaos (void)
{
  enum { N = 5, SLOTS = 8 };
  guint runs = g_test_slow () ? 10000 : 200;
  for (guint run = 0; run < runs; run++)
    {
      guint32 seed = g_test_rand_int ();
      g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
      g_autoptr (MockHost) host = start_seeded (N, NULL, seed);
      double scores[SLOTS][N];
      for (guint s = 0; s < SLOTS; s++)
        for (guint a = 0; a < N; a++)
          scores[s][a] = g_rand_int_range (rng, 0, 4) / 4.0;
      for (guint s = 0; s < SLOTS; s++)
        {
          for (guint a = 0; a < N; a++)
            propose (host, a, slot_of (s + 1, 0, s % N), scores[s][a]);
          run_chaos (host, rng, mock_host_now (host) + 200 * DMAS_MS, 0.15, 0.1);
        }
      run_chaos (host, rng, 20 * DMAS_S, 0.15, 0.1);
      run_until (host, 60 * DMAS_S, NULL);

      for (guint s = 0; s < SLOTS; s++)
        {
          DmasSlot slot = slot_of (s + 1, 0, s % N);
          const MockDecision *first = mock_host_decision (host, 0, slot.job, 0);
          g_assert_nonnull (first);
          DmasBid w = first->bid;
          /* Validity: a winner placed a bid > 0, and a rejection means nobody could run it
           * (or at least no admitted bid could: the admitted set is the leader's). */
          if (w.agent != DMAS_AGENT_NONE)
            {
              g_assert_cmpuint (w.agent, <, N);
              g_assert_cmpfloat (w.score, ==, scores[s][w.agent]);
              g_assert_cmpfloat (w.score, >, 0.0);
            }
          else
            g_assert_cmpfloat (w.score, ==, 0.0);
          assert_all_decided (host, slot, w);
        }
    }
}

/* Exact message counts with no faults: 3(n-1) per slot with batch 1, plus 2(n-1) per
 * heartbeat round and per election attempt.  Slots come 100 s apart, so each one costs its
 * 3(n-1) plus the one heartbeat round that tells the followers its commit, and the leader is
 * quiet in between: heartbeat rounds = 1 (the new leader's first) + slots. */
static void
test_message_count (void)
{
  for (guint n = 1; n <= 5; n += 2)
    {
      enum { SLOTS = 6 };
      const gchar *params[] = { "heartbeat=10s", "election_timeout=30s", NULL };
      g_autoptr (MockHost) host = start (n, params);
      Tally t = { 0 };
      double scores[5] = { 0.1, 0.5, 0.3, 0.9, 0.7 };
      for (guint s = 0; s < SLOTS; s++)
        {
          for (guint a = 0; a < n; a++)
            propose (host, a, slot_of (s + 1, 0, 0), scores[a]);
          run_until (host, (s + 1) * 100 * DMAS_S, &t);
        }
      for (guint s = 0; s < SLOTS; s++)
        assert_all_decided (host, slot_of (s + 1, 0, 0),
                            reference_winner (s + 1, scores, n, (1u << n) - 1));

      guint64 hb = (guint64) mock_host_metric (host, "heartbeats");
      guint64 terms = (guint64) mock_host_metric (host, "terms");
      g_assert_cmpfloat (mock_host_metric (host, "elections"), ==, 1);
      g_assert_cmpuint (terms, ==, 1);
      g_assert_cmpuint (hb, ==, n > 1 ? 1 + SLOTS : 1);
      g_assert_cmpuint (t.sent[MSG_BID], ==, SLOTS * (n - 1));
      g_assert_cmpuint (t.append_with_entries, ==, SLOTS * (n - 1));
      g_assert_cmpuint (t.append_empty, ==, hb * (n - 1));
      g_assert_cmpuint (t.sent[MSG_APPEND_ACK], ==, t.sent[MSG_APPEND]);
      g_assert_cmpuint (t.sent[MSG_VOTE_REQ], ==, terms * (n - 1));
      g_assert_cmpuint (t.sent[MSG_VOTE], ==, terms * (n - 1));
      g_assert_cmpuint (mock_host_sent_messages (host, DMAS_KIND_CONSENSUS), ==,
                        (n - 1) * (3 * SLOTS + 2 * hb + 2 * terms));
      g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
    }
}

/* batch = 3: six slots closed at once travel in two entries, so 2(n-1) APPENDs, not 6(n-1). */
static void
test_batch (void)
{
  enum { N = 3, SLOTS = 6 };
  const gchar *params[] = { "batch=3", "heartbeat=10s", "election_timeout=30s", NULL };
  g_autoptr (MockHost) host = start (N, params);
  const double scores[N] = { 0.4, 0.2, 0.8 };
  Tally t = { 0 };
  for (guint s = 0; s < SLOTS; s++)
    for (guint a = 0; a < N; a++)
      propose (host, a, slot_of (s + 1, 0, 0), scores[a]);
  run_until (host, 150 * DMAS_S, &t);
  for (guint s = 0; s < SLOTS; s++)
    assert_all_decided (host, slot_of (s + 1, 0, 0), reference_winner (s + 1, scores, N, 7));
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 2);
  g_assert_cmpuint (t.append_with_entries, ==, 2 * (N - 1));
}

/* One bid missing: the leader closes the slot bid_window after the first bid it saw. */
static void
test_bid_window (void)
{
  enum { N = 3 };
  g_autoptr (MockHost) host = start (N, NULL);
  const double scores[N] = { 0.4, 0.2, 0.8 };
  DmasSlot s1 = slot_of (1, 0, 0), s0 = slot_of (3, 0, 0);
  for (guint a = 0; a < N; a++)
    propose (host, a, s0, scores[a]);
  run_until (host, 2 * DMAS_S, NULL);
  DmasAgentId leader = leader_after_propose (host, s1, scores, N);
  run_until (host, 3 * DMAS_S, NULL);
  DmasAgentId silent = (leader + 1) % N;
  DmasSlot s2 = slot_of (2, 0, 0);
  for (guint a = 0; a < N; a++)
    if (a != silent)
      propose (host, a, s2, scores[a]);
  run_until (host, 4 * DMAS_S, NULL);
  assert_all_decided (host, s2, reference_winner (2, scores, N, 7 & ~(1u << silent)));
  /* Its late proposal is answered by the decision already applied. */
  propose (host, silent, s2, scores[silent]);
  run_until (host, 6 * DMAS_S, NULL);
  g_assert_cmpuint (decisions_for (host, silent, s2), ==, 1);
}

static void
test_bad_parameters (void)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "raft", "raft", &error);
  g_assert_no_error (error);
  g_autoptr (MockHost) host = mock_host_new (3, 1);
  const gchar *params[] = { "batch=0", NULL };
  g_assert_false (mock_host_start (host, c, params, &error));
  g_assert_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_CREATE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/raft/no-faults/agreement", test_no_faults);
  g_test_add_func ("/raft/crash/leader", test_leader_crash);
  g_test_add_func ("/raft/crash/no-majority", test_no_majority);
  g_test_add_func ("/raft/restart/no-second-vote", test_restart_vote);
  g_test_add_func ("/raft/restart/log", test_restart_log);
  g_test_add_func ("/raft/network/drop-dup-reorder", test_chaos);
  g_test_add_func ("/raft/cost/messages-per-decision", test_message_count);
  g_test_add_func ("/raft/batch/entries", test_batch);
  g_test_add_func ("/raft/bids/window", test_bid_window);
  g_test_add_func ("/raft/api/bad-parameters", test_bad_parameters);
  return g_test_run ();
}
