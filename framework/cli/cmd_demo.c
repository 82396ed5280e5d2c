/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas demo`: the interactive fault-tolerance demonstration, three scenarios of LLM agents. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "agents/sim.h"
#include "cli/cli.h"
#include "cli/demo-show.h"
#include "config/node.h"
#include "llm/service.h"

typedef struct {
  gboolean fast;
  gint scenario;
  gchar *provider;
  gchar **sets;
  gchar *plugin_path;
  gchar **args;
} DemoOptions;

/* The scenarios, in order: configs/demo/<file>. */
static const struct {
  const gchar *file;
  const gchar *title;
  const gchar *story;
} scenarios[] = {
  { "1-healthy.yaml", "healthy consensus on a scientific job",
    "Every agent is correct.  A climate-model job arrives; the agents whose cluster can run it "
    "ask their model\nfor a placement, the others decline, and PBFT agrees on the winner." },
  { "2-byzantine.yaml", "Byzantine injection on one agent, then on two",
    "The Storage agent is compromised from the start, the Compute agent from minute 2: their "
    "models are told\nto claim every job.  A claim on a job their cluster cannot run is "
    "impossible: the protocol must refuse it." },
  { "3-recovery.yaml", "recovery",
    "The Storage agent is Byzantine for 50 s, then correct again; the GPU agent crashes at "
    "40 s and restarts\nlater.  Its jobs are announced again, decided anew and completed." },
};

/* What one scenario came to, for the closing table. */
typedef struct {
  gboolean ran;
  DmasRunStatus status;
  guint64 submitted, completed;
  guint impossible, refused, accepted, captured;
  guint64 safety_violations;
  gdouble implausible_bids;
  guint llm_calls;
} DemoResult;

/* configs/demo beside the sources when dmas runs from its build tree, else the installed one
 * (like the platform presets). */
static gchar *
demo_dir (void)
{
  return dmas_configs_path ("demo");
}

static void
print_cluster_table (const DmasDemoShow *show, const DmasConfig *config)
{
  FILE *out = show->style.out;
  const GArray *clusters = config->platform.clusters;
  for (guint a = 0; a < dmas_sim_n_agents (show->sim); a++)
    {
      if (clusters == NULL || a >= clusters->len)
        {
          fprintf (out, "  agent %u  %s\n", a, dmas_sim_agent_name (show->sim, a));
          continue;
        }
      const DmasClusterSpec *c = &g_array_index (clusters, DmasClusterSpec, a);
      fprintf (out, "  agent %u  %-8s %-8s %2u nodes x %3u cores, %6.0f GB, %u GPU(s) per node\n",
               a, c->name, c->type, c->nodes, c->cores, c->memory_gb, c->gpus);
    }
}

static void
print_jobs (const DmasDemoShow *show)
{
  const DmasWorkload *w = dmas_sim_workload (show->sim);
  for (guint i = 0; i < w->n_jobs; i++)
    {
      const DmasJob *j = &w->jobs[i];
      fprintf (show->style.out, "  job %" G_GUINT64_FORMAT " at %6.1f s: %u node(s) x %u cores, "
               "%.0f GB, %u GPU(s) per node, walltime %.0f s\n", j->id,
               (gdouble) j->submit / (gdouble) DMAS_S, j->nodes, j->cores, j->memory_gb, j->gpus,
               (gdouble) j->walltime / (gdouble) DMAS_S);
    }
}

/* Counts what became of the Byzantine and impossible claims, against the decisions. */
static void
tally_claims (const DmasDemoShow *show, DemoResult *r)
{
  for (guint i = 0; i < show->claims->len; i++)
    {
      const DmasDemoClaim *c = &g_array_index (show->claims, DmasDemoClaim, i);
      DmasAgentId winner = DMAS_AGENT_NONE;
      for (guint k = 0; k < show->decisions->len; k++)
        {
          const DmasDemoDecision *d = &g_array_index (show->decisions, DmasDemoDecision, k);
          if (d->job == c->job && d->epoch == c->epoch)
            winner = d->winner;
        }
      if (c->impossible)
        {
          r->impossible++;
          if (winner == c->agent)
            r->accepted++;
          else if (winner != DMAS_AGENT_NONE)
            r->refused++;
        }
      else if (c->byzantine && winner == c->agent)
        r->captured++;
    }
}

static void
print_summary (const DmasDemoShow *show, guint number, const DemoResult *r)
{
  const DmasDemoStyle *st = &show->style;
  FILE *out = st->out;
  fprintf (out, "\n%sSummary of scenario %u (%s)%s\n", dmas_demo_sgr (st, DMAS_DEMO_BOLD),
           number, dmas_run_status_to_string (r->status), dmas_demo_sgr (st, DMAS_DEMO_RESET));
  for (guint k = 0; k < show->decisions->len; k++)
    {
      const DmasDemoDecision *d = &g_array_index (show->decisions, DmasDemoDecision, k);
      g_autofree gchar *winner = dmas_demo_agent (show, d->winner);
      fprintf (out, "  job %" G_GUINT64_FORMAT "%s -> %s (score %.2f; %u agent(s) decided%s)\n",
               d->job, d->epoch > 0 ? " (again)" : "", winner, d->score, d->deciders,
               d->disagreed ? ", NOT all the same" : ", all the same");
    }
  fprintf (out, "  model exchanges:     %u (%u invalid, %u without a reply)\n", show->llm_calls,
           show->llm_invalid, show->llm_failed);
  fprintf (out, "  impossible claims:   %u: %u refused, %u accepted\n", r->impossible,
           r->refused, r->accepted);
  fprintf (out, "  protocol refusals:   %.0f (implausible bids dropped, counted at every agent)\n",
           r->implausible_bids);
  if (r->captured > 0)
    fprintf (out, "  plausible lies won:  %u job(s)\n", r->captured);
  fprintf (out, "  safety violations:   %s%" G_GUINT64_FORMAT "%s\n",
           dmas_demo_sgr (st, r->safety_violations == 0 ? DMAS_DEMO_GREEN : DMAS_DEMO_RED),
           r->safety_violations, dmas_demo_sgr (st, DMAS_DEMO_RESET));
  fprintf (out, "  jobs completed:      %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "\n",
           r->completed, r->submitted);
}

static int
run_scenario (const DemoOptions *o, const DmasDemoStyle *style, guint number,
              const gchar *const *sets, DemoResult *result)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = demo_dir ();
  g_autofree gchar *path = g_build_filename (dir, scenarios[number - 1].file, NULL);
  g_autoptr (DmasConfig) config = NULL;
  g_autoptr (DmasRegistry) registry = NULL;
  if (!dmas_cli_setup (path, sets, o->plugin_path, &config, &registry, &error))
    return dmas_cli_fail (dmas_cli_exit_status (error), "demo: %s", error->message);
  g_autoptr (DmasSim) sim = dmas_sim_new (config, registry, &error);
  if (sim == NULL)
    return dmas_cli_fail (dmas_cli_exit_status (error), "demo: %s", error->message);
  /* An online model that cannot answer would make every agent fall back after its retries:
   * say so now, with the fix, rather than after minutes of failed calls. */
  DmasLlmService *service = dmas_sim_llm (sim);
  if (service != NULL && !dmas_llm_service_probe (service, &error))
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "demo: %s\n(check the provider with 'dmas check "
                 "CONFIG', or run the demo offline without --provider)", error->message);
  g_autoptr (DmasDemoShow) show = dmas_demo_show_new (style, sim);
  dmas_sim_set_observer (sim, dmas_demo_show_observer (), show);

  FILE *out = style->out;
  fprintf (out, "\n%s=== Scenario %u of %u: %s ===%s\n", dmas_demo_sgr (style, DMAS_DEMO_BOLD),
           number, (guint) G_N_ELEMENTS (scenarios), scenarios[number - 1].title,
           dmas_demo_sgr (style, DMAS_DEMO_RESET));
  fprintf (out, "%s\n(config: configs/demo/%s, seed %" G_GUINT64_FORMAT ")\n\n",
           scenarios[number - 1].story, scenarios[number - 1].file, config->seed);
  fprintf (out, "The agents:\n");
  print_cluster_table (show, config);
  fprintf (out, "The jobs:\n");
  print_jobs (show);
  fprintf (out, "\n");
  dmas_demo_pause (style, 1500);

  g_autofree gchar *diagnosis = NULL;
  const DmasRunStatus status = dmas_sim_run (sim, 0.0, TRUE, &diagnosis);
  const DmasMetrics *metrics = dmas_sim_metrics (sim);
  DmasMetricsSummary s;
  dmas_metrics_summarize (metrics, &s);
  *result = (DemoResult) {
    .ran = TRUE, .status = status, .submitted = s.jobs_submitted,
    .completed = s.jobs_completed, .safety_violations = metrics->safety_violations,
    .implausible_bids = dmas_metrics_get (metrics, "implausible_bids"),
    .llm_calls = show->llm_calls,
  };
  tally_claims (show, result);
  print_summary (show, number, result);
  dmas_demo_pause (style, 2000);

  if (status == DMAS_RUN_INTERRUPTED)
    return dmas_cli_fail (DMAS_EXIT_INTERRUPTED, "demo: interrupted");
  if (status == DMAS_RUN_DEADLOCK || status == DMAS_RUN_STALLED)
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "demo: scenario %u %s: %s", number,
                 dmas_run_status_to_string (status), diagnosis != NULL ? diagnosis : "");
  return DMAS_EXIT_OK;
}

static void
print_closing (const DmasDemoStyle *style, const DemoResult *results)
{
  FILE *out = style->out;
  fprintf (out, "\n%s=== What the demo showed ===%s\n", dmas_demo_sgr (style, DMAS_DEMO_BOLD),
           dmas_demo_sgr (style, DMAS_DEMO_RESET));
  fprintf (out, "  scenario  completed  impossible claims  refused  accepted  safety "
                "violations\n");
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      const DemoResult *r = &results[i];
      if (!r->ran)
        continue;
      g_autofree gchar *done = g_strdup_printf ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                                                r->completed, r->submitted);
      fprintf (out, "  %8u  %9s  %17u  %7u  %8u  %17" G_GUINT64_FORMAT "\n", i + 1, done,
               r->impossible, r->refused, r->accepted, r->safety_violations);
    }
}

static int
demo (DemoOptions *o)
{
  if (o->scenario < 0 || o->scenario > (gint) G_N_ELEMENTS (scenarios))
    return dmas_cli_fail (DMAS_EXIT_USAGE, "demo: --scenario %d: give 1, 2 or 3 (default: all three)",
                 o->scenario);
  if (o->args != NULL && o->args[0] != NULL)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "demo: unexpected argument '%s' (try 'dmas demo --help')",
                 o->args[0]);

  g_autoptr (GPtrArray) sets = g_ptr_array_new ();
  g_autofree gchar *provider_set = NULL;
  if (o->provider != NULL)
    {
      /* First, so that an explicit --set llm.provider=... still wins. */
      provider_set = g_strdup_printf ("llm.provider=%s", o->provider);
      g_ptr_array_add (sets, provider_set);
    }
  for (gchar **s = o->sets; s != NULL && *s != NULL; s++)
    g_ptr_array_add (sets, *s);
  g_ptr_array_add (sets, NULL);

  const gchar *no_color = g_getenv ("NO_COLOR");
  const DmasDemoStyle style = {
    .out = stdout,
    /* no-color.org: a NO_COLOR that is present and not empty turns colour off. */
    .colour = isatty (STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0'),
    .fast = o->fast,
  };

  fprintf (stdout, "%sdmas demo: fault-tolerant job scheduling by LLM agents%s\n"
                   "Five agents, each managing one specialised cluster, ask a language model "
                   "to place each job, vote,\nand agree on the winner with PBFT (n = 5 "
                   "tolerates f = 1 Byzantine agent).  Every prompt and reply is\nshown.  "
                   "Times are virtual seconds.%s\n",
           dmas_demo_sgr (&style, DMAS_DEMO_BOLD), dmas_demo_sgr (&style, DMAS_DEMO_RESET),
           o->fast ? "" : "  (--fast skips the pauses.)");

  DemoResult results[G_N_ELEMENTS (scenarios)] = { 0 };
  for (guint i = 1; i <= G_N_ELEMENTS (scenarios); i++)
    {
      if (o->scenario != 0 && (guint) o->scenario != i)
        continue;
      const int status = run_scenario (o, &style, i, (const gchar *const *) sets->pdata,
                                       &results[i - 1]);
      if (status != DMAS_EXIT_OK)
        return status;
    }
  print_closing (&style, results);
  return DMAS_EXIT_OK;
}

int
dmas_cmd_demo (int argc, char **argv)
{
  DemoOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "fast", 0, 0, G_OPTION_ARG_NONE, &o.fast, "no pauses between the steps", NULL },
    { "scenario", 0, 0, G_OPTION_ARG_INT, &o.scenario,
      "run only scenario N: 1 healthy, 2 Byzantine, 3 recovery (default: all three)", "N" },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &o.provider,
      "the llm provider (default: simulated, offline); e.g. ollama, openai, sambastudio",
      "NAME" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
      "override a key of the scenarios' configs, e.g. --set llm.model=llama3.1:8b "
      "(repeatable)", "KEY=VALUE" },
    { "plugin-path", 0, 0, G_OPTION_ARG_STRING, &o.plugin_path,
      "colon-separated plugin directories, searched first", "DIRS" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL, NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "The fault-tolerance demonstration: five LLM agents schedule "
                                "jobs with PBFT through\nthree scenarios (healthy, Byzantine "
                                "agents, recovery), showing every prompt, reply,\nvote and "
                                "decision.  Offline with the simulated provider by default.");
  g_option_context_add_main_entries (context, entries, NULL);

  g_autoptr (GError) error = NULL;
  g_set_prgname ("dmas demo");
  int status;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = dmas_cli_fail (DMAS_EXIT_USAGE, "demo: %s (try 'dmas demo --help')", error->message);
  else
    status = demo (&o);
  g_free (o.provider);
  g_strfreev (o.sets);
  g_free (o.plugin_path);
  g_strfreev (o.args);
  return status;
}
