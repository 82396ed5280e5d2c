/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One simulation run into a result directory: shared by `dmas run`, campaign workers, replay. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "agents/faults.h"
#include "campaign/execute.h"
#include "metrics/summary.h"
#include "world/events.h"

gchar *
dmas_default_outdir (const gchar *name)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree gchar *clean = g_strdup (name != NULL && *name ? name : "run");
  g_strcanon (clean, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", '-');
  g_autofree gchar *base = g_strdup_printf ("%s-%s", clean, stamp);
  gchar *dir = g_build_filename ("results", base, NULL);
  for (guint i = 2; g_file_test (dir, G_FILE_TEST_EXISTS); i++)
    {
      g_free (dir);
      g_autofree gchar *numbered = g_strdup_printf ("%s-%u", base, i);
      dir = g_build_filename ("results", numbered, NULL);
    }
  return dir;
}

void
dmas_execution_free (DmasExecution *execution)
{
  if (execution == NULL)
    return;
  g_clear_pointer (&execution->sim, dmas_sim_free);
  g_free (execution->diagnosis);
  g_free (execution->digest);
  g_free (execution);
}

static guint64
peak_rss_kb (void)
{
  struct rusage usage;
  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return (guint64) usage.ru_maxrss; /* kilobytes on Linux */
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

static gboolean
write_results (const gchar *outdir, const DmasConfig *config, const DmasSummaryInput *in,
               const DmasSim *sim, GError **error)
{
  g_autofree gchar *csv = dmas_jobs_csv (in->metrics, dmas_sim_workload (sim));
  g_autofree gchar *faults_jsonl = dmas_faults_to_jsonl (dmas_sim_faults (sim));
  g_autofree gchar *yaml = dmas_config_to_yaml (config);
  g_autofree gchar *json = dmas_summary_to_json (in);
  /* summary.json last: its presence says the directory holds a whole result (a campaign's
   * --resume relies on it). */
  return dmas_result_write (outdir, "jobs.csv", csv, error)
         && dmas_result_write (outdir, "faults.jsonl", faults_jsonl, error)
         && dmas_result_write (outdir, "config.resolved.yaml", yaml, error)
         && dmas_result_write (outdir, "summary.json", json, error);
}

DmasExecution *
dmas_execute (const DmasConfig *config, DmasRegistry *registry, const gchar *outdir,
              const DmasExecuteOptions *options, GError **error)
{
  g_autoptr (DmasExecution) x = g_new0 (DmasExecution, 1);
  x->sim = dmas_sim_new (config, registry, error);
  if (x->sim == NULL)
    return NULL;

  if (g_mkdir_with_parents (outdir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create the result directory %s: %s", outdir, g_strerror (saved));
      return NULL;
    }

  FILE *trace = NULL;
  if (options->trace_path != NULL)
    {
      trace = fopen (options->trace_path, "w");
      if (trace == NULL)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "--trace: cannot write %s: %s", options->trace_path, g_strerror (saved));
          return NULL;
        }
      dmas_engine_set_trace (dmas_sim_engine (x->sim), trace_line, trace);
    }

  const gint64 wall_start = g_get_monotonic_time ();
  x->status = dmas_sim_run (x->sim, options->speed, options->handle_sigint, &x->diagnosis);
  x->wall_s = (gdouble) (g_get_monotonic_time () - wall_start) / G_USEC_PER_SEC;

  DmasEngine *engine = dmas_sim_engine (x->sim);
  if (trace != NULL)
    {
      dmas_engine_set_trace (engine, NULL, NULL);
      gboolean bad = ferror (trace) != 0;
      if (fclose (trace) != 0 || bad)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "--trace: error writing %s",
                       options->trace_path);
          return NULL;
        }
    }
  x->digest = dmas_engine_digest (engine);
  x->events = dmas_engine_events (engine);
  const DmasSummaryInput in = {
    .status = x->status,
    .diagnosis = x->diagnosis,
    .seed = config->seed,
    .events = x->events,
    .trace_digest = x->digest,
    .metrics = dmas_sim_metrics (x->sim),
    .config = config->resolved,
    .workload = dmas_workload_stats (dmas_sim_workload (x->sim)),
    .wall_clock = { .wall_s = x->wall_s, .peak_rss_kb = peak_rss_kb () },
  };
  if (!write_results (outdir, config, &in, x->sim, error))
    {
      g_prefix_error (error, "writing the results: ");
      return NULL;
    }
  return g_steal_pointer (&x);
}
