/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas run`: one simulation, or a campaign of them, from a YAML config into a directory. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "agents/sim.h"
#include "campaign/campaign.h"
#include "campaign/execute.h"
#include "cli/cli.h"
#include "config/config.h"
#include "report/report.h"

typedef struct {
  gchar *outdir;
  gchar *seed;
  gchar **sets;
  gchar *plugin_path;
  gdouble speed;
  gboolean quiet;
  gchar *trace;
  gint jobs;
  gchar *resume;
  gchar *progress;
  gchar **args;
} RunOptions;

static void
run_options_clear (RunOptions *o)
{
  g_free (o->outdir);
  g_free (o->seed);
  g_strfreev (o->sets);
  g_free (o->plugin_path);
  g_free (o->trace);
  g_free (o->resume);
  g_free (o->progress);
  g_strfreev (o->args);
}

static void
print_table (const DmasConfig *config, DmasRunStatus status, const DmasMetrics *metrics,
             guint64 events, gdouble wall_s, const gchar *digest, const gchar *outdir)
{
  DmasMetricsSummary s;
  dmas_metrics_summarize (metrics, &s);
  printf ("dmas run %s (seed %" G_GUINT64_FORMAT "): %s\n", config->name, config->seed,
          dmas_run_status_to_string (status));
  printf ("  %-22s %" G_GUINT64_FORMAT "\n", "jobs submitted", s.jobs_submitted);
  printf ("  %-22s %" G_GUINT64_FORMAT "\n", "jobs completed", s.jobs_completed);
  printf ("  %-22s %" G_GUINT64_FORMAT "\n", "jobs rejected", s.jobs_rejected);
  printf ("  %-22s %.1f %%\n", "completion rate", 100.0 * s.completion_rate);
  printf ("  %-22s %.3f s\n", "wait mean", s.wait_mean_s);
  printf ("  %-22s %.2f jobs/h\n", "throughput", s.throughput_jobs_per_h);
  printf ("  %-22s %.2f\n", "msgs/decision", s.msgs_per_decision);
  printf ("  %-22s %.6f s\n", "decision latency p50", s.decision_latency_p50_s);
  printf ("  %-22s %" G_GUINT64_FORMAT "\n", "events", events);
  printf ("  %-22s %.0f\n", "events/s", wall_s > 0.0 ? (gdouble) events / wall_s : 0.0);
  printf ("  %-22s %.3f s\n", "wall time", wall_s);
  printf ("  %-22s %s\n", "trace digest", digest);
  printf ("  %-22s %s\n", "results", outdir);
}

static int
run_single (RunOptions *o, const gchar *const *sets)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = NULL;
  g_autoptr (DmasRegistry) registry = NULL;
  if (!dmas_cli_setup (o->args[0], sets, o->plugin_path, &config, &registry, &error))
    return dmas_cli_fail (dmas_cli_exit_status (error), "%s", error->message);

  g_autofree gchar *outdir = o->outdir != NULL ? g_strdup (o->outdir)
                                               : dmas_default_outdir (config->name);
  const DmasExecuteOptions options = {
    .speed = o->speed, .handle_sigint = TRUE, .trace_path = o->trace,
  };
  g_autoptr (DmasExecution) x = dmas_execute (config, registry, outdir, &options, &error);
  if (x == NULL)
    return dmas_cli_fail (dmas_cli_exit_status (error), "%s", error->message);
  if (!o->quiet)
    print_table (config, x->status, dmas_sim_metrics (x->sim), x->events, x->wall_s, x->digest,
                 outdir);

  switch (x->status)
    {
    case DMAS_RUN_DEADLOCK:
      return dmas_cli_fail (DMAS_EXIT_FAILURE, "deadlock: %s\n(results in %s)", x->diagnosis, outdir);
    case DMAS_RUN_STALLED:
      return dmas_cli_fail (DMAS_EXIT_FAILURE, "stalled: %s\n(results in %s)", x->diagnosis, outdir);
    case DMAS_RUN_INTERRUPTED:
      return dmas_cli_fail (DMAS_EXIT_INTERRUPTED, "interrupted; partial results in %s", outdir);
    default:
      return DMAS_EXIT_OK;
    }
}

static gboolean
parse_progress (const gchar *text, DmasProgressMode *mode)
{
  if (text == NULL || strcmp (text, "auto") == 0)
    *mode = isatty (STDERR_FILENO) ? DMAS_PROGRESS_BAR : DMAS_PROGRESS_NONE;
  else if (strcmp (text, "bar") == 0)
    *mode = DMAS_PROGRESS_BAR;
  else if (strcmp (text, "jsonl") == 0)
    *mode = DMAS_PROGRESS_JSONL;
  else if (strcmp (text, "none") == 0)
    *mode = DMAS_PROGRESS_NONE;
  else
    return FALSE;
  return TRUE;
}

static int
run_campaign (RunOptions *o, DmasNode *root)
{
  g_autoptr (GError) error = NULL;
  DmasCampaignOptions options = { .resume = o->resume != NULL };
  if (!parse_progress (o->progress, &options.progress))
    return dmas_cli_fail (DMAS_EXIT_USAGE, "--progress: '%s' is not one of auto, bar, jsonl, none",
                 o->progress);
  if (o->jobs < 0)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "-j: must be >= 1 (default: the number of cores)");
  options.jobs = o->jobs > 0 ? (guint) o->jobs : g_get_num_processors ();
  if (o->trace != NULL)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "--trace records one run; for a campaign run, rerun it with "
                                  "'dmas replay DIR/runs/ID' or 'dmas run "
                                  "DIR/runs/ID/config.resolved.yaml --trace FILE'");
  if (o->speed != 0.0)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "--speed paces one run; a campaign runs as fast as possible");
  if (o->resume != NULL && o->outdir != NULL && strcmp (o->resume, o->outdir) != 0)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "--resume %s and -o %s name different directories; give "
                                  "--resume DIR alone", o->resume, o->outdir);

  /* Every run's config is resolved before anything starts: a config error shows now, not
   * after an hour of runs. */
  g_autoptr (DmasCampaign) campaign = dmas_campaign_new (root, o->args[0], o->plugin_path,
                                                         &error);
  if (campaign == NULL)
    return dmas_cli_fail (dmas_cli_exit_status (error), "%s", error->message);

  g_autofree gchar *dir = o->resume != NULL   ? g_strdup (o->resume)
                          : o->outdir != NULL ? g_strdup (o->outdir)
                                              : dmas_default_outdir (campaign->name);
  g_autofree gchar *plan = g_build_filename (dir, "campaign.json", NULL);
  if (o->resume != NULL && !dmas_campaign_check_resume (campaign, dir, &error))
    return dmas_cli_fail (DMAS_EXIT_USAGE, "%s", error->message);
  if (o->resume == NULL && g_file_test (plan, G_FILE_TEST_EXISTS))
    return dmas_cli_fail (DMAS_EXIT_USAGE, "%s already holds a campaign; continue it with "
                                  "'dmas run %s --resume %s', or choose another -o DIR", dir,
                 o->args[0], dir);
  if (!dmas_campaign_write_plan (campaign, dir, &error))
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "writing the campaign plan: %s", error->message);

  DmasCampaignOutcome outcome;
  if (!dmas_campaign_execute (campaign, dir, &options, &outcome, &error))
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "campaign stopped: %s; resume: dmas run %s --resume %s",
                 error->message, o->args[0], dir);
  if (outcome.interrupted)
    return dmas_cli_fail (DMAS_EXIT_INTERRUPTED, "interrupted: %u of %u runs finished; resume: dmas run "
                 "%s --resume %s", outcome.finished, outcome.total, o->args[0], dir);

  if (!dmas_report_generate (dir, &error))
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "writing the report: %s", error->message);
  if (!o->quiet && !dmas_report_print_table (dir, stdout, &error))
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "printing the table: %s", error->message);
  printf ("report: %s/report.html\n", dir);
  if (outcome.failed > 0)
    return dmas_cli_fail (DMAS_EXIT_FAILURE, "%u of %u runs failed (failure.json in their directories)",
                 outcome.failed, outcome.total);
  return DMAS_EXIT_OK;
}

static int
run (RunOptions *o)
{
  g_autoptr (GError) error = NULL;

  g_autoptr (GPtrArray) sets = g_ptr_array_new ();
  for (gchar **s = o->sets; s != NULL && *s != NULL; s++)
    g_ptr_array_add (sets, *s);
  g_autofree gchar *seed_set = NULL;
  if (o->seed != NULL)
    {
      guint64 seed;
      if (!g_ascii_string_to_unsigned (o->seed, 10, 0, G_MAXUINT64, &seed, NULL))
        return dmas_cli_fail (DMAS_EXIT_USAGE, "--seed: '%s' is not an unsigned integer", o->seed);
      /* Applied last, as a --set, so it wins over the file and over --set seed=...; in a
       * campaign it is the master seed. */
      seed_set = g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seed);
      g_ptr_array_add (sets, seed_set);
    }
  g_ptr_array_add (sets, NULL);
  if (o->speed < 0.0)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "--speed: must be >= 0 (0 runs as fast as possible)");

  /* The --set assignments apply to the raw tree first, so that they can make a file a
   * campaign (--set repetitions=3) or change its sweep. */
  g_autoptr (DmasNode) root = dmas_campaign_load_raw (o->args[0],
                                                      (const gchar *const *) sets->pdata,
                                                      &error);
  if (root == NULL)
    return dmas_cli_fail (dmas_cli_exit_status (error), "%s", error->message);
  if (dmas_campaign_is_campaign (root))
    return run_campaign (o, g_steal_pointer (&root));
  if (o->resume != NULL)
    return dmas_cli_fail (DMAS_EXIT_USAGE, "--resume: %s is not a campaign (it has no sweep: and no "
                                  "repetitions:)", o->args[0]);
  return run_single (o, (const gchar *const *) sets->pdata);
}

int
dmas_cmd_run (int argc, char **argv)
{
  RunOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.outdir,
      "write the results to DIR (default: results/NAME-UTCTIME/)", "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed,
      "run seed, or a campaign's master seed (overrides the config's seed)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
      "override a config key, e.g. --set network.latency=5ms (repeatable)", "KEY=VALUE" },
    { "plugin-path", 0, 0, G_OPTION_ARG_STRING, &o.plugin_path,
      "colon-separated plugin directories, searched first", "DIRS" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &o.speed,
      "virtual seconds per wall second (default 0: as fast as possible)", "X" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "print no summary table", NULL },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &o.trace,
      "write every dispatched event to FILE, one line 'SECONDS CLASS KIND AGENT' each",
      "FILE" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &o.jobs,
      "campaign: runs at once, each in its own process (default: the number of cores)", "N" },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &o.resume,
      "campaign: continue the campaign in DIR, skipping its finished runs", "DIR" },
    { "progress", 0, 0, G_OPTION_ARG_STRING, &o.progress,
      "campaign: progress on stderr: auto (a bar on a terminal), bar, jsonl or none", "MODE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL, NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("CONFIG");
  g_option_context_set_summary (context,
                                "Runs one simulation and writes summary.json, jobs.csv, "
                                "faults.jsonl and config.resolved.yaml.\nA CONFIG with sweep: "
                                "or repetitions: is a campaign: its runs go to DIR/runs/, "
                                "then the\nstatistics, tables, plots and report.html to DIR.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, TRUE);

  g_autoptr (GError) error = NULL;
  g_set_prgname ("dmas run");
  int status;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = dmas_cli_fail (DMAS_EXIT_USAGE, "run: %s (try 'dmas run --help')", error->message);
  else if (o.args == NULL || o.args[0] == NULL)
    status = dmas_cli_fail (DMAS_EXIT_USAGE, "run: missing CONFIG (try 'dmas run --help')");
  else if (o.args[1] != NULL)
    status = dmas_cli_fail (DMAS_EXIT_USAGE, "run: one CONFIG only, got also '%s'", o.args[1]);
  else
    status = run (&o);
  run_options_clear (&o);
  return status;
}
