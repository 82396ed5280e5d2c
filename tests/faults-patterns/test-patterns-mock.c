/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plugins/faults/targets.h, and fault/crash's mttr and cascading patterns on the mock host. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "../plugins/mock-host.h"
#include "../../plugins/faults/duration.h"
#include "../../plugins/faults/targets.h"

/* ---- targets.h ---- */

static void
test_targets_parse (void)
{
  static const struct {
    const gchar *text;
    gint flags;
    gint rc;
    const gchar *ids;      /* resolved ids as JSON, or the error's start */
  } cases[] = {
    { "all", 0, DMAS_OK, "[0,1,2,3,4]" },
    { "3, 1", 0, DMAS_OK, "[1,3]" },
    { "4", 0, DMAS_OK, "[4]" },
    { "controller,0", DMAS_TARGETS_ALLOW_CONTROLLER, DMAS_OK, "[0,\"controller\"]" },
    { "controller", 0, DMAS_EINVAL, "targets: 'controller' is not a list of agents; write "
                                    "agent ids (\"1\", \"0,3\"), \"all\" or \"random:N\"" },
    { "5", 0, DMAS_EINVAL, "targets: there is no agent 5 (the platform has agents 0 to 4)" },
    { "1,1", 0, DMAS_EINVAL, "targets: agent 1 is listed twice in '1,1'" },
    { "1,,2", 0, DMAS_EINVAL, "targets: '1,,2' is not a list of agents" },
    { "random:0", 0, DMAS_EINVAL, "targets: 'random:0': after 'random:' give how many" },
    { "random:6", 0, DMAS_EINVAL, "targets: 'random:6' asks for 6 agents but the platform "
                                  "has 5" },
    { "random:2x", 0, DMAS_EINVAL, "targets: 'random:2x': after 'random:'" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DmasTargets t;
      DmasError err = { 0, "" };
      char json[128];
      int rc = dmas_targets_parse (&t, "targets", cases[i].text, 5, cases[i].flags, &err);

      g_test_message ("%s -> %d %s", cases[i].text, rc, err.message);
      g_assert_cmpint (rc, ==, cases[i].rc);
      if (rc == DMAS_OK)
        {
          g_assert_true (dmas_targets_to_json (&t, json, sizeof json));
          g_assert_cmpstr (json, ==, cases[i].ids);
        }
      else
        g_assert_true (g_str_has_prefix (err.message, cases[i].ids));
      dmas_targets_clear (&t);
    }
}

/* The mock host's stream for a fault instance, to replay its draws. */
static GRand *
fault_stream (guint64 seed)
{
  guint32 words[4] = { (guint32) seed, (guint32) (seed >> 32), DMAS_AGENT_NONE,
                       DMAS_KIND_FAULT };
  return g_rand_new_with_seed_array (words, G_N_ELEMENTS (words));
}

static const DmasComponent *
crash_component (void)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_FAULT, "crash", "crash", &error);
  g_assert_no_error (error);
  return c;
}

static MockHost *
armed (guint n_agents, guint64 seed, const gchar *const *params)
{
  return mock_host_new_armed_fault ("crash", n_agents, seed, params);
}

static void
run_all (MockHost *host)
{
  while (mock_host_fire_next_timer (host))
    ;
}

/* "random:N" through the plugin draws what dmas_targets_draw documents: one rng_u64 per pick
 * (a partial Fisher-Yates shuffle), sorted. */
static void
test_targets_draw (void)
{
  const guint64 seed = g_test_rand_int ();
  const gchar *params[] = { "agents=random:3", "at=1s", NULL };
  g_autoptr (MockHost) host = armed (7, seed, params);
  g_autoptr (GRand) rng = fault_stream (seed);
  DmasAgentId ids[7];

  for (guint i = 0; i < 7; i++)
    ids[i] = i;
  for (guint i = 0; i < 3; i++)
    {
      /* The mock's rng_u64 is two 32-bit draws, high word first (mock-host-api.c). */
      guint64 hi = g_rand_int (rng), lo = g_rand_int (rng);
      guint32 j = i + (guint32) (((hi << 32) | lo) % (7 - i));
      DmasAgentId tmp = ids[i];
      ids[i] = ids[j];
      ids[j] = tmp;
    }
  qsort (ids, 3, sizeof ids[0], dmas_targets_compare_ids);
  run_all (host);
  const GArray *faults = mock_host_faults (host);
  g_assert_cmpuint (faults->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (g_array_index (faults, MockFault, i).agent, ==, ids[i]);
}

static void
test_parse_seconds (void)
{
  DmasTime t = 0;

  g_assert_true (dmas_fault_parse_seconds ("12.345678901", 12, &t));
  g_assert_cmpuint (t, ==, G_GUINT64_CONSTANT (12345678901));
  g_assert_true (dmas_fault_parse_seconds ("30", 2, &t));
  g_assert_cmpuint (t, ==, 30 * DMAS_S);
  g_assert_false (dmas_fault_parse_seconds ("0.0000000001", 12, &t));
  g_assert_false (dmas_fault_parse_seconds ("-1", 2, &t));
  g_assert_true (dmas_fault_parse_duration ("1.5m", &t));
  g_assert_cmpuint (t, ==, 90 * DMAS_S);
}

/* ---- crash: mttr ---- */

static gboolean
has_fault (const GArray *faults, DmasTime at, gboolean crash, DmasAgentId agent)
{
  for (guint j = 0; j < faults->len; j++)
    {
      const MockFault *f = &g_array_index (faults, MockFault, j);
      if (f->at == at && f->crash == crash && f->agent == agent)
        return TRUE;
    }
  return FALSE;
}

/* Pattern random with mttr: per agent, up time then repair time, each an exponential draw
 * of the entry's stream, in that order; crash k+1 counts its up time from restart k. */
static void
test_mttr_exact (void)
{
  const guint64 seed = g_test_rand_int ();
  const DmasTime mtbf = 100 * DMAS_S, mttr = 7 * DMAS_S;
  const gchar *params[] = { "agents=all", "pattern=random", "mtbf=100s", "mttr=7s", "count=3",
                            NULL };
  g_autoptr (MockHost) host = armed (3, seed, params);
  g_autoptr (GRand) rng = fault_stream (seed);
  guint expected = 0;

  run_all (host);
  const GArray *faults = mock_host_faults (host);
  for (DmasAgentId a = 0; a < 3; a++)
    {
      DmasTime t = 0, repair = 0;
      for (guint k = 0; k < 3; k++)
        {
          DmasTime base = k == 0 ? 0 : t + repair;
          t = base + (DmasTime) (-log (1.0 - g_rand_double (rng)) * (double) mtbf);
          repair = (DmasTime) (-log (1.0 - g_rand_double (rng)) * (double) mttr);
          g_assert_true (has_fault (faults, t, TRUE, a));
          g_assert_true (has_fault (faults, t + repair, FALSE, a));
          expected += 2;
        }
    }
  g_assert_cmpuint (faults->len, ==, expected);
}

/* Over many crashes the repairs average mttr (law of large numbers: 4000 draws of Exp(10 s)
 * have a standard error of 0.16 s; 1 s is six of them). */
static void
test_mttr_mean (void)
{
  const gchar *params[] = { "agents=all", "pattern=random", "mtbf=100s", "mttr=10s",
                            "count=1000", NULL };
  g_autoptr (MockHost) host = armed (4, g_test_rand_int (), params);
  DmasTime down_since[4] = { 0 };
  gdouble total = 0;
  guint n = 0;

  run_all (host);
  const GArray *faults = mock_host_faults (host);
  for (guint j = 0; j < faults->len; j++)
    {
      const MockFault *f = &g_array_index (faults, MockFault, j);
      if (f->crash)
        down_since[f->agent] = f->at;
      else
        {
          total += (gdouble) (f->at - down_since[f->agent]) / DMAS_S;
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 4000);
  g_assert_cmpfloat_with_epsilon (total / n, 10.0, 1.0);
}

/* ---- crash: cascading ---- */

/* Two agents: the crash of agent 0 at X makes its one neighbour, agent 1, draw
 * Y ~ Exp(mtbf / (factor - 1)) and crash at X + Y when Y is inside the window.  With factor
 * 1001 and mtbf 100 s the mean is 0.1 s: Y < 60 s except with probability about 1e-260.
 * Agent 1's crash cascades back to agent 0, which is down: that crash is skipped. */
static void
test_cascade_exact (void)
{
  const guint64 seed = g_test_rand_int ();
  const gchar *params[] = { "agents=0", "pattern=cascading", "mtbf=100s",
                            "restart_after=1h", "cascade_factor=1001", "cascade_window=60s",
                            NULL };
  g_autoptr (MockHost) host = armed (2, seed, params);
  g_autoptr (GRand) rng = fault_stream (seed);

  const DmasTime x = (DmasTime) (-log (1.0 - g_rand_double (rng)) * (double) (100 * DMAS_S));
  const DmasTime mean = (DmasTime) ((double) (100 * DMAS_S) / 1000.0);
  const DmasTime y = (DmasTime) (-log (1.0 - g_rand_double (rng)) * (double) mean);
  const DmasTime hour = 3600 * DMAS_S;

  run_all (host);
  const GArray *faults = mock_host_faults (host);
  g_assert_cmpuint (faults->len, ==, 4);
  g_assert_true (has_fault (faults, x, TRUE, 0));
  g_assert_true (has_fault (faults, x + y, TRUE, 1));
  g_assert_true (has_fault (faults, x + hour, FALSE, 0));
  g_assert_true (has_fault (faults, x + y + hour, FALSE, 1));
  g_assert_true (mock_host_log_contains (host, "agent 0 is already down: crash skipped"));
}

/* A factor barely above 1 raises the rate by almost nothing: over 100 seeds no neighbour
 * crashes (each seed: P about 2 x 60 s x 1e-6 / 100 s). */
static void
test_cascade_weak (void)
{
  const gchar *params[] = { "agents=2", "pattern=cascading", "mtbf=100s", "neighbours=2",
                            "cascade_factor=1.000001", NULL };
  const guint64 base = g_test_rand_int ();

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (MockHost) host = armed (5, base + i, params);
      run_all (host);
      g_assert_cmpuint (mock_host_faults (host)->len, ==, 1);
    }
}

/* neighbours: k reaches a+-1 .. a+-k, each agent once (5 agents, k = 2: everyone). */
static void
test_cascade_neighbours (void)
{
  const gchar *params[] = { "agents=0", "pattern=cascading", "mtbf=100s", "neighbours=2",
                            "cascade_factor=1e9", "cascade_window=1s", NULL };
  g_autoptr (MockHost) host = armed (5, g_test_rand_int (), params);

  run_all (host);
  const GArray *faults = mock_host_faults (host);
  g_assert_cmpuint (faults->len, ==, 5);
  const DmasTime first = g_array_index (faults, MockFault, 0).at;
  g_assert_cmpuint (g_array_index (faults, MockFault, 0).agent, ==, 0);
  for (guint j = 1; j < 5; j++)
    g_assert_cmpuint (g_array_index (faults, MockFault, j).at - first, <, DMAS_S);
}

static void
test_bad_params (void)
{
  static const struct {
    const gchar *params[4];
    const gchar *message;
  } cases[] = {
    { { "mttr=5s" }, "mttr: random repair times need pattern random or cascading" },
    { { "pattern=random", "mttr=5s", "restart_after=1s" },
      "mttr and restart_after both give the repair time" },
    { { "pattern=cascading", "cascade_factor=1" }, "cascade_factor: 1 must be more than 1" },
    { { "pattern=cascading", "neighbours=0" }, "neighbours: 0 is out of range" },
    { { "pattern=cascading", "cascade_window=0s" }, "cascade_window: must be longer than 0s" },
    { { "pattern=cascading", "mtbf=0s" }, "mtbf: must be longer than 0s with pattern "
                                          "cascading" },
    { { "pattern=sometimes" }, "'cascading' (random, and a crash makes its neighbours fail" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MockHost) host = mock_host_new (5, g_test_rand_int ());
      g_autoptr (GError) error = NULL;

      g_assert_false (mock_host_start (host, crash_component (), cases[i].params, &error));
      g_assert_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_CREATE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/patterns/targets/parse", test_targets_parse);
  g_test_add_func ("/patterns/targets/draw", test_targets_draw);
  g_test_add_func ("/patterns/duration/seconds", test_parse_seconds);
  g_test_add_func ("/patterns/crash/mttr-exact", test_mttr_exact);
  g_test_add_func ("/patterns/crash/mttr-mean", test_mttr_mean);
  g_test_add_func ("/patterns/crash/cascade-exact", test_cascade_exact);
  g_test_add_func ("/patterns/crash/cascade-weak", test_cascade_weak);
  g_test_add_func ("/patterns/crash/cascade-neighbours", test_cascade_neighbours);
  g_test_add_func ("/patterns/crash/bad-params", test_bad_params);
  return g_test_run ();
}
