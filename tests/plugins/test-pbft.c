/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of consensus/pbft, through the built module and the mock host. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mock-host-private.h"
#include "mock-host.h"

/* pbft.c's wire format (see its header comment). */
#define MSG_BID 1
#define MSG_PRE_PREPARE 2
#define SIG DMAS_SIG_SIZE
#define BID_MSG_LEN (28 + SIG)

static MockHost *
start (guint n, const gchar *const *params)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_CONSENSUS, "pbft", "pbft", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((const DmasConsensusOps *) c->ops)->fault_model, ==,
                    DMAS_FAULT_MODEL_BYZANTINE);
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

static DmasBid
reference_winner (DmasJobId job, const double *scores, const gboolean *in, guint n)
{
  DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  for (guint i = 0; i < n; i++)
    {
      DmasBid b = { .job = job, .agent = i, .score = scores[i] };
      if ((in == NULL || in[i]) && b.score > 0.0
          && (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best)))
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

static void
assert_decided (MockHost *host, DmasAgentId agent, DmasJobId job, DmasBid winner)
{
  const MockDecision *d = mock_host_decision (host, agent, job, 0);
  g_assert_nonnull (d);
  g_assert_cmpuint (decisions_for (host, agent, job), ==, 1);
  g_assert_cmpuint (d->bid.agent, ==, winner.agent);
  g_assert_cmpfloat (d->bid.score, ==, winner.score);
}

/* Delivers and fires timers until nothing is left or the clock would pass `limit`. */
static void
run_until (MockHost *host, DmasTime limit)
{
  for (;;)
    {
      mock_host_deliver_all (host);
      DmasTime t = mock_host_next_timer (host);
      if (t == DMAS_TIME_NONE || t > limit)
        return;
      mock_host_fire_next_timer (host);
    }
}

/* --- no faults -------------------------------------------------------------------------- */

static void
check_count (guint n)
{
  g_autoptr (MockHost) host = start (n, NULL);
  double scores[7] = { 0.3, 0.8, 0.5, 0.8, 0.1, 0.6, 0.2 };
  DmasSlot slot = slot_of (42, 1);
  for (guint a = 0; a < n; a++)
    propose (host, a, slot, scores[a]);
  mock_host_run (host);
  DmasBid w = reference_winner (42, scores, NULL, n);
  for (guint a = 0; a < n; a++)
    assert_decided (host, a, 42, w);
  /* bids n-1, PRE-PREPARE n-1, PREPARE (n-1)^2, COMMIT n(n-1): 2n^2 - n - 1. */
  g_assert_cmpuint (mock_host_sent_messages (host, DMAS_KIND_CONSENSUS), ==, 2 * n * n - n - 1);
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 1.0);
  g_assert_cmpfloat (mock_host_metric (host, "view_changes"), ==, 0.0);
  g_assert_cmpfloat (mock_host_metric (host, "invalid_evidence"), ==, 0.0);
}

static void
test_decides_n4 (void)
{
  check_count (4);
}

static void
test_decides_n7 (void)
{
  check_count (7);
}

static void
test_rejected (void)
{
  g_autoptr (MockHost) host = start (4, NULL);
  DmasSlot slot = slot_of (7, 2);
  for (guint a = 0; a < 4; a++)
    propose (host, a, slot, 0.0);
  mock_host_run (host);
  DmasBid none = { .job = 7, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  for (guint a = 0; a < 4; a++)
    assert_decided (host, a, 7, none);
}

/* batch 4: while a round is in flight the primary gathers ready slots into one batch. */
static void
test_batch (void)
{
  const gchar *params[] = { "batch=4", NULL };
  g_autoptr (MockHost) host = start (4, params);
  double scores[6][4];
  for (guint j = 0; j < 6; j++)
    for (guint a = 0; a < 4; a++)
      scores[j][a] = g_test_rand_double_range (0.0, 1.0);
  for (guint j = 0; j < 6; j++)
    for (guint a = 0; a < 4; a++)
      propose (host, a, slot_of (100 + j, 0), scores[j][a]);
  mock_host_run (host);
  for (guint j = 0; j < 6; j++)
    for (guint a = 0; a < 4; a++)
      assert_decided (host, a, 100 + j, reference_winner (100 + j, scores[j], NULL, 4));
  /* slot 100 alone (idle pipeline), then the other five in batches of at most 4. */
  g_assert_cmpfloat (mock_host_metric (host, "rounds"), ==, 3.0);
}

/* --- crash of the primary, restart from stable storage ---------------------------------- */

static void
test_primary_crash (void)
{
  g_autoptr (MockHost) host = start (4, NULL);
  g_autoptr (GError) error = NULL;
  double scores[4] = { 0.9, 0.4, 0.7, 0.2 };
  mock_host_crash_agent (host, 0);
  for (guint a = 1; a < 4; a++)
    propose (host, a, slot_of (1, 1), scores[a]);
  run_until (host, 60 * DMAS_S);
  gboolean in[4] = { FALSE, TRUE, TRUE, TRUE };
  DmasBid w = reference_winner (1, scores, in, 4);
  for (guint a = 1; a < 4; a++)
    assert_decided (host, a, 1, w);
  g_assert_cmpfloat (mock_host_metric (host, "view_changes"), >=, 1.0);

  /* The old primary comes back: it learns the view and the decisions it missed. */
  g_assert_true (mock_host_restart_agent (host, 0, &error));
  g_assert_no_error (error);
  for (guint a = 0; a < 4; a++)
    propose (host, a, slot_of (2, 2), scores[3 - a]);
  run_until (host, 120 * DMAS_S);
  DmasBid w2 = { .job = 2, .agent = 0, .score = 0.2 };
  double rev[4] = { 0.2, 0.7, 0.4, 0.9 };
  w2 = reference_winner (2, rev, NULL, 4);
  const MockDecision *d = mock_host_decision (host, 1, 2, 0);
  g_assert_nonnull (d);
  /* The evidence is a quorum: the restarted agent's bid may or may not be in it. */
  g_assert_true (d->bid.agent == w2.agent || d->bid.agent == 3);
  for (guint a = 0; a < 4; a++)
    {
      assert_decided (host, a, 2, d->bid);
      assert_decided (host, a, 1, w);
    }
  g_assert_nonnull (mock_host_storage (host, 1, DMAS_KIND_CONSENSUS, "state", NULL));
}

/* A replica that crashes after preparing keeps its certificate and decisions across the
 * restart: it does not decide twice. */
static void
test_restart_restores (void)
{
  g_autoptr (MockHost) host = start (4, NULL);
  g_autoptr (GError) error = NULL;
  double scores[4] = { 0.1, 0.4, 0.7, 0.2 };
  for (guint a = 0; a < 4; a++)
    propose (host, a, slot_of (5, 0), scores[a]);
  mock_host_run (host);
  DmasBid w = reference_winner (5, scores, NULL, 4);
  assert_decided (host, 2, 5, w);
  mock_host_crash_agent (host, 2);
  g_assert_true (mock_host_restart_agent (host, 2, &error));
  g_assert_no_error (error);
  for (guint a = 0; a < 4; a++)
    propose (host, a, slot_of (6, 0), scores[a]);
  mock_host_run (host);
  for (guint a = 0; a < 4; a++)
    {
      assert_decided (host, a, 5, w);
      assert_decided (host, a, 6, reference_winner (6, scores, NULL, 4));
    }
}

/* --- a Byzantine primary (the test plays agent 0, signing with its own key) ------------- */

typedef enum {
  TAMPER_WINNER_NOT_IN_EVIDENCE,
  TAMPER_ALTERED_BID,
  TAMPER_FORGED_BID,
  TAMPER_TOO_FEW_BIDS,
  TAMPER_WORSE_WINNER,
  TAMPER_IMPLAUSIBLE_WINNER, /* the best bid, truly signed, claims a job its cluster cannot run */
} Tamper;

static void
sign_as (MockHost *host, DmasAgentId agent, const void *data, gsize len, guint8 sig[SIG])
{
  guint8 secret[32];
  mock_host_secret (host, agent, secret);
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, sizeof secret);
  g_hmac_update (hmac, data, len);
  gsize n = SIG;
  g_hmac_get_digest (hmac, sig, &n);
}

static void
put_ev (GByteArray *b, DmasAgentId agent, double score, const guint8 *sig)
{
  guint8 x[12];
  dmas_put_u32 (x, agent);
  dmas_put_double (x + 4, score);
  g_byte_array_append (b, x, sizeof x);
  g_byte_array_append (b, sig, SIG);
}

static void
digest_of (const guint8 *data, gsize len, guint8 out[16])
{
  guint64 h1 = 0xcbf29ce484222325ull, h2 = 0x9E3779B97F4A7C15ull ^ len;
  for (gsize i = 0; i < len; i++)
    {
      h1 = (h1 ^ data[i]) * 0x100000001b3ull;
      h2 = (h2 + data[i] + 1) * 0xBF58476D1CE4E5B9ull;
      h2 ^= h2 >> 29;
    }
  h2 = (h2 ^ (h2 >> 31)) * 0x94D049BB133111EBull;
  dmas_put_u64 (out, h1);
  dmas_put_u64 (out + 8, h2 ^ (h2 >> 32));
}

static void
test_faulty_primary (gconstpointer data)
{
  Tamper tamper = GPOINTER_TO_INT (data);
  g_autoptr (MockHost) host = start (4, NULL);
  double scores[4] = { 0.2, 0.9, 0.5, 0.4 };
  double plausible[4] = { 0.2, 0.9, 0.5, 0.4 };
  if (tamper == TAMPER_IMPLAUSIBLE_WINNER)
    {
      mock_host_set_implausible (host, 9, 1);
      plausible[1] = 0.0;
    }
  DmasSlot slot = slot_of (9, 3);
  for (guint a = 0; a < 4; a++)
    propose (host, a, slot, scores[a]);

  /* Keep the honest bids' signatures (the primary receives them), silence the real
   * instance of agent 0 as a primary, and send crafted PRE-PREPAREs instead. */
  guint8 sigs[4][SIG];
  {
    guint8 own[24];
    dmas_put_u64 (own, 9);
    dmas_put_u32 (own + 8, 0);
    dmas_put_u32 (own + 12, 0);
    dmas_put_double (own + 16, scores[0]);
    sign_as (host, 0, own, sizeof own, sigs[0]);
  }
  for (guint a = 1; a < 4; a++)
    {
      gint i = mock_host_find (host, a, 0, MSG_BID);
      g_assert_cmpint (i, >=, 0);
      const MockMessage *m = mock_host_queued (host, (guint) i);
      gsize len;
      const guint8 *body = g_bytes_get_data (m->body, &len);
      g_assert_cmpuint (len, ==, BID_MSG_LEN);
      memcpy (sigs[a], body + 28, SIG);
    }
  for (gint i; (i = mock_host_find (host, MOCK_ANY_AGENT, 0, MSG_BID)) >= 0;)
    mock_host_deliver (host, (guint) i);
  /* A refused implausible bid counts as agent 1's answer: the primary has heard everyone and
   * orders at once, without waiting out its window. */
  g_assert_cmpuint (mock_host_drop_matching (host, 0, MOCK_ANY_AGENT, MSG_PRE_PREPARE), ==, 3);

  g_autoptr (GByteArray) b = g_byte_array_new ();
  guint8 hdr[32];
  gboolean include[4] = { TRUE, TRUE, TRUE, TRUE };
  DmasAgentId winner = 1;
  double wscore = 0.9;
  double claimed[4] = { scores[0], scores[1], scores[2], scores[3] };
  guint8 forged[SIG];
  memcpy (forged, sigs[3], SIG);
  switch (tamper)
    {
    case TAMPER_WINNER_NOT_IN_EVIDENCE:
      include[1] = FALSE; /* three bids: a quorum, but agent 1 is not in it */
      break;
    case TAMPER_ALTERED_BID:
      claimed[2] = 0.95; /* agent 2's signature was over 0.5 */
      winner = 2;
      wscore = 0.95;
      break;
    case TAMPER_FORGED_BID:
      {
        /* agent 0 signs, with its own key, a bid it claims is agent 3's */
        guint8 fake[24];
        dmas_put_u64 (fake, 9);
        dmas_put_u32 (fake + 8, 0);
        dmas_put_u32 (fake + 12, 3);
        dmas_put_double (fake + 16, 0.99);
        sign_as (host, 0, fake, sizeof fake, forged);
        claimed[3] = 0.99;
        winner = 3;
        wscore = 0.99;
      }
      break;
    case TAMPER_TOO_FEW_BIDS:
      include[0] = include[2] = FALSE; /* two bids < 2f+1 = 3 */
      break;
    case TAMPER_WORSE_WINNER:
      winner = 2;
      wscore = 0.5;
      break;
    case TAMPER_IMPLAUSIBLE_WINNER:
      break; /* every bid as signed, agent 1's the best: only its plausibility is wrong */
    default:
      g_assert_not_reached ();
    }
  guint n_ev = 0;
  for (guint a = 0; a < 4; a++)
    n_ev += include[a];
  guint8 x[36];
  dmas_put_u32 (x, 1);
  g_byte_array_append (b, x, 4);
  dmas_put_u64 (x, 9);
  dmas_put_u32 (x + 8, 0);
  dmas_put_u32 (x + 12, 3);
  dmas_put_u32 (x + 16, winner);
  dmas_put_double (x + 20, wscore);
  dmas_put_u32 (x + 28, n_ev);
  g_byte_array_append (b, x, 32);
  for (guint a = 0; a < 4; a++)
    if (include[a])
      put_ev (b, a, claimed[a], a == 3 ? forged : sigs[a]);

  guint8 digest[16];
  digest_of (b->data, b->len, digest);
  memcpy (hdr, "PP\0\0", 4);
  dmas_put_u32 (hdr + 4, 0);
  dmas_put_u64 (hdr + 8, 1);
  memcpy (hdr + 16, digest, 16);
  g_autoptr (GByteArray) m = g_byte_array_new ();
  dmas_put_u32 (x, 0);
  dmas_put_u64 (x + 4, 1);
  g_byte_array_append (m, x, 12);
  guint8 sig[SIG];
  sign_as (host, 0, hdr, sizeof hdr, sig);
  g_byte_array_append (m, sig, SIG);
  g_byte_array_append (m, b->data, b->len);
  for (guint a = 1; a < 4; a++)
    mock_host_inject (host, DMAS_KIND_CONSENSUS, 0, a, MSG_PRE_PREPARE, m->data, m->len);
  mock_host_deliver_all (host);

  /* Rejected by all three, which moved to view 1 at once (no timer needed); the new primary
   * (agent 1) decides the real best bid. */
  g_assert_cmpfloat (mock_host_metric (host, "invalid_evidence"), ==, 3.0);
  g_assert_cmpfloat (mock_host_metric (host, "view_changes"), ==, 1.0);
  run_until (host, 60 * DMAS_S);
  g_assert_cmpfloat (mock_host_metric (host, "view_changes"), >=, 1.0);
  DmasBid w = reference_winner (9, plausible, NULL, 4);
  for (guint a = 0; a < 4; a++)
    assert_decided (host, a, 9, w);
  if (tamper == TAMPER_IMPLAUSIBLE_WINNER)
    {
      /* The backups saw agent 1's signed claim in the evidence, the primary in its BID: all
       * three accuse it; nobody else is accused. */
      g_assert_cmpint ((gint) w.agent, ==, 2);
      g_assert_cmpfloat (mock_host_metric (host, "implausible_bids"), >=, 3.0);
      for (DmasAgentId a = 0; a < 4; a++)
        if (a != 1)
          g_assert_true (mock_host_accused (host, a, 1));
      g_assert_cmpuint (mock_host_accusations (host)->len, ==, 3);
    }
  else
    g_assert_cmpuint (mock_host_accusations (host)->len, ==, 0);
}

/* --- no quorum -------------------------------------------------------------------------- */

static void
test_no_quorum (void)
{
  g_autoptr (MockHost) host = start (4, NULL);
  mock_host_crash_agent (host, 2);
  mock_host_crash_agent (host, 3);
  propose (host, 0, slot_of (3, 0), 0.5);
  propose (host, 1, slot_of (3, 0), 0.6);
  run_until (host, 600 * DMAS_S);
  g_assert_null (mock_host_decision (host, 0, 3, 0));
  g_assert_null (mock_host_decision (host, 1, 3, 0));
  g_assert_cmpfloat (mock_host_metric (host, "view_changes"), ==, 0.0);
}

/* --- an unreliable network: drops, duplicates, reordering ------------------------------- */

static void
test_unreliable (void)
{
  const guint n = 7, jobs = 5;
  g_autoptr (MockHost) host = start (n, NULL);
  double scores[5][7];
  for (guint j = 0; j < jobs; j++)
    for (guint a = 0; a < n; a++)
      scores[j][a] = g_test_rand_int_range (0, 4) == 0 ? 0.0 : g_test_rand_double ();
  for (guint j = 0; j < jobs; j++)
    for (guint a = 0; a < n; a++)
      propose (host, a, slot_of (200 + j, j % n), scores[j][a]);

  /* A hostile phase, then a synchronous one (PBFT's liveness needs one eventually). */
  for (guint step = 0; step < 3000; step++)
    {
      guint q = mock_host_n_queued (host);
      if (q == 0)
        {
          if (!mock_host_fire_next_timer (host))
            break;
          continue;
        }
      guint i = (guint) g_test_rand_int_range (0, (gint32) q);
      gint32 dice = g_test_rand_int_range (0, 100);
      if (dice < 10)
        mock_host_drop (host, i);
      else if (dice < 20)
        mock_host_duplicate (host, i);
      else
        mock_host_deliver (host, i);
    }
  run_until (host, 3600 * DMAS_S);
  for (guint j = 0; j < jobs; j++)
    {
      const MockDecision *first = mock_host_decision (host, 0, 200 + j, 0);
      g_assert_nonnull (first);
      /* validity: the winner bid exactly that score, or nobody bid > 0 */
      if (first->bid.agent == DMAS_AGENT_NONE)
        g_assert_cmpfloat (first->bid.score, ==, 0.0);
      else
        {
          g_assert_cmpuint (first->bid.agent, <, n);
          g_assert_cmpfloat (first->bid.score, ==, scores[j][first->bid.agent]);
          g_assert_cmpfloat (first->bid.score, >, 0.0);
        }
      for (guint a = 0; a < n; a++)
        assert_decided (host, a, 200 + j, first->bid);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pbft/decides/n4-messages", test_decides_n4);
  g_test_add_func ("/pbft/decides/n7-messages", test_decides_n7);
  g_test_add_func ("/pbft/decides/rejected", test_rejected);
  g_test_add_func ("/pbft/decides/batch", test_batch);
  g_test_add_func ("/pbft/crash/primary", test_primary_crash);
  g_test_add_func ("/pbft/crash/restart-restores", test_restart_restores);
  g_test_add_data_func ("/pbft/byzantine/winner-not-in-evidence",
                        GINT_TO_POINTER (TAMPER_WINNER_NOT_IN_EVIDENCE), test_faulty_primary);
  g_test_add_data_func ("/pbft/byzantine/altered-bid", GINT_TO_POINTER (TAMPER_ALTERED_BID),
                        test_faulty_primary);
  g_test_add_data_func ("/pbft/byzantine/forged-bid", GINT_TO_POINTER (TAMPER_FORGED_BID),
                        test_faulty_primary);
  g_test_add_data_func ("/pbft/byzantine/too-few-bids", GINT_TO_POINTER (TAMPER_TOO_FEW_BIDS),
                        test_faulty_primary);
  g_test_add_data_func ("/pbft/byzantine/worse-winner", GINT_TO_POINTER (TAMPER_WORSE_WINNER),
                        test_faulty_primary);
  g_test_add_data_func ("/pbft/byzantine/implausible-winner",
                        GINT_TO_POINTER (TAMPER_IMPLAUSIBLE_WINNER), test_faulty_primary);
  g_test_add_func ("/pbft/quorum/none-with-2f-alive", test_no_quorum);
  g_test_add_func ("/pbft/network/drop-duplicate-reorder", test_unreliable);
  return g_test_run ();
}
