/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The safety checker and Byzantine agents: silent within a protocol's fault model, loud outside. */
#include "config.h"

#include <glib.h>

#include "byz-run.h"

/* Each run: tests/faults-byz/byz4.yaml (n = 4) or byz5.yaml (n = 5) with run seed s and the
 * protocol under test, plus one `byzantine` entry (the case's agents, strategy and split).
 *
 *   within the model   PBFT, Tendermint, n = 4, ONE Byzantine agent (f = 1 < n/3, the most
 *                      n = 4 tolerates), drawn per seed: equivocate (split halves and random),
 *                      replay (every message once more) and inflate: no safety or validity
 *                      violation in any of >= 200 seeds per case.
 *   outside the model  PBFT, Tendermint, n = 4, TWO equivocators (f = 2 >= n/3), and Raft,
 *                      Multi-Paxos (crash model), n = 5, ONE equivocator: the checker must see
 *                      violations in at least the stated share of a fixed set of seeds.
 *
 * The shares asserted are conservative lower bounds under the shares measured over seeds
 * 1..100 (README "Byzantine agents" gives them).  DMAS_BYZ_SEEDS (default 200) and
 * DMAS_BYZ_FIRST_SEED (default drawn with g_test_rand_int) set the seeds of the runs within the
 * model; the negative controls always use seeds 1..DMAS_BYZ_CONTROL_SEEDS (default 100). */

typedef struct {
  const ByzEnv *env;
  const gchar *consensus;
  const gchar *config;
  const gchar *agents;     /* the `agents` value: "random:1", "0,1", ... */
  const gchar *split;      /* the `split` value: "halves" or "random" */
  const gchar *strategy;   /* equivocate, or another strategy within the model */
  gdouble min_share;       /* negative control: least share of seeds with a violation */
} Case;

typedef struct {
  guint runs, violated_runs;
  guint64 violations, validity;
} Tally;

static void
run_one (const Case *c, guint64 seed, Tally *t)
{
  g_autofree gchar *faults = g_strdup_printf ("faults=[{type: byzantine, agents: '%s', "
                                              "strategy: %s, split: %s, fraction: 1}]",
                                              c->agents, c->strategy, c->split);
  const gchar *sets[] = { faults, NULL };
  ByzRun run;
  byz_run (c->env, c->config, c->consensus, seed, sets, &run);
  const DmasMetrics *m = dmas_sim_metrics (run.sim);
  t->runs++;
  t->violated_runs += m->safety_violations > 0;
  t->violations += m->safety_violations;
  t->validity += m->validity_violations;
  if (c->min_share == 0.0 && m->safety_violations > 0)
    g_test_message ("%s %s %s agents=%s seed %" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT
                    " safety violations", c->consensus, c->strategy, c->config, c->agents, seed,
                    m->safety_violations);
  byz_run_clear (&run);
}

static guint64
env_uint (const gchar *var, guint64 fallback)
{
  const gchar *text = g_getenv (var);
  guint64 v;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, &v, NULL))
    return fallback;
  return v;
}

static void
test_within_model (gconstpointer data)
{
  const Case *c = data;
  const guint64 n = env_uint ("DMAS_BYZ_SEEDS", 200);
  const guint64 first = env_uint ("DMAS_BYZ_FIRST_SEED", (guint32) g_test_rand_int () + 1u);
  Tally t = { 0 };
  for (guint64 i = 0; i < n; i++)
    run_one (c, first + i, &t);
  g_test_message ("byzantine %s %s split=%s %s agents=%s seeds=%" G_GUINT64_FORMAT " first=%"
                  G_GUINT64_FORMAT " violated_runs=%u safety_violations=%" G_GUINT64_FORMAT
                  " validity_violations=%" G_GUINT64_FORMAT, c->consensus, c->strategy, c->split,
                  c->config, c->agents, n, first, t.violated_runs, t.violations, t.validity);
  g_assert_cmpuint (t.runs, ==, n);
  g_assert_cmpuint (t.violations, ==, 0);
  g_assert_cmpuint (t.validity, ==, 0);
}

static void
test_negative_control (gconstpointer data)
{
  const Case *c = data;
  const guint64 n = env_uint ("DMAS_BYZ_CONTROL_SEEDS", 100);
  Tally t = { 0 };
  for (guint64 seed = 1; seed <= n; seed++)
    run_one (c, seed, &t);
  const gdouble share = (gdouble) t.violated_runs / (gdouble) t.runs;
  g_test_message ("byzantine %s %s agents=%s seeds=1..%" G_GUINT64_FORMAT " violated_runs=%u "
                  "(share %.3f, asserted >= %.2f) safety_violations=%" G_GUINT64_FORMAT,
                  c->consensus, c->config, c->agents, n, t.violated_runs, share, c->min_share,
                  t.violations);
  g_assert_cmpfloat (share, >=, c->min_share);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ByzEnv *env = byz_env_new ();
  const Case within[] = {
    { env, "pbft", "byz4.yaml", "random:1", "halves", "equivocate", 0.0 },
    { env, "pbft", "byz4.yaml", "random:1", "random", "equivocate", 0.0 },
    { env, "tendermint", "byz4.yaml", "random:1", "halves", "equivocate", 0.0 },
    { env, "tendermint", "byz4.yaml", "random:1", "random", "equivocate", 0.0 },
    { env, "pbft", "byz4.yaml", "random:1", "halves", "replay", 0.0 },
    { env, "tendermint", "byz4.yaml", "random:1", "halves", "replay", 0.0 },
    { env, "pbft", "byz4.yaml", "random:1", "halves", "inflate", 0.0 },
    { env, "tendermint", "byz4.yaml", "random:1", "halves", "inflate", 0.0 },
  };
  const Case controls[] = {
    { env, "pbft", "byz4.yaml", "0,1", "halves", "equivocate", 0.9 },
    { env, "pbft", "byz4.yaml", "2,3", "halves", "equivocate", 0.9 },
    { env, "tendermint", "byz4.yaml", "0,1", "halves", "equivocate", 0.9 },
    { env, "tendermint", "byz4.yaml", "2,3", "halves", "equivocate", 0.9 },
    { env, "raft", "byz5.yaml", "0", "halves", "equivocate", 0.05 },
    { env, "raft", "byz5.yaml", "4", "halves", "equivocate", 0.05 },
    { env, "multipaxos", "byz5.yaml", "0", "halves", "equivocate", 0.5 },
    { env, "multipaxos", "byz5.yaml", "4", "halves", "equivocate", 0.5 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (within); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/byzantine/safety/%s/one-%s-%s",
                                                within[i].consensus, within[i].strategy,
                                                within[i].split);
      g_test_add_data_func (path, &within[i], test_within_model);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/byzantine/negative-control/%s/equivocators-%s",
                                                controls[i].consensus, controls[i].agents);
      g_test_add_data_func (path, &controls[i], test_negative_control);
    }
  int status = g_test_run ();
  byz_env_free (env);
  return status;
}
