/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas run`: one simulation from a YAML config, its results written to a directory. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "agents/faults.h"
#include "agents/sim.h"
#include "cli/cli.h"
#include "config/config.h"
#include "metrics/summary.h"
#include "plugin/registry.h"
#include "world/events.h"

typedef struct {
  gchar *outdir;
  gchar *seed;
  gchar **sets;
  gchar *plugin_path;
  gdouble speed;
  gboolean quiet;
  gchar *trace;
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
  g_strfreev (o->args);
}

static int
fail (int status, const gchar *fmt, ...) G_GNUC_PRINTF (2, 3);

static int
fail (int status, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "dmas: %s\n", message);
  return status;
}

/* results/<name>-<UTC time>/, made unique with a -2, -3... suffix if two runs share a second.
 * The wall clock names the directory only; nothing simulated reads it. */
static gchar *
default_outdir (const DmasConfig *config)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree gchar *name = g_strdup (config->name != NULL && *config->name ? config->name : "run");
  g_strcanon (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", '-');
  g_autofree gchar *base = g_strdup_printf ("%s-%s", name, stamp);
  gchar *dir = g_build_filename ("results", base, NULL);
  for (guint i = 2; g_file_test (dir, G_FILE_TEST_EXISTS); i++)
    {
      g_free (dir);
      g_autofree gchar *numbered = g_strdup_printf ("%s-%u", base, i);
      dir = g_build_filename ("results", numbered, NULL);
    }
  return dir;
}

static guint64
peak_rss_kb (void)
{
  struct rusage usage;
  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return (guint64) usage.ru_maxrss; /* kilobytes on Linux */
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

static gboolean
write_results (const gchar *outdir, const DmasConfig *config, const DmasSummaryInput *in,
               const DmasSim *sim, GError **error)
{
  g_autofree gchar *csv = dmas_jobs_csv (in->metrics, dmas_sim_workload (sim));
  g_autofree gchar *faults_jsonl = dmas_faults_to_jsonl (dmas_sim_faults (sim));
  g_autofree gchar *yaml = dmas_config_to_yaml (config);
  g_autofree gchar *json = dmas_summary_to_json (in);
  /* summary.json last: its presence says the directory holds a whole result. */
  return dmas_result_write (outdir, "jobs.csv", csv, error)
         && dmas_result_write (outdir, "faults.jsonl", faults_jsonl, error)
         && dmas_result_write (outdir, "config.resolved.yaml", yaml, error)
         && dmas_result_write (outdir, "summary.json", json, error);
}

/* --trace FILE: one line per dispatched event, "SECONDS CLASS KIND AGENT", e.g.
 * "0.002000000 deliver deliver 1"; AGENT is "-" for events of no agent.  Kinds are the world's
 * event names (world/events.h), a number for one without a name.  Golden traces compare
 * these files byte for byte. */
static void
trace_line (DmasTime time, DmasEventClass cls, guint32 kind, guint32 agent, gpointer data)
{
  static const gchar *const classes[] = { "fault", "deliver", "timer", "observe" };
  static const gchar *const kinds[] = {
    NULL, "submit", "job_end", "deliver", "timer", "heartbeat", "suspect", "crash", "restart",
    "client", "controller",
  };
  FILE *out = data;
  fprintf (out, "%" G_GUINT64_FORMAT ".%09" G_GUINT64_FORMAT " %s ", time / DMAS_S, time % DMAS_S,
           (guint) cls < G_N_ELEMENTS (classes) ? classes[cls] : "?");
  if (kind < G_N_ELEMENTS (kinds) && kinds[kind] != NULL)
    fputs (kinds[kind], out);
  else
    fprintf (out, "%" G_GUINT32_FORMAT, kind);
  if (agent == DMAS_AGENT_NONE)
    fputs (" -\n", out);
  else
    fprintf (out, " %" G_GUINT32_FORMAT "\n", agent);
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
        return fail (DMAS_EXIT_USAGE, "--seed: '%s' is not an unsigned integer", o->seed);
      /* Applied last, as a --set, so it wins over the file and over --set seed=... */
      seed_set = g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seed);
      g_ptr_array_add (sets, seed_set);
    }
  g_ptr_array_add (sets, NULL);
  if (o->speed < 0.0)
    return fail (DMAS_EXIT_USAGE, "--speed: must be >= 0 (0 runs as fast as possible)");

  g_autoptr (DmasConfig) config = NULL;
  g_autoptr (DmasRegistry) registry = NULL;
  if (!dmas_cli_setup (o->args[0], (const gchar *const *) sets->pdata, o->plugin_path, &config,
                       &registry, &error))
    return fail (dmas_cli_exit_status (error), "%s", error->message);

  g_autoptr (DmasSim) sim = dmas_sim_new (config, registry, &error);
  if (sim == NULL)
    return fail (dmas_cli_exit_status (error), "%s", error->message);

  g_autofree gchar *outdir = o->outdir != NULL ? g_strdup (o->outdir) : default_outdir (config);
  if (g_mkdir_with_parents (outdir, 0755) != 0)
    return fail (DMAS_EXIT_FAILURE, "cannot create the result directory %s: %s", outdir,
                 g_strerror (errno));

  FILE *trace = NULL;
  if (o->trace != NULL)
    {
      trace = fopen (o->trace, "w");
      if (trace == NULL)
        return fail (DMAS_EXIT_FAILURE, "--trace: cannot write %s: %s", o->trace,
                     g_strerror (errno));
      dmas_engine_set_trace (dmas_sim_engine (sim), trace_line, trace);
    }

  g_autofree gchar *diagnosis = NULL;
  const gint64 wall_start = g_get_monotonic_time ();
  DmasRunStatus status = dmas_sim_run (sim, o->speed, TRUE, &diagnosis);
  const gdouble wall_s = (gdouble) (g_get_monotonic_time () - wall_start) / G_USEC_PER_SEC;

  DmasEngine *engine = dmas_sim_engine (sim);
  if (trace != NULL)
    {
      dmas_engine_set_trace (engine, NULL, NULL);
      gboolean bad = ferror (trace) != 0;
      if (fclose (trace) != 0 || bad)
        return fail (DMAS_EXIT_FAILURE, "--trace: error writing %s", o->trace);
    }
  g_autofree gchar *digest = dmas_engine_digest (engine);
  const DmasSummaryInput in = {
    .status = status,
    .diagnosis = diagnosis,
    .seed = config->seed,
    .events = dmas_engine_events (engine),
    .trace_digest = digest,
    .metrics = dmas_sim_metrics (sim),
    .config = config->resolved,
    .workload = dmas_workload_stats (dmas_sim_workload (sim)),
    .wall_clock = { .wall_s = wall_s, .peak_rss_kb = peak_rss_kb () },
  };
  if (!write_results (outdir, config, &in, sim, &error))
    return fail (DMAS_EXIT_FAILURE, "writing the results: %s", error->message);
  if (!o->quiet)
    print_table (config, status, in.metrics, in.events, wall_s, digest, outdir);

  switch (status)
    {
    case DMAS_RUN_DEADLOCK:
      return fail (DMAS_EXIT_FAILURE, "deadlock: %s\n(results in %s)", diagnosis, outdir);
    case DMAS_RUN_INTERRUPTED:
      return fail (DMAS_EXIT_INTERRUPTED, "interrupted; partial results in %s", outdir);
    default:
      return DMAS_EXIT_OK;
    }
}

int
dmas_cmd_run (int argc, char **argv)
{
  RunOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.outdir,
      "write the results to DIR (default: results/NAME-UTCTIME/)", "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed, "run seed (overrides the config's seed)",
      "N" },
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
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL, NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("CONFIG");
  g_option_context_set_summary (context, "Runs one simulation and writes summary.json, "
                                         "jobs.csv, faults.jsonl and config.resolved.yaml.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, TRUE);

  g_autoptr (GError) error = NULL;
  g_set_prgname ("dmas run");
  int status;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = fail (DMAS_EXIT_USAGE, "run: %s (try 'dmas run --help')", error->message);
  else if (o.args == NULL || o.args[0] == NULL)
    status = fail (DMAS_EXIT_USAGE, "run: missing CONFIG (try 'dmas run --help')");
  else if (o.args[1] != NULL)
    status = fail (DMAS_EXIT_USAGE, "run: one CONFIG only, got also '%s'", o.args[1]);
  else
    status = run (&o);
  run_options_clear (&o);
  return status;
}
