/* SPDX-License-Identifier: GPL-3.0-or-later */
/* LLM runs in process, watched through the sim's observer: hybrid pools, reputation. */
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

/* Runs configs/llm-single.yaml (five agents) with `sets` (NULL-terminated) after
 * workload.jobs=12.  Returns: (transfer full) the finished sim. */
static DmasSim *
run_llm_single (const gchar *const *sets, Seen *seen)
{
  g_autofree gchar *path = g_build_filename (g_getenv ("DMAS_SRCDIR"), "configs",
                                             "llm-single.yaml", NULL);
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  g_ptr_array_add (all, "workload.jobs=12");
  for (const gchar *const *s = sets; *s != NULL; s++)
    g_ptr_array_add (all, (gpointer) *s);
  g_ptr_array_add (all, NULL);
  g_autoptr (GError) error = NULL;
  /* The config and the registry must outlive the sim: freed when the test ends. */
  DmasConfig *config = dmas_config_load (path, (const gchar *const *) all->pdata, &error);
  g_assert_no_error (error);
  DmasRegistry *registry = dmas_registry_new ();
  g_auto (GStrv) dirs = dmas_plugin_search_path (NULL, NULL);
  dmas_registry_scan (registry, (const gchar *const *) dirs, NULL);
  g_assert_true (dmas_registry_fill_config (registry, config, &error));
  g_assert_no_error (error);
  g_assert_true (dmas_faults_fill_config (registry, config, &error));
  g_assert_no_error (error);
  DmasSim *sim = dmas_sim_new (config, registry, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dmas_sim_llm (sim));
  const DmasSimObserver observer = { .llm = on_llm, .bid = on_bid };
  *seen = (Seen){ 0 };
  dmas_sim_set_observer (sim, &observer, seen);
  g_assert_cmpint (dmas_sim_run (sim, 0.0, FALSE, NULL), ==, DMAS_RUN_COMPLETE);
  g_assert_cmpuint (dmas_sim_n_agents (sim), ==, 5);
  g_test_queue_destroy ((GDestroyNotify) dmas_config_free, config);
  g_test_queue_destroy ((GDestroyNotify) dmas_registry_free, registry);
  return sim;
}

static void
run_pool (const gchar *fraction, Seen *seen)
{
  g_autofree gchar *set = g_strconcat ("scheduling.hybrid.fraction=", fraction, NULL);
  const gchar *sets[] = { set, NULL };
  g_autoptr (DmasSim) sim = run_llm_single (sets, seen);
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

/* One compromised agent that claims every job (asked about all of them), auction: with
 * scheduling.reputation the agents that caught it once refuse its later bids, so it wins far
 * fewer jobs; nobody correct is accused and the run stays safe either way. */
static guint64
captured (const gchar *reputation)
{
  g_autofree gchar *set = g_strconcat ("scheduling.reputation=", reputation, NULL);
  const gchar *sets[] = {
    set, "scheduling.consensus=auction", "workload.jobs=30",
    "params.consensus/auction.deadline=4s", "params.bidding/llm.ask_infeasible=true",
    "faults=[{type: byzantine, agents: '1', strategy: compromised}]", NULL,
  };
  Seen seen;
  g_autoptr (DmasSim) sim = run_llm_single (sets, &seen);
  const DmasMetrics *m = dmas_sim_metrics (sim);
  g_test_message ("reputation %s: %" G_GUINT64_FORMAT " jobs captured, %" G_GUINT64_FORMAT
                  " accusations, %g refused", reputation, m->jobs_captured_byzantine,
                  m->byzantine_detected, dmas_metrics_get (m, "implausible_bids"));
  g_assert_cmpuint (m->safety_violations, ==, 0);
  g_assert_cmpuint (m->byzantine_false_accusations, ==, 0);
  g_assert_cmpuint (m->byzantine_detected, >, 0);
  g_assert_cmpfloat (dmas_metrics_get (m, "implausible_bids"), >, 0);
  return m->jobs_captured_byzantine;
}

static void
test_reputation (void)
{
  const guint64 without = captured ("false");
  const guint64 with = captured ("true");
  g_assert_cmpuint (without, >, 0);
  g_assert_cmpuint (with, <, without);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/llm/hybrid/fraction", test_fraction);
  g_test_add_func ("/llm/hybrid/all-and-none", test_all_and_none);
  g_test_add_func ("/llm/reputation/liar-wins-less", test_reputation);
  return g_test_run ();
}
