/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The contract every consensus component must meet, run over every consensus module built. */
#include "config.h"

#include <dlfcn.h>
#include <malloc.h>
#include <math.h>
#include <string.h>

#include "mock-host.h"

/* The components are found, not listed: every *.so in $DMAS_BUILDDIR/plugins/consensus/.libs
 * is opened and each consensus component of its descriptor gets one test path per property,
 * /contract/<component>/<property>.
 *
 * What each fault model promises (DmasConsensusOps.fault_model; 1.0 plugins read as NONE):
 *
 *   property               NONE (auction, gossip)         CRASH / BYZANTINE
 *   no-faults              all decide, same winner, best  same
 *   reorder-duplicate      all decide, agree, valid       same
 *   drops (scripted/rand)  skipped: no guarantee          agreement + validity while lossy,
 *                                                         every live agent decides once healed
 *   leader-crash           skipped: no progress promised  live agents decide after the agent
 *                                                         that led the last slot crashes
 *   no-quorum              skipped: one agent is enough   nobody decides when one agent short
 *                                                         of the quorum (3 of 5 either model)
 *   restart-recovery       skipped                        a restarted agent never decides
 *                                                         differently, and decides new slots
 *   restart-mid-slot       skipped                        one agent down for good, another
 *                                                         crashing mid-slot and restarting:
 *                                                         the agents that stayed up decide
 *   late-joiner            skipped                        one agent down for good, another
 *                                                         down at the proposal and back
 *                                                         later: the proposers decide
 *   isolation              two hosts interleaved = two separate runs (every model)
 *   implausible-bid-*      two liars claim (score 1.0, 0.99) jobs their clusters can never
 *                          run (mock_host_set_implausible): every agent decides once, the
 *                          best plausible bid wins, a job only liars claim is rejected, only
 *                          liars are accused (at least once); on a host of ABI 1.2 (no
 *                          bid_plausible) the liar wins as before and nobody is accused
 *   hostile-bodies         one agent sends damaged bodies (truncated, bit-flipped, extreme
 *                          fields, lengthened, random, wrong type) of every message type:
 *                          no crash, bounded heap growth, every decision well formed;
 *                          BYZANTINE: agreement and validity too; CRASH and BYZANTINE: the
 *                          slot is decided everywhere once the damage stops
 *
 * A "correct" delivery here is synchronous: the driver delivers every queued message before it
 * fires the next timer, so time only moves when the network is idle. */

#define N_AGENTS 5
#define HORIZON (600 * DMAS_S) /* virtual time a scenario may take at most */
#define MAX_ACTIONS 2000000

typedef struct {
  gchar *plugin;
  gchar *name;
  guint32 fault_model;
} Component;

/* ---- scenario driver ------------------------------------------------------------------- */

typedef struct {
  gdouble drop, duplicate, reorder; /* probabilities per delivery */
} Faults;

typedef struct {
  MockHost *host;
  GRand *rng;       /* the delivery schedule's own stream */
  Faults faults;
  guint64 sent_by[N_AGENTS]; /* messages each agent put on the network (leader detection) */
  guint64 actions;
} Driver;

static const DmasComponent *
load (const Component *c)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *comp = mock_component_load (DMAS_KIND_CONSENSUS, c->plugin, c->name,
                                                   &error);
  g_assert_no_error (error);
  return comp;
}

static void
driver_init (Driver *d, const Component *c, guint64 host_seed, guint32 schedule_seed)
{
  memset (d, 0, sizeof *d);
  d->host = mock_host_new (N_AGENTS, host_seed);
  d->rng = g_rand_new_with_seed (schedule_seed);
  g_autoptr (GError) error = NULL;
  mock_host_start (d->host, load (c), NULL, &error);
  g_assert_no_error (error);
}

static void
driver_clear (Driver *d)
{
  g_clear_pointer (&d->host, mock_host_free);
  g_clear_pointer (&d->rng, g_rand_free);
}

static DmasSlot
slot_of (DmasJobId job, DmasAgentId home)
{
  return (DmasSlot){ .job = job, .epoch = 0, .home = home };
}

/* Every live agent proposes its score for `slot`. */
static void
propose_all (Driver *d, DmasSlot slot, const gdouble *scores)
{
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    if (mock_host_agent_is_up (d->host, a) && mock_host_instance (d->host, a,
                                                                   DMAS_KIND_CONSENSUS) != NULL)
      {
        DmasBid bid = { .job = slot.job, .agent = a, .reserved = 0, .score = scores[a] };
        g_assert_cmpint (mock_host_propose (d->host, a, &slot, &bid), ==, DMAS_OK);
      }
}

static gboolean
decided (Driver *d, DmasAgentId a, DmasJobId job)
{
  return mock_host_decision (d->host, a, job, 0) != NULL;
}

/* Every live agent has decided `job`. */
static gboolean
all_live_decided (Driver *d, DmasJobId job)
{
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    if (mock_host_agent_is_up (d->host, a) && !decided (d, a, job))
      return FALSE;
  return TRUE;
}

/* One action: deliver (maybe dropping, duplicating or reordering) a queued message, or, when
 * the network is idle, fire the next timer.  Returns FALSE when nothing is left before
 * `until`. */
static gboolean
driver_step (Driver *d, DmasTime until)
{
  g_assert_cmpuint (++d->actions, <, MAX_ACTIONS);
  guint queued = mock_host_n_queued (d->host);
  if (queued > 0)
    {
      guint i = 0;
      if (d->faults.reorder > 0 && g_rand_double (d->rng) < d->faults.reorder)
        i = g_rand_int_range (d->rng, 0, (gint32) queued);
      const MockMessage *m = mock_host_queued (d->host, i);
      if (m->src < N_AGENTS)
        d->sent_by[m->src]++;
      if (d->faults.drop > 0 && g_rand_double (d->rng) < d->faults.drop)
        {
          mock_host_drop (d->host, i);
          return TRUE;
        }
      if (d->faults.duplicate > 0 && g_rand_double (d->rng) < d->faults.duplicate)
        mock_host_duplicate (d->host, i);
      mock_host_deliver (d->host, i);
      return TRUE;
    }
  DmasTime next = mock_host_next_timer (d->host);
  if (next == DMAS_TIME_NONE || next > until)
    return FALSE;
  return mock_host_fire_next_timer (d->host);
}

/* Runs until every live agent decided `job` (or nothing is left before `until`). */
static void
run_until_decided (Driver *d, DmasJobId job, DmasTime until)
{
  while (!all_live_decided (d, job) && driver_step (d, until))
    ;
}

static void
run_until (Driver *d, DmasTime until)
{
  while (driver_step (d, until))
    ;
}

/* ---- checks ---------------------------------------------------------------------------- */

/* The reference rule: best by dmas_bid_better among bids > 0, else DMAS_AGENT_NONE. */
static DmasAgentId
reference_winner (DmasJobId job, const gdouble *scores)
{
  DmasBid best = { .job = job, .agent = DMAS_AGENT_NONE, .score = 0.0 };
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    {
      DmasBid b = { .job = job, .agent = a, .score = scores[a] };
      if (b.score > 0.0 && (best.agent == DMAS_AGENT_NONE || dmas_bid_better (&b, &best)))
        best = b;
    }
  return best.agent;
}

/* Agreement, validity and integrity of `job` over every decision recorded (incarnations
 * included): one winner for all, a winner that bid > 0 with that very score, and at most one
 * decision per agent incarnation.  Returns the winner (DMAS_AGENT_NONE when rejected or when
 * nobody decided) and sets *n_decided. */
static DmasAgentId
check_slot (Driver *d, DmasJobId job, const gdouble *scores, guint *n_decided)
{
  DmasAgentId winner = DMAS_AGENT_NONE;
  guint n = 0;
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    {
      const GArray *all = mock_host_decisions (d->host, a);
      guint mine = 0;
      for (guint i = 0; i < all->len; i++)
        {
          const MockDecision *dec = &g_array_index (all, MockDecision, i);
          if (dec->slot.job != job)
            continue;
          g_assert_cmpuint (dec->bid.job, ==, job);
          if (n == 0 && mine == 0)
            winner = dec->bid.agent;
          g_assert_cmpint ((gint) dec->bid.agent, ==, (gint) winner); /* agreement */
          if (dec->bid.agent != DMAS_AGENT_NONE)
            {
              g_assert_cmpuint (dec->bid.agent, <, N_AGENTS);
              g_assert_cmpfloat (scores[dec->bid.agent], >, 0.0); /* validity */
              g_assert_cmpfloat (dec->bid.score, ==, scores[dec->bid.agent]);
            }
          else
            g_assert_cmpfloat (dec->bid.score, ==, 0.0);
          mine++;
        }
      if (mine > 0)
        n++;
    }
  if (n_decided != NULL)
    *n_decided = n;
  return winner;
}

static void
random_scores (GRand *rng, gdouble *scores)
{
  for (guint a = 0; a < N_AGENTS; a++)
    /* a quarter of the agents cannot run the job; ties happen (two decimals) */
    scores[a] = g_rand_double (rng) < 0.25 ? 0.0
                                           : (gdouble) g_rand_int_range (rng, 1, 100) / 100.0;
}

static gboolean
crash_tolerant (const Component *c)
{
  return c->fault_model == DMAS_FAULT_MODEL_CRASH || c->fault_model == DMAS_FAULT_MODEL_BYZANTINE;
}

/* The quorum of the fault model (dmas/consensus.h): floor(n/2) + 1 for crash faults, 2f + 1
 * with f = floor((n-1)/3) for Byzantine ones (both 3 of 5). */
static guint
quorum (const Component *c)
{
  return c->fault_model == DMAS_FAULT_MODEL_BYZANTINE ? 2 * ((N_AGENTS - 1) / 3) + 1
                                                      : N_AGENTS / 2 + 1;
}

/* ---- properties ------------------------------------------------------------------------ */

static void
test_no_faults (gconstpointer data)
{
  const Component *c = data;
  Driver d;
  driver_init (&d, c, g_test_rand_int (), g_test_rand_int ());
  g_autoptr (GRand) rng = g_rand_new_with_seed (g_test_rand_int ());
  for (DmasJobId job = 1; job <= 4; job++)
    {
      gdouble scores[N_AGENTS];
      random_scores (rng, scores);
      if (job == 3)
        memset (scores, 0, sizeof scores); /* nobody can run it: rejected */
      if (job == 4)
        {
          /* equal scores: the tie-break decides when they are the best */
          scores[2] = 0.5;
          scores[4] = 0.5;
        }
      propose_all (&d, slot_of (job, (DmasAgentId) (job % N_AGENTS)), scores);
      run_until_decided (&d, job, mock_host_now (d.host) + HORIZON);
      guint n;
      DmasAgentId w = check_slot (&d, job, scores, &n);
      g_assert_cmpuint (n, ==, N_AGENTS);
      g_assert_cmpint ((gint) w, ==, (gint) reference_winner (job, scores));
      for (DmasAgentId a = 0; a < N_AGENTS; a++)
        {
          const GArray *all = mock_host_decisions (d.host, a);
          guint mine = 0;
          for (guint i = 0; i < all->len; i++)
            mine += g_array_index (all, MockDecision, i).slot.job == job;
          g_assert_cmpuint (mine, ==, 1); /* decide exactly once */
        }
    }
  driver_clear (&d);
}

/* Slots proposed with a lossy, duplicating, reordering network, then healed. */
static void
faulty_network (const Component *c, Faults faults, guint32 schedule_seed)
{
  Driver d;
  driver_init (&d, c, g_test_rand_int (), schedule_seed);
  g_autoptr (GRand) rng = g_rand_new_with_seed (schedule_seed);
  gdouble scores[4][N_AGENTS];
  d.faults = faults;
  for (DmasJobId job = 1; job <= 4; job++)
    {
      random_scores (rng, scores[job - 1]);
      propose_all (&d, slot_of (job, (DmasAgentId) (job % N_AGENTS)), scores[job - 1]);
      run_until_decided (&d, job, mock_host_now (d.host) + 30 * DMAS_S);
      check_slot (&d, job, scores[job - 1], NULL);
    }
  /* Heal: from now on every message arrives (still reordered and duplicated). */
  d.faults.drop = 0;
  for (DmasJobId job = 1; job <= 4; job++)
    {
      run_until_decided (&d, job, mock_host_now (d.host) + HORIZON);
      guint n;
      check_slot (&d, job, scores[job - 1], &n);
      if (n != N_AGENTS)
        g_printerr ("# after the network healed, %u of %u agents decided job %u (schedule "
                    "seed %u; %u timers pending at t=%" G_GUINT64_FORMAT " ns)\n", n, N_AGENTS,
                    (guint) job, schedule_seed, mock_host_n_timers (d.host),
                    mock_host_now (d.host));
      g_assert_cmpuint (n, ==, N_AGENTS);
    }
  driver_clear (&d);
}

static void
test_reorder_duplicate (gconstpointer data)
{
  faulty_network (data, (Faults){ .drop = 0, .duplicate = 0.3, .reorder = 0.7 },
                  g_test_rand_int ());
}

static void
test_drops_scripted (gconstpointer data)
{
  const Component *c = data;
  /* Every other message is lost until healed; a deterministic schedule. */
  Driver d;
  driver_init (&d, c, g_test_rand_int (), 1);
  gdouble scores[N_AGENTS] = { 0.3, 0.9, 0.0, 0.9, 0.5 };
  propose_all (&d, slot_of (1, 1), scores);
  for (guint k = 0; k < 200000 && !all_live_decided (&d, 1); k++)
    {
      if (mock_host_n_queued (d.host) > 0 && k % 2 == 0)
        mock_host_drop (d.host, 0);
      else if (!driver_step (&d, 30 * DMAS_S))
        break;
      check_slot (&d, 1, scores, NULL);
    }
  run_until_decided (&d, 1, mock_host_now (d.host) + HORIZON);
  guint n;
  check_slot (&d, 1, scores, &n);
  if (n != N_AGENTS)
    g_printerr ("# after the network healed, %u of %u agents decided (%u timers pending at "
                "t=%" G_GUINT64_FORMAT " ns)\n", n, N_AGENTS, mock_host_n_timers (d.host),
                mock_host_now (d.host));
  g_assert_cmpuint (n, ==, N_AGENTS);
  driver_clear (&d);
}

static void
test_drops_random (gconstpointer data)
{
  const Component *c = data;
  for (guint round = 0; round < 5; round++)
    faulty_network (c, (Faults){ .drop = 0.2, .duplicate = 0.1, .reorder = 0.5 },
                    g_test_rand_int ());
}

/* Which agent led slot `job`: the one that put the most messages on the network. */
static DmasAgentId
busiest (const Driver *d)
{
  DmasAgentId best = 0;
  for (DmasAgentId a = 1; a < N_AGENTS; a++)
    if (d->sent_by[a] > d->sent_by[best])
      best = a;
  return best;
}

static void
crash (Driver *d, DmasAgentId victim)
{
  mock_host_crash_agent (d->host, victim);
  g_assert_false (mock_host_agent_is_up (d->host, victim));
  /* The failure detector of the real host tells everybody else. */
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    if (mock_host_agent_is_up (d->host, a))
      mock_host_agent_status (d->host, a, victim, TRUE);
}

static void
test_leader_crash (gconstpointer data)
{
  const Component *c = data;
  Driver d;
  driver_init (&d, c, g_test_rand_int (), g_test_rand_int ());
  gdouble scores[N_AGENTS] = { 0.4, 0.6, 0.2, 0.8, 0.1 };
  propose_all (&d, slot_of (1, 0), scores);
  run_until_decided (&d, 1, HORIZON);
  check_slot (&d, 1, scores, NULL);
  DmasAgentId leader = busiest (&d);
  crash (&d, leader);
  gdouble again[N_AGENTS] = { 0.7, 0.3, 0.9, 0.5, 0.6 };
  DmasAgentId home = (leader + 1) % N_AGENTS;
  propose_all (&d, slot_of (2, home), again);
  run_until_decided (&d, 2, mock_host_now (d.host) + HORIZON);
  guint n;
  DmasAgentId w = check_slot (&d, 2, again, &n);
  g_assert_cmpuint (n, ==, N_AGENTS - 1);
  g_assert_cmpint ((gint) w, !=, (gint) leader);
  driver_clear (&d);
}

static void
test_no_quorum (gconstpointer data)
{
  const Component *c = data;
  Driver d;
  driver_init (&d, c, g_test_rand_int (), g_test_rand_int ());
  gdouble scores[N_AGENTS] = { 0.4, 0.6, 0.2, 0.8, 0.1 };
  /* Down so many that the live agents are one short of a quorum. */
  guint down = N_AGENTS - quorum (c) + 1;
  for (DmasAgentId a = 0; a < down; a++)
    crash (&d, N_AGENTS - 1 - a);
  propose_all (&d, slot_of (1, 0), scores);
  run_until (&d, HORIZON);
  guint n;
  check_slot (&d, 1, scores, &n);
  if (n != 0)
    g_printerr ("# %u live agents of %u (quorum %u) decided\n", n, N_AGENTS - down, quorum (c));
  g_assert_cmpuint (n, ==, 0);
  driver_clear (&d);
}

static void
test_restart_recovery (gconstpointer data)
{
  const Component *c = data;
  Driver d;
  driver_init (&d, c, g_test_rand_int (), g_test_rand_int ());
  g_autoptr (GRand) rng = g_rand_new_with_seed (g_test_rand_int ());
  gdouble scores[3][N_AGENTS];
  for (guint i = 0; i < 3; i++)
    random_scores (rng, scores[i]);
  propose_all (&d, slot_of (1, 0), scores[0]);
  run_until_decided (&d, 1, HORIZON);
  /* Crash an agent in the middle of slot 2, after a random share of its traffic. */
  propose_all (&d, slot_of (2, 1), scores[1]);
  DmasAgentId victim = (DmasAgentId) g_rand_int_range (rng, 0, N_AGENTS);
  guint steps = (guint) g_rand_int_range (rng, 0, 4 * N_AGENTS);
  for (guint k = 0; k < steps && driver_step (&d, HORIZON); k++)
    ;
  crash (&d, victim);
  run_until_decided (&d, 2, mock_host_now (d.host) + HORIZON);
  g_autoptr (GError) error = NULL;
  g_assert_true (mock_host_restart_agent (d.host, victim, &error));
  g_assert_no_error (error);
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    if (a != victim)
      mock_host_agent_status (d.host, a, victim, FALSE);
  run_until (&d, mock_host_now (d.host) + 60 * DMAS_S);
  /* New work reaches the restarted agent too. */
  propose_all (&d, slot_of (3, victim), scores[2]);
  run_until_decided (&d, 3, mock_host_now (d.host) + HORIZON);
  guint n;
  check_slot (&d, 1, scores[0], NULL);
  check_slot (&d, 2, scores[1], NULL);
  check_slot (&d, 3, scores[2], &n);
  g_assert_cmpuint (n, ==, N_AGENTS);
  driver_clear (&d);
}

/* One agent down for good, another crashing in the middle of a slot -- after `steps`
 * actions, before or after its own votes left -- and restarting 30 s later: the agents that
 * stayed up (a quorum again with the restarted one, within either fault model) must all
 * decide.  A protocol that resumes a restarted agent elsewhere than where the others wait
 * for it deadlocks here.  (The restarted agent itself learning the decision it missed is
 * not asked: pbft and multipaxos do not promise it yet.) */
static void
restart_mid_slot (const Component *c, DmasAgentId victim, guint steps)
{
  const DmasAgentId gone = N_AGENTS - 1;
  Driver d;
  driver_init (&d, c, g_test_rand_int (), g_test_rand_int ());
  gdouble scores[N_AGENTS] = { 0.4, 0.6, 0.2, 0.8, 0.1 };
  crash (&d, gone);
  propose_all (&d, slot_of (1, (victim + 1) % gone), scores);
  for (guint k = 0; k < steps && driver_step (&d, HORIZON); k++)
    ;
  crash (&d, victim);
  run_until_decided (&d, 1, mock_host_now (d.host) + 30 * DMAS_S);
  g_autoptr (GError) error = NULL;
  g_assert_true (mock_host_restart_agent (d.host, victim, &error));
  g_assert_no_error (error);
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    if (a != victim && a != gone)
      mock_host_agent_status (d.host, a, victim, FALSE);
  run_until_decided (&d, 1, mock_host_now (d.host) + HORIZON);
  check_slot (&d, 1, scores, NULL);
  for (DmasAgentId a = 0; a < gone; a++)
    if (a != victim && !decided (&d, a, 1))
      {
        g_printerr ("# agent %u crashed after %u actions and restarted: agent %u never "
                    "decided\n", victim, steps, a);
        g_assert_true (decided (&d, a, 1));
      }
  driver_clear (&d);
}

static void
test_restart_mid_slot (gconstpointer data)
{
  /* From before the first bid is delivered to well into the vote steps. */
  static const guint steps[] = { 0, 3, 8, 12, 16, 20, 24, 32, 48 };
  for (DmasAgentId victim = 0; victim < N_AGENTS - 1; victim++)
    for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
      restart_mid_slot (data, victim, steps[i]);
}

/* One agent down for good and another down when the slot is proposed, back 30 s later:
 * the agents that proposed must decide, although one of the agents they need now never
 * heard of the slot from its host (it only hears of it from them). */
static void
test_restart_late_joiner (gconstpointer data)
{
  const Component *c = data;
  const DmasAgentId gone = N_AGENTS - 1;
  for (DmasAgentId late = 0; late < gone; late++)
    {
      Driver d;
      driver_init (&d, c, g_test_rand_int (), g_test_rand_int ());
      gdouble scores[N_AGENTS] = { 0.4, 0.6, 0.2, 0.8, 0.1 };
      crash (&d, gone);
      crash (&d, late);
      propose_all (&d, slot_of (1, (late + 1) % gone), scores);
      run_until_decided (&d, 1, mock_host_now (d.host) + 30 * DMAS_S);
      g_autoptr (GError) error = NULL;
      g_assert_true (mock_host_restart_agent (d.host, late, &error));
      g_assert_no_error (error);
      for (DmasAgentId a = 0; a < N_AGENTS; a++)
        if (a != late && a != gone)
          mock_host_agent_status (d.host, a, late, FALSE);
      run_until_decided (&d, 1, mock_host_now (d.host) + HORIZON);
      check_slot (&d, 1, scores, NULL);
      for (DmasAgentId a = 0; a < gone; a++)
        if (a != late && !decided (&d, a, 1))
          {
            g_printerr ("# agent %u down at the proposal, back later: agent %u never "
                        "decided\n", late, a);
            g_assert_true (decided (&d, a, 1));
          }
      driver_clear (&d);
    }
}

/* ---- hostile bodies -------------------------------------------------------------------- */

#define HOSTILE_SAMPLES 4        /* bodies kept per message type */
#define HOSTILE_MESSAGES 600     /* damaged messages injected */
#define HOSTILE_STEP_BYTES (4u << 20)   /* heap growth allowed per damaged message */
#define HOSTILE_TOTAL_BYTES (64u << 20) /* and over all of them */

typedef struct {
  guint32 type;
  GBytes *body;
} Sample;

static gsize
heap_in_use (void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 mi = mallinfo2 ();
  return mi.uordblks + mi.hblkhd;
#else
  return 0; /* not measurable here: the growth checks pass trivially, the others still run */
#endif
}

/* Keeps up to HOSTILE_SAMPLES bodies of each message type the component sends. */
static void
sample_add (GArray *samples, const MockMessage *m)
{
  guint have = 0;
  for (guint i = 0; i < samples->len; i++)
    have += g_array_index (samples, Sample, i).type == m->type;
  if (have >= HOSTILE_SAMPLES)
    return;
  Sample sm = { m->type, g_bytes_ref (m->body) };
  g_array_append_val (samples, sm);
}

static void
sample_clear (gpointer p)
{
  Sample *sm = p;
  g_bytes_unref (sm->body);
}

/* A damaged copy of a real body: truncated, bit-flipped, a field set to an extreme value,
 * lengthened, random bytes, or the body under another message type. */
static GByteArray *
damage (GRand *rng, const Sample *sm, guint32 *type)
{
  gsize len;
  const guint8 *orig = g_bytes_get_data (sm->body, &len);
  GByteArray *b = g_byte_array_new ();
  g_byte_array_append (b, orig, (guint) len);
  *type = sm->type;
  static const guint64 extremes[] = { 0, 1, G_MAXUINT32, G_MAXINT32, G_MAXUINT64,
                                      G_MAXUINT64 - 1, (guint64) 1 << 63, 0x7ff8000000000000ull };
  switch (g_rand_int_range (rng, 0, 6))
    {
    case 0:
      g_byte_array_set_size (b, len > 0 ? (guint) g_rand_int_range (rng, 0, (gint32) len) : 0);
      break;
    case 1:
      for (gint k = g_rand_int_range (rng, 1, 9); k > 0 && len > 0; k--)
        {
          guint bit = (guint) g_rand_int_range (rng, 0, (gint32) (8 * len));
          b->data[bit / 8] ^= (guint8) (1u << (bit % 8));
        }
      break;
    case 2:
      if (len >= 8)
        {
          guint64 v = extremes[g_rand_int_range (rng, 0, G_N_ELEMENTS (extremes))];
          gsize width = g_rand_boolean (rng) ? 8 : 4;
          gsize at = (gsize) g_rand_int_range (rng, 0, (gint32) (len - width + 1));
          memcpy (b->data + at, &v, width); /* little-endian hosts: the low bytes */
        }
      break;
    case 3:
      for (gint k = g_rand_int_range (rng, 1, 65); k > 0; k--)
        {
          guint8 x = (guint8) g_rand_int_range (rng, 0, 256);
          g_byte_array_append (b, &x, 1);
        }
      break;
    case 4:
      g_byte_array_set_size (b, (guint) g_rand_int_range (rng, 0, (gint32) (2 * len + 17)));
      for (guint i = 0; i < b->len; i++)
        b->data[i] = (guint8) g_rand_int_range (rng, 0, 256);
      break;
    default:
      *type = (guint32) g_rand_int_range (rng, 0, 16);
      break;
    }
  return b;
}

/* Every decision names its slot's job, a member or nobody, and a finite score > 0 for a winner
 * (0 for nobody): what any host can act on.  A damaged body must never produce less. */
static void
check_decisions_well_formed (Driver *d)
{
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    {
      const GArray *all = mock_host_decisions (d->host, a);
      for (guint i = 0; i < all->len; i++)
        {
          const MockDecision *dec = &g_array_index (all, MockDecision, i);
          g_assert_cmpuint (dec->bid.job, ==, dec->slot.job);
          if (dec->bid.agent == DMAS_AGENT_NONE)
            g_assert_cmpfloat (dec->bid.score, ==, 0.0);
          else
            {
              g_assert_cmpuint (dec->bid.agent, <, N_AGENTS);
              g_assert_true (isfinite (dec->bid.score));
              g_assert_cmpfloat (dec->bid.score, >, 0.0);
            }
        }
    }
}

/* One agent (the last) sends damaged copies of every message type the component uses, to
 * every other agent, while a slot is being decided.  Nobody may crash, allocate without bound
 * or decide something malformed; a Byzantine-tolerant component (one faulty sender is within
 * its f) must also keep agreement and validity; a crash-tolerant one must still decide the
 * slot once the damage stops (a damaged body is out of a crash model, so agreement is not
 * asked of it). */
static void
test_hostile_bodies (gconstpointer data)
{
  const Component *c = data;
  Driver d;
  driver_init (&d, c, g_test_rand_int (), g_test_rand_int ());
  g_autoptr (GRand) rng = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr (GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_array_set_clear_func (samples, sample_clear);
  gdouble scores[2][N_AGENTS];
  random_scores (rng, scores[0]);
  random_scores (rng, scores[1]);

  /* Slot 1, undisturbed: it shows the bodies of every type the component sends. */
  propose_all (&d, slot_of (1, 1), scores[0]);
  while (!all_live_decided (&d, 1))
    {
      if (mock_host_n_queued (d.host) > 0)
        sample_add (samples, mock_host_queued (d.host, 0));
      if (!driver_step (&d, HORIZON))
        break;
    }
  g_assert_cmpuint (samples->len, >, 0);

  /* Slot 2, with damaged bodies from agent N_AGENTS - 1 among the real messages. */
  const DmasAgentId liar = N_AGENTS - 1;
  propose_all (&d, slot_of (2, 2), scores[1]);
  gsize start = heap_in_use ();
  for (guint k = 0; k < HOSTILE_MESSAGES; k++)
    {
      const Sample *sm = &g_array_index (samples, Sample,
                                         g_rand_int_range (rng, 0, (gint32) samples->len));
      guint32 type;
      g_autoptr (GByteArray) body = damage (rng, sm, &type);
      DmasAgentId dst = (DmasAgentId) g_rand_int_range (rng, 0, N_AGENTS - 1);
      mock_host_inject (d.host, DMAS_KIND_CONSENSUS, liar, dst, type, body->data, body->len);
      gsize before = heap_in_use ();
      /* The damaged message first, then a few real actions. */
      for (guint q = 0; q < mock_host_n_queued (d.host); q++)
        if (mock_host_queued (d.host, q)->injected)
          {
            mock_host_deliver (d.host, q);
            break;
          }
      gsize after = heap_in_use ();
      if (after > before)
        g_assert_cmpuint (after - before, <, HOSTILE_STEP_BYTES);
      for (guint step = 0; step < 3 && driver_step (&d, mock_host_now (d.host) + HORIZON); step++)
        ;
    }
  gsize end = heap_in_use ();
  if (end > start)
    g_assert_cmpuint (end - start, <, HOSTILE_TOTAL_BYTES);

  run_until_decided (&d, 2, mock_host_now (d.host) + HORIZON);
  check_decisions_well_formed (&d);
  if (c->fault_model == DMAS_FAULT_MODEL_BYZANTINE)
    {
      check_slot (&d, 1, scores[0], NULL);
      check_slot (&d, 2, scores[1], NULL);
    }
  if (crash_tolerant (c))
    {
      if (!all_live_decided (&d, 2))
        g_printerr ("# after %u damaged messages, slot 2 is not decided everywhere "
                    "(%u timers pending at t=%" G_GUINT64_FORMAT " ns)\n", HOSTILE_MESSAGES,
                    mock_host_n_timers (d.host), mock_host_now (d.host));
      g_assert_true (all_live_decided (&d, 2));
    }
  driver_clear (&d);
}

/* What a run leaves behind, to compare runs with. */
static gchar *
outcome (Driver *d)
{
  GString *s = g_string_new (NULL);
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    {
      const GArray *all = mock_host_decisions (d->host, a);
      for (guint i = 0; i < all->len; i++)
        {
          const MockDecision *dec = &g_array_index (all, MockDecision, i);
          g_string_append_printf (s, "%u: job %" G_GUINT64_FORMAT " -> %d at %" G_GUINT64_FORMAT
                                  "\n", a, dec->slot.job, (gint) dec->bid.agent, dec->at);
        }
    }
  g_string_append_printf (s, "sent %" G_GUINT64_FORMAT " msgs %" G_GUINT64_FORMAT " bytes\n",
                          mock_host_sent_messages (d->host, DMAS_KIND_CONSENSUS),
                          mock_host_sent_bytes (d->host, DMAS_KIND_CONSENSUS));
  return g_string_free (s, FALSE);
}

typedef struct {
  Driver d;
  gdouble scores[3][N_AGENTS];
  DmasJobId job;  /* the slot being decided, 0 before the first, 4 when done */
} Scenario;

static void
scenario_init (Scenario *s, const Component *c, guint64 seed)
{
  driver_init (&s->d, c, seed, (guint32) seed);
  s->d.faults = (Faults){ .drop = 0, .duplicate = 0.2, .reorder = 0.5 };
  for (guint i = 0; i < 3; i++)
    random_scores (s->d.rng, s->scores[i]);
  s->job = 0;
}

/* One action of the scenario; FALSE when it is over. */
static gboolean
scenario_step (Scenario *s)
{
  if (s->job == 0 || (s->job <= 3 && all_live_decided (&s->d, s->job)))
    {
      if (++s->job > 3)
        return FALSE;
      propose_all (&s->d, slot_of (s->job, (DmasAgentId) s->job), s->scores[s->job - 1]);
      return TRUE;
    }
  return driver_step (&s->d, HORIZON);
}

static void
test_isolation (gconstpointer data)
{
  const Component *c = data;
  guint64 seeds[2] = { g_test_rand_int (), g_test_rand_int () ^ 0x5a5a };
  g_autofree gchar *alone[2] = { NULL, NULL };
  for (guint i = 0; i < 2; i++)
    {
      Scenario s;
      scenario_init (&s, c, seeds[i]);
      while (scenario_step (&s))
        ;
      alone[i] = outcome (&s.d);
      driver_clear (&s.d);
    }
  Scenario both[2];
  scenario_init (&both[0], c, seeds[0]);
  scenario_init (&both[1], c, seeds[1]);
  gboolean more[2] = { TRUE, TRUE };
  while (more[0] || more[1])
    for (guint i = 0; i < 2; i++)
      if (more[i])
        more[i] = scenario_step (&both[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree gchar *together = outcome (&both[i].d);
      g_assert_cmpstr (together, ==, alone[i]);
      driver_clear (&both[i].d);
    }
}

/* ---- implausible bids (host API 1.3 bid_plausible) ------------------------------------- */

/* Two liars, agents 1 and 3: their clusters can run none of the jobs, yet they bid 1.0 and
 * 0.99 (a compromised LLM bidder's claims go out unchecked).  Two, so that in a leader-based
 * protocol at least one is not the agent choosing the winner, and is caught by another. */
#define LIAR_A 1
#define LIAR_B 3
#define N_LIAR_JOBS 5

static void
liar_scores (GRand *rng, DmasJobId job, gdouble *claimed, gdouble *honest)
{
  for (DmasAgentId a = 0; a < N_AGENTS; a++)
    /* Every honest agent can run jobs 1-4 (so the best plausible bid exists); job 5 only the
     * liars claim: it must be rejected. */
    honest[a] = job == N_LIAR_JOBS ? 0.0 : (gdouble) g_rand_int_range (rng, 1, 90) / 100.0;
  memcpy (claimed, honest, sizeof (gdouble) * N_AGENTS);
  claimed[LIAR_A] = 1.0;
  claimed[LIAR_B] = 0.99;
  honest[LIAR_A] = 0.0;
  honest[LIAR_B] = 0.0;
}

/* Runs jobs 1..N_LIAR_JOBS (homes 1, 2, 3, 4, 0: each liar is a home once) with the liars'
 * claims, on a host of ABI minor `abi_minor`.  Every agent must decide each job once, for a
 * bid placed with that score.  Returns the driver (the caller clears it), the best claimed
 * bidder and the decided winner of job 1 in *claimed_winner and *decided_winner, and in
 * *all_plausible_won whether every job went to the best plausible bid (or was rejected when
 * there was none). */
static Driver
liar_run (const Component *c, guint32 abi_minor, DmasAgentId *claimed_winner,
          DmasAgentId *decided_winner, gboolean *all_plausible_won)
{
  Driver d;
  memset (&d, 0, sizeof d);
  d.host = mock_host_new (N_AGENTS, g_test_rand_int ());
  d.rng = g_rand_new_with_seed (g_test_rand_int ());
  mock_host_set_abi_minor (d.host, abi_minor);
  for (DmasJobId job = 1; job <= N_LIAR_JOBS; job++)
    {
      mock_host_set_implausible (d.host, job, LIAR_A);
      mock_host_set_implausible (d.host, job, LIAR_B);
    }
  g_autoptr (GError) error = NULL;
  mock_host_start (d.host, load (c), NULL, &error);
  g_assert_no_error (error);
  g_autoptr (GRand) rng = g_rand_new_with_seed (g_test_rand_int ());
  *all_plausible_won = TRUE;
  for (DmasJobId job = 1; job <= N_LIAR_JOBS; job++)
    {
      gdouble claimed[N_AGENTS], honest[N_AGENTS];
      liar_scores (rng, job, claimed, honest);
      propose_all (&d, slot_of (job, (DmasAgentId) (job % N_AGENTS)), claimed);
      run_until_decided (&d, job, mock_host_now (d.host) + HORIZON);
      guint n;
      /* Validity against the claims: whatever is decided was bid, with that very score. */
      DmasAgentId w = check_slot (&d, job, claimed, &n);
      g_assert_cmpuint (n, ==, N_AGENTS);
      if (w != reference_winner (job, honest))
        *all_plausible_won = FALSE;
      if (job == 1)
        {
          *claimed_winner = reference_winner (job, claimed);
          *decided_winner = w;
        }
    }
  return d;
}

static void
test_implausible_never_wins (gconstpointer data)
{
  const Component *c = data;
  DmasAgentId claimed, winner;
  gboolean plausible_won;
  Driver d = liar_run (c, DMAS_ABI_MINOR, &claimed, &winner, &plausible_won);
  /* The liars' claims were the best bids, and no liar won anything: the best plausible bid
   * won every job (job 5, claimed by the liars only, was rejected). */
  g_assert_cmpint ((gint) claimed, ==, LIAR_A);
  g_assert_cmpint ((gint) winner, !=, LIAR_A);
  g_assert_true (plausible_won);
  g_assert_cmpfloat (mock_host_metric (d.host, "implausible_bids"), >=, 1.0);
  /* Somebody caught a liar, and only liars were accused, never by themselves. */
  const GArray *acc = mock_host_accusations (d.host);
  g_assert_cmpuint (acc->len, >=, 1);
  for (guint i = 0; i < acc->len; i++)
    {
      const MockAccusation *a = &g_array_index (acc, MockAccusation, i);
      g_assert_true (a->accused == LIAR_A || a->accused == LIAR_B);
      g_assert_cmpuint (a->accuser, !=, a->accused);
    }
  driver_clear (&d);
}

/* A host older than ABI 1.3 cannot tell: the protocols treat every bid as plausible, so the
 * liar's claim wins as before, and nobody is accused.  (This is what the checks above
 * change, and proves the plugins do not call what an old host lacks.) */
static void
test_implausible_old_host (gconstpointer data)
{
  const Component *c = data;
  DmasAgentId claimed, winner;
  gboolean plausible_won;
  Driver d = liar_run (c, 2, &claimed, &winner, &plausible_won);
  g_assert_cmpint ((gint) claimed, ==, LIAR_A);
  g_assert_cmpint ((gint) winner, ==, LIAR_A);
  g_assert_false (plausible_won);
  g_assert_cmpfloat (mock_host_metric (d.host, "implausible_bids"), ==, 0.0);
  g_assert_cmpuint (mock_host_accusations (d.host)->len, ==, 0);
  driver_clear (&d);
}

/* ---- discovery ------------------------------------------------------------------------- */

static void
component_free (gpointer p)
{
  Component *c = p;
  g_free (c->plugin);
  g_free (c->name);
  g_free (c);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

/* Every consensus component of every module in the build tree, in file then descriptor
 * order. */
static GPtrArray *
discover (void)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *dir = g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR,
                                            "plugins", "consensus", ".libs", NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (component_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return found;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  for (const gchar *f; (f = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (f, ".so"))
      g_ptr_array_add (files, g_strdup (f));
  g_ptr_array_sort (files, compare_strings);
  for (guint i = 0; i < files->len; i++)
    {
      const gchar *file = files->pdata[i];
      g_autofree gchar *path = g_build_filename (dir, file, NULL);
      void *handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);
      g_assert_nonnull (handle);
      const DmasPluginDesc *(*describe) (void) = NULL;
      *(void **) &describe = dlsym (handle, "dmas_plugin_describe");
      g_assert_nonnull (describe);
      const DmasPluginDesc *desc = describe ();
      for (guint32 k = 0; k < desc->n_components; k++)
        {
          const DmasComponent *comp = &desc->components[k];
          if (comp->kind != DMAS_KIND_CONSENSUS)
            continue;
          const DmasConsensusOps *ops = comp->ops;
          Component *c = g_new0 (Component, 1);
          c->plugin = g_strndup (file, strlen (file) - 3);
          c->name = g_strdup (comp->name);
          c->fault_model = ops->struct_size >= offsetof (DmasConsensusOps, fault_model)
                                                 + sizeof ops->fault_model
                               ? ops->fault_model
                               : DMAS_FAULT_MODEL_NONE;
          g_ptr_array_add (found, c);
        }
      /* The module stays mapped: mock_component_load opens it again. */
    }
  return found;
}

/* Each case runs in a child process, so that one component's failure neither hides the others'
 * results nor stops the program; the parent decides the skips. */
typedef struct {
  const Component *component;
  GTestDataFunc fn;
  const gchar *needs; /* non-NULL: what a fault model NONE does not promise (skipped) */
} Case;

static void
run_case (gconstpointer data)
{
  const Case *k = data;
  if (k->needs != NULL && !crash_tolerant (k->component))
    {
      g_autofree gchar *why = g_strdup_printf ("%s: fault model NONE promises no %s",
                                               k->component->name, k->needs);
      g_test_skip (why);
      return;
    }
  if (g_test_subprocess ())
    {
      k->fn (k->component);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions (); /* a failed child fails its case, not the program */
  g_autoptr (GPtrArray) components = discover ();
  static const struct {
    const gchar *property;
    GTestDataFunc fn;
    const gchar *needs;
  } properties[] = {
    { "no-faults", test_no_faults, NULL },
    { "reorder-duplicate", test_reorder_duplicate, NULL },
    { "agreement-under-scripted-drops", test_drops_scripted,
      "agreement or progress under message loss" },
    { "agreement-under-random-drops", test_drops_random,
      "agreement or progress under message loss" },
    { "progress-after-leader-crash", test_leader_crash, "progress after a crash" },
    { "no-decision-without-quorum", test_no_quorum, "quorum" },
    { "restart-recovers-from-storage", test_restart_recovery, "recovery from stable storage" },
    { "progress-after-restart-mid-slot", test_restart_mid_slot, "progress after a restart" },
    { "progress-with-late-joiner", test_restart_late_joiner, "progress after a restart" },
    { "no-hidden-global-state", test_isolation, NULL },
    { "hostile-bodies", test_hostile_bodies, NULL },
    { "implausible-bid-never-wins", test_implausible_never_wins, NULL },
    { "implausible-bid-old-host", test_implausible_old_host, NULL },
  };
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < components->len; i++)
    for (gsize p = 0; p < G_N_ELEMENTS (properties); p++)
      {
        Case *k = g_new0 (Case, 1);
        k->component = components->pdata[i];
        k->fn = properties[p].fn;
        k->needs = properties[p].needs;
        g_ptr_array_add (cases, k);
        g_autofree gchar *path = g_strdup_printf ("/contract/%s/%s", k->component->name,
                                                  properties[p].property);
        g_test_add_data_func (path, k, run_case);
      }
  return g_test_run ();
}
