/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Contract tests of fault/crash, through the built module and the mock host's fault calls. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mock-host.h"

static const DmasComponent *
crash_component (void)
{
  g_autoptr (GError) error = NULL;
  const DmasComponent *c = mock_component_load (DMAS_KIND_FAULT, "crash", "crash", &error);
  g_assert_no_error (error);
  return c;
}

/* A host with the crash component created and armed, as the real host does at time 0. */
static MockHost *
armed (guint n_agents, guint64 seed, const gchar *const *params)
{
  return mock_host_new_armed_fault ("crash", n_agents, seed, params);
}

/* The fault calls that took effect, as "crash 1 @30s" lines, one per call. */
static gchar *
describe_faults (MockHost *host)
{
  const GArray *faults = mock_host_faults (host);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < faults->len; i++)
    {
      const MockFault *f = &g_array_index (faults, MockFault, i);
      g_string_append_printf (out, "%s %u @%" G_GUINT64_FORMAT "ns\n",
                              f->crash ? "crash" : "restart", f->agent, f->at);
    }
  return g_string_free (out, FALSE);
}

static void
run_all (MockHost *host)
{
  while (mock_host_fire_next_timer (host))
    ;
}

/* Given agents and time: both crash at 30 s (in id order), both restart 60 s later. */
static void
test_fixed_times (void)
{
  const gchar *params[] = { "agents=3, 1", "at=30s", "restart_after=60s", NULL };
  g_autoptr (MockHost) host = armed (5, g_test_rand_int (), params);

  /* Nothing happens at arm time: everything is on the timeline. */
  g_assert_cmpuint (mock_host_faults (host)->len, ==, 0);
  g_assert_cmpuint (mock_host_next_timer (host), ==, 30 * DMAS_S);
  mock_host_advance_to (host, 30 * DMAS_S);
  g_assert_false (mock_host_agent_is_up (host, 1));
  g_assert_false (mock_host_agent_is_up (host, 3));
  g_assert_true (mock_host_agent_is_up (host, 0));
  run_all (host);
  g_autofree gchar *text = describe_faults (host);
  g_assert_cmpstr (text, ==,
                   "crash 1 @30000000000ns\n"
                   "crash 3 @30000000000ns\n"
                   "restart 1 @90000000000ns\n"
                   "restart 3 @90000000000ns\n");
  g_assert_true (mock_host_agent_is_up (host, 1));
  g_assert_true (mock_host_agent_is_up (host, 3));
}

/* restart_after: never (the default): the agent stays down, nothing is left pending. */
static void
test_never_restart (void)
{
  const gchar *params[] = { "agents=2", "at=1500ms", NULL };
  g_autoptr (MockHost) host = armed (4, g_test_rand_int (), params);

  run_all (host);
  g_autofree gchar *text = describe_faults (host);
  g_assert_cmpstr (text, ==, "crash 2 @1500000000ns\n");
  g_assert_false (mock_host_agent_is_up (host, 2));
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

/* count 3 every 100 s with a repair time of 30 s (written in minutes with a fraction). */
static void
test_fixed_count_every (void)
{
  const gchar *params[] = { "agents=0", "at=5s", "every=100s", "count=3",
                            "restart_after=0.5m", NULL };
  g_autoptr (MockHost) host = armed (2, g_test_rand_int (), params);

  run_all (host);
  g_autofree gchar *text = describe_faults (host);
  g_assert_cmpstr (text, ==,
                   "crash 0 @5000000000ns\n"
                   "restart 0 @35000000000ns\n"
                   "crash 0 @105000000000ns\n"
                   "restart 0 @135000000000ns\n"
                   "crash 0 @205000000000ns\n"
                   "restart 0 @235000000000ns\n");
}

/* "all" crashes every agent, in id order at the same instant. */
static void
test_all_agents (void)
{
  const gchar *params[] = { "agents=all", "at=1s", NULL };
  g_autoptr (MockHost) host = armed (3, g_test_rand_int (), params);

  run_all (host);
  g_autofree gchar *text = describe_faults (host);
  g_assert_cmpstr (text, ==,
                   "crash 0 @1000000000ns\n"
                   "crash 1 @1000000000ns\n"
                   "crash 2 @1000000000ns\n");
}

/* An agent another cause brought down is not crashed again, and so not restarted either. */
static void
test_already_down (void)
{
  const gchar *params[] = { "agents=1,2", "at=30s", "restart_after=10s", NULL };
  g_autoptr (MockHost) host = armed (3, g_test_rand_int (), params);

  mock_host_set_agent_up (host, 1, FALSE);
  run_all (host);
  g_autofree gchar *text = describe_faults (host);
  g_assert_cmpstr (text, ==, "crash 2 @30000000000ns\nrestart 2 @40000000000ns\n");
  g_assert_false (mock_host_agent_is_up (host, 1));
  g_assert_true (mock_host_log_contains (host, "agent 1 is already down: crash skipped"));
}

/* Pattern random: the crash times are exactly the documented draws of the instance's stream
 * (the mock seeds it from (seed, DMAS_AGENT_NONE, kind)): per agent in id order, up times
 * Exp(mtbf) counted from the start, then from each restart. */
static void
test_random_times (void)
{
  const guint64 seed = g_test_rand_int ();
  const DmasTime mtbf = 100 * DMAS_S, repair = 10 * DMAS_S;
  const gchar *params[] = { "agents=all", "pattern=random", "mtbf=100s", "restart_after=10s",
                            "count=3", NULL };
  g_autoptr (MockHost) host = armed (4, seed, params);
  guint32 words[4] = { (guint32) seed, (guint32) (seed >> 32), DMAS_AGENT_NONE,
                       DMAS_KIND_FAULT };
  g_autoptr (GRand) rng = g_rand_new_with_seed_array (words, G_N_ELEMENTS (words));
  g_autoptr (GArray) expected = g_array_new (FALSE, TRUE, sizeof (MockFault));

  for (DmasAgentId a = 0; a < 4; a++)
    {
      DmasTime t = 0;
      for (guint k = 0; k < 3; k++)
        {
          DmasTime base = k == 0 ? 0 : t + repair;
          t = base + (DmasTime) (-log (1.0 - g_rand_double (rng)) * (double) mtbf);
          MockFault crash = { .at = t, .crash = TRUE, .agent = a };
          MockFault restart = { .at = t + repair, .crash = FALSE, .agent = a };
          g_array_append_val (expected, crash);
          g_array_append_val (expected, restart);
        }
    }

  run_all (host);
  const GArray *faults = mock_host_faults (host);
  g_assert_cmpuint (faults->len, ==, expected->len);
  /* The mock records in time order; compare as sets by looking each expected one up. */
  for (guint i = 0; i < expected->len; i++)
    {
      const MockFault *e = &g_array_index (expected, MockFault, i);
      gboolean found = FALSE;
      for (guint j = 0; j < faults->len && !found; j++)
        {
          const MockFault *f = &g_array_index (faults, MockFault, j);
          found = f->at == e->at && f->crash == e->crash && f->agent == e->agent;
        }
      if (!found)
        g_test_message ("missing %s of agent %u at %" G_GUINT64_FORMAT,
                        e->crash ? "crash" : "restart", e->agent, e->at);
      g_assert_true (found);
    }
  for (guint j = 1; j < faults->len; j++)
    g_assert_cmpuint (g_array_index (faults, MockFault, j - 1).at, <=,
                      g_array_index (faults, MockFault, j).at);
}

/* Same seed, same schedule; another seed, another one. */
static void
test_random_per_seed (void)
{
  const gchar *params[] = { "agents=random:2", "pattern=random", "mtbf=1h",
                            "restart_after=5m", "count=2", NULL };
  const guint64 seed = g_test_rand_int ();
  g_autoptr (MockHost) a = armed (6, seed, params);
  g_autoptr (MockHost) b = armed (6, seed, params);
  g_autoptr (MockHost) c = armed (6, seed + 1, params);

  run_all (a);
  run_all (b);
  run_all (c);
  g_autofree gchar *ta = describe_faults (a);
  g_autofree gchar *tb = describe_faults (b);
  g_autofree gchar *tc = describe_faults (c);
  g_assert_cmpstr (ta, ==, tb);
  g_assert_cmpstr (ta, !=, tc);
  /* random:2 picks two distinct agents, each crashing twice. */
  g_assert_cmpuint (mock_host_faults (a)->len, ==, 8);
  guint crashes[6] = { 0 };
  for (guint i = 0; i < mock_host_faults (a)->len; i++)
    {
      const MockFault *f = &g_array_index (mock_host_faults (a), MockFault, i);
      crashes[f->agent] += f->crash;
    }
  guint picked = 0;
  for (guint i = 0; i < 6; i++)
    {
      g_assert_true (crashes[i] == 0 || crashes[i] == 2);
      picked += crashes[i] == 2;
    }
  g_assert_cmpuint (picked, ==, 2);
}

/* random:N draws every agent sometimes: over many seeds each of 4 agents is picked. */
static void
test_random_agents_cover (void)
{
  const gchar *params[] = { "agents=random:1", "at=1s", NULL };
  guint hits[4] = { 0 };
  const guint64 base = g_test_rand_int ();

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr (MockHost) host = armed (4, base + i, params);
      run_all (host);
      g_assert_cmpuint (mock_host_faults (host)->len, ==, 1);
      hits[g_array_index (mock_host_faults (host), MockFault, 0).agent]++;
    }
  /* P(an agent never picked in 200 draws) = 4 * 0.75^200, about 1e-25. */
  for (guint a = 0; a < 4; a++)
    g_assert_cmpuint (hits[a], >, 0);
}

/* Bad parameters: create() refuses each with DMAS_EINVAL and a message naming the fix. */
static void
test_bad_params (void)
{
  static const struct {
    const gchar *params[4];
    const gchar *message;
  } cases[] = {
    { { "agents=7" }, "agents: there is no agent 7 (the platform has agents 0 to 4)" },
    { { "agents=1,1" }, "agents: agent 1 is listed twice in '1,1'" },
    { { "agents=one" }, "agents: 'one' is not a list of agents; write agent ids (\"1\", "
                        "\"0,3\"), \"controller\", \"backup\", \"all\" or \"random:N\"" },
    { { "agents=1,,2" }, "agents: '1,,2' is not a list of agents" },
    { { "agents=random:0" }, "agents: 'random:0': after 'random:' give how many agents" },
    { { "agents=random:6" }, "agents: 'random:6' asks for 6 agents but the platform has 5" },
    { { "pattern=sometimes" }, "pattern: 'sometimes' is not a pattern; use 'fixed'" },
    { { "restart_after=soon" }, "restart_after: 'soon' is neither a duration (e.g. '60s') "
                                "nor 'never'" },
    { { "restart_after=60" }, "restart_after: '60' is neither a duration" },
    { { "restart_after=0.5ns" }, "restart_after: '0.5ns' is neither a duration" },
    { { "count=0" }, "count: 0 is out of range; give 1 to 100000 crashes per agent" },
    { { "count=2" }, "count: 2 crashes per agent need a restart; set restart_after" },
    { { "count=2", "restart_after=10s" },
      "every (0 s) must be longer than restart_after (10 s): with count 2" },
    { { "count=2", "restart_after=10s", "every=10s" },
      "every (10 s) must be longer than restart_after (10 s)" },
    { { "pattern=random", "mtbf=0s" }, "mtbf: must be longer than 0s with pattern random" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MockHost) host = mock_host_new (5, g_test_rand_int ());
      g_autoptr (GError) error = NULL;

      g_assert_false (mock_host_start (host, crash_component (), cases[i].params, &error));
      g_assert_error (error, MOCK_HOST_ERROR, MOCK_HOST_ERROR_CREATE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "(status -1)"));
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* The component calls nothing but the host: its parameters are declared with defaults that
 * parse, and an entry with no parameter at all crashes one agent at 0 s for good. */
static void
test_defaults (void)
{
  const DmasComponent *c = crash_component ();
  g_autoptr (MockHost) host = armed (3, g_test_rand_int (), NULL);

  g_assert_cmpstr (c->params[0].name, ==, "agents");
  run_all (host);
  g_assert_cmpuint (mock_host_faults (host)->len, ==, 1);
  const MockFault *f = &g_array_index (mock_host_faults (host), MockFault, 0);
  g_assert_true (f->crash);
  g_assert_cmpuint (f->at, ==, 0);
  g_assert_cmpuint (mock_host_n_timers (host), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crash/fixed/given-times", test_fixed_times);
  g_test_add_func ("/crash/fixed/never-restart", test_never_restart);
  g_test_add_func ("/crash/fixed/count-every", test_fixed_count_every);
  g_test_add_func ("/crash/fixed/all-agents", test_all_agents);
  g_test_add_func ("/crash/fixed/already-down", test_already_down);
  g_test_add_func ("/crash/random/exact-draws", test_random_times);
  g_test_add_func ("/crash/random/per-seed", test_random_per_seed);
  g_test_add_func ("/crash/random/agents-cover", test_random_agents_cover);
  g_test_add_func ("/crash/params/bad", test_bad_params);
  g_test_add_func ("/crash/params/defaults", test_defaults);
  return g_test_run ();
}
