/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hybrid pools: which agents ask the model (scheduling.hybrid), watched through the observer. */
#include "config.h"

#include <glib.h>

#include "agents/faults.h"
#include "agents/sim.h"
#include "config/config.h"
#include "llm/service.h"
#include "plugin/registry.h"

typedef struct {
  guint asked[8]; /* LLM calls per agent */
  guint bids[8];  /* proposals per agent */
} Seen;

static void
on_llm (gpointer data, DmasTime now, const DmasLlmCall *call, const DmasLlmOutcome *outcome)
{
  Seen *seen = data;
  (void) now;
  (void) outcome;
  g_assert_cmpuint (call->agent, <, G_N_ELEMENTS (seen->asked));
  seen->asked[call->agent]++;
}

static void
on_bid (gpointer data, DmasTime now, const DmasSlot *slot, const DmasBid *bid)
{
  Seen *seen = data;
  (void) now;
  (void) slot;
  g_assert_cmpuint (bid->agent, <, G_N_ELEMENTS (seen->bids));
  seen->bids[bid->agent]++;
}

/* Runs configs/llm-single.yaml (five agents) with scheduling.hybrid.fraction = `fraction`. */
static void
run_pool (const gchar *fraction, Seen *seen)
{
  g_autofree gchar *path = g_build_filename (g_getenv ("DMAS_SRCDIR"), "configs",
                                             "llm-single.yaml", NULL);
  g_autofree gchar *set = g_strconcat ("scheduling.hybrid.fraction=", fraction, NULL);
  const gchar *sets[] = { set, "workload.jobs=12", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = dmas_config_load (path, sets, &error);
  g_assert_no_error (error);
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_auto (GStrv) dirs = dmas_plugin_search_path (NULL, NULL);
  dmas_registry_scan (registry, (const gchar *const *) dirs, NULL);
  g_assert_true (dmas_registry_fill_config (registry, config, &error));
  g_assert_no_error (error);
  g_assert_true (dmas_faults_fill_config (registry, config, &error));
  g_assert_no_error (error);
  g_autoptr (DmasSim) sim = dmas_sim_new (config, registry, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dmas_sim_llm (sim));
  const DmasSimObserver observer = { .llm = on_llm, .bid = on_bid };
  *seen = (Seen){ 0 };
  dmas_sim_set_observer (sim, &observer, seen);
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (dmas_sim_n_agents (sim), ==, 5);
}

/* 40 % of five agents: agents 2 and 4 (floor((i+1) 0.4) steps up at i = 2 and 4) ask the
 * model; the others bid with the heuristic and never ask; everyone still bids. */
static void
test_fraction (void)
{
  Seen seen;
  run_pool ("0.4", &seen);
  for (guint a = 0; a < 5; a++)
    {
      g_test_message ("agent %u: %u LLM calls, %u bids", a, seen.asked[a], seen.bids[a]);
      g_assert_cmpuint (seen.bids[a], >, 0);
      if (a == 2 || a == 4)
        g_assert_cmpuint (seen.asked[a], >, 0);
      else
        g_assert_cmpuint (seen.asked[a], ==, 0);
    }
}

/* The whole pool and none of it. */
static void
test_all_and_none (void)
{
  Seen seen;
  run_pool ("1", &seen);
  for (guint a = 0; a < 5; a++)
    g_assert_cmpuint (seen.asked[a], >, 0);
  run_pool ("0", &seen);
  for (guint a = 0; a < 5; a++)
    {
      g_assert_cmpuint (seen.asked[a], ==, 0);
      g_assert_cmpuint (seen.bids[a], >, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/llm/hybrid/fraction", test_fraction);
  g_test_add_func ("/llm/hybrid/all-and-none", test_all_and_none);
  return g_test_run ();
}
