/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas plugins test PATH.so`: loads one plugin file and checks each of its components. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include <dmas/consensus.h>
#include "cli/cli.h"
#include "cli/plugins-test-private.h"
#include "cli/plugins-test.h"
#include "plugin/registry.h"

static const gchar *
model_name (guint32 model)
{
  switch (model)
    {
    case DMAS_FAULT_MODEL_CRASH: return "crash";
    case DMAS_FAULT_MODEL_BYZANTINE: return "byzantine";
    default: return "none";
    }
}

/* Every job decided, no safety or validity violation over `seeds` runs: with up to f crashed
 * agents for the crash (f = floor((n-1)/2)) and Byzantine (f = floor((n-1)/3)) models, without
 * faults for a protocol that declares none (it promises nothing under faults). */
static void
check_consensus (Tally *t, const PluginsTest *pt, const DmasComponentInfo *info, guint seeds)
{
  guint32 model = ((const DmasConsensusOps *) info->ops)->fault_model;
  guint crashes = model == DMAS_FAULT_MODEL_BYZANTINE ? (PLUGINS_TEST_N_AGENTS - 1) / 3
                  : model == DMAS_FAULT_MODEL_CRASH   ? (PLUGINS_TEST_N_AGENTS - 1) / 2
                                                      : 0;
  guint64 safety = 0, validity = 0;
  guint incomplete = 0, undecided = 0;
  guint64 given_up = 0;
  g_autofree gchar *first_bad = NULL;

  for (guint64 seed = 1; seed <= seeds; seed++)
    {
      g_autoptr (GError) error = NULL;
      Outcome o = { 0 };
      if (!plugins_test_run (pt, info, seed, crashes, &o, &error))
        {
          plugins_test_report (t, FALSE, info, "runs", "seed %" G_GUINT64_FORMAT ": %s",
                               seed, error->message);
          return;
        }
      safety += o.safety;
      validity += o.validity;
      if (o.status == DMAS_RUN_COMPLETE)
        {
          undecided += o.undecided;
          given_up += o.given_up;
        }
      incomplete += o.status != DMAS_RUN_COMPLETE;
      if (first_bad == NULL && o.status != DMAS_RUN_COMPLETE)
        first_bad = g_strdup_printf ("first: seed %" G_GUINT64_FORMAT ", %s%s%s", seed,
                                     dmas_run_status_to_string (o.status),
                                     o.diagnosis != NULL ? ": " : "",
                                     o.diagnosis != NULL ? o.diagnosis : "");
      plugins_test_outcome_clear (&o);
    }

  g_autofree gchar *setting = g_strdup_printf ("model %s, %u seeds, %u crashed agents of %d",
                                               model_name (model), seeds, crashes,
                                               PLUGINS_TEST_N_AGENTS);
  /* A complete run is the host's verdict that every job still in the system was settled (its
   * idle check finds no pending slot).  Jobs left undecided in a complete run were given up
   * on by the recovery of a crash (their client, their home): they are shown, not judged. */
  plugins_test_report (t, incomplete == 0, info, "decides-every-job",
                       "%s: %u runs incomplete; in complete runs %u accepted jobs were left "
                       "undecided after crashes, %" G_GUINT64_FORMAT " submissions given up%s%s",
                       setting, incomplete, undecided, given_up, first_bad != NULL ? "; " : "",
                       first_bad != NULL ? first_bad : "");
  plugins_test_report (t, safety == 0, info, "safety",
                       "%s: %" G_GUINT64_FORMAT " agents decided a slot differently from an "
                       "earlier decision", setting, safety);
  plugins_test_report (t, validity == 0, info, "validity",
                       "%s: %" G_GUINT64_FORMAT " slots decided for a winner that placed no such "
                       "bid", setting, validity);
  plugins_test_check_deterministic (t, pt, info, crashes);
}

/* A fault component, armed with its default parameters or those of --param: it injects at
 * least one fault, which the host logs, the same way every time. */
static void
check_fault (Tally *t, const PluginsTest *pt, const DmasComponentInfo *info)
{
  g_autoptr (GError) error = NULL;
  Outcome o = { 0 };
  const gchar *with = pt->params != NULL ? "with --param" : "with its default parameters";
  if (!plugins_test_run (pt, info, 1, 0, &o, &error))
    {
      plugins_test_report (t, FALSE, info, "arms", "%s: %s%s", with, error->message,
                           pt->params != NULL ? "" : " (give parameters with --param KEY=VALUE)");
      return;
    }
  plugins_test_report (t, TRUE, info, "arms", "%s, seed 1: run %s", with,
                       dmas_run_status_to_string (o.status));
  plugins_test_report (t, o.faults_injected > 0 && o.fault_events > 0, info, "injects-and-logs",
                       "%" G_GUINT64_FORMAT " faults injected, %u lines of faults.jsonl",
                       o.faults_injected, o.fault_events);
  plugins_test_outcome_clear (&o);
  plugins_test_check_deterministic (t, pt, info, 0);
}

static int
test_file (const gchar *path, const gchar *plugin_path, const gchar *const *params, guint seeds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();

  /* The file first, so that its components win over same-named ones on the search path;
   * the search path after it, for the shipped partners of the scenario. */
  if (!dmas_registry_load_file (registry, path, &error))
    {
      printf ("FAIL %s load (%s)\n", path, error->message);
      return DMAS_EXIT_FAILURE;
    }
  g_auto (GStrv) dirs = dmas_plugin_search_path (plugin_path, NULL);
  dmas_registry_scan (registry, (const gchar *const *) dirs, NULL);

  const PluginsTest env = { .registry = registry, .params = params };
  const PluginsTest *pt = &env;
  g_autoptr (GPtrArray) list = dmas_registry_list (registry);
  g_autofree gchar *canonical = g_canonicalize_filename (path, NULL);
  Tally t = { 0 };
  guint components = 0;
  for (guint i = 0; i < list->len; i++)
    {
      const DmasComponentInfo *info = g_ptr_array_index (list, i);
      /* Only the components of `path`: the loader records each file's canonical name. */
      if (strcmp (info->file, canonical) != 0)
        continue;
      components++;
      printf ("# %s/%s from %s %s (%s)\n", dmas_kind_to_string (info->kind), info->name,
              info->plugin, info->version, info->file);
      if (info->kind == DMAS_KIND_CONSENSUS)
        check_consensus (&t, pt, info, seeds);
      else if (info->kind == DMAS_KIND_BIDDING)
        plugins_test_check_bidding (&t, pt, info);
      else if (info->kind == DMAS_KIND_FAULT)
        check_fault (&t, pt, info);
      else if (info->kind == DMAS_KIND_LLM)
        plugins_test_check_llm (&t, pt, info);
      else
        plugins_test_report (&t, FALSE, info, "kind", "not supported yet by dmas plugins test");
    }
  if (components == 0)
    {
      printf ("FAIL %s components (the file loaded but declares no component)\n", path);
      return DMAS_EXIT_FAILURE;
    }
  printf ("# %u properties passed, %u failed\n", t.passed, t.failed);
  return t.failed == 0 ? DMAS_EXIT_OK : DMAS_EXIT_FAILURE;
}

int
dmas_cmd_plugins_test (int argc, char **argv)
{
  g_autofree gchar *plugin_path = NULL;
  gint seeds = 50;
  g_auto (GStrv) params = NULL;
  const GOptionEntry entries[] = {
    { "seeds", 0, 0, G_OPTION_ARG_INT, &seeds,
      "consensus: runs of the scenario, seeds 1..N (default 50)", "N" },
    { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "a parameter of the component under test, as in YAML (repeatable)", "KEY=VALUE" },
    { "plugin-path", 0, 0, G_OPTION_ARG_STRING, &plugin_path,
      "search these directories first for the scenario's other components", "DIRS" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("PATH.so");
  g_autoptr (GError) error = NULL;

  g_set_prgname ("dmas plugins test");
  g_option_context_set_summary (
      context,
      "Loads one plugin file with every check of the loader, then checks each of its\n"
      "components through real runs of a small built-in scenario (5 agents, 20 jobs, 1 ms\n"
      "links with 5 ms of jitter), printing one line per property:\n"
      "  PASS|FAIL kind/name property (details)\n\n"
      "consensus: every job decided, no safety or validity violation over N seeds --\n"
      "  with f agents crashed and restarted for the crash (f = 2) and Byzantine (f = 1)\n"
      "  fault models, without faults for a protocol that declares none -- and the same\n"
      "  trace digest for the same seed.  The bidder is bidding/" PARTNER_BIDDING ".\n"
      "bidding: asked directly on a grid of jobs and cluster states: no errors, bids in\n"
      "  [0, 1], 0 for a job the cluster can never fit, bit-identical bids from two\n"
      "  instances; then a run with consensus/" PARTNER_CONSENSUS " completes, deterministically.\n"
      "fault: with its default parameters (or --param) it arms, injects and logs faults,\n"
      "  deterministically.\n\n"
      "--param sets a parameter of the component under test: for a plugin with several\n"
      "components, give only parameters that all of them accept.");
  g_option_context_set_description (
      context, "Exit status: 0 when every property passed, 1 when one failed or the file\n"
               "does not load, 2 on a usage error.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dmas plugins test: %s\n", error->message);
      return DMAS_EXIT_USAGE;
    }
  if (argc != 2)
    {
      fprintf (stderr, "dmas plugins test: give one plugin file, e.g. dmas plugins test "
                       "./.libs/myplugin.so (see dmas plugins test --help)\n");
      return DMAS_EXIT_USAGE;
    }
  if (seeds < 1)
    {
      fprintf (stderr, "dmas plugins test: --seeds must be >= 1\n");
      return DMAS_EXIT_USAGE;
    }
  for (gsize i = 0; params != NULL && params[i] != NULL; i++)
    if (strchr (params[i], '=') == NULL || params[i][0] == '=')
      {
        fprintf (stderr, "dmas plugins test: --param '%s' is not KEY=VALUE, e.g. --param "
                         "loss=0.1\n", params[i]);
        return DMAS_EXIT_USAGE;
      }
  return test_file (argv[1], plugin_path, (const gchar *const *) params, (guint) seeds);
}
