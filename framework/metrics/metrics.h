/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-run measurements: job records, decisions, traffic, plugin counters, and what they add up to. */
#ifndef DMAS_METRICS_METRICS_H
#define DMAS_METRICS_METRICS_H

#include <glib.h>

#include <dmas/job.h>
#include <dmas/plugin.h>
#include "net/network.h"

G_BEGIN_DECLS

/* Where a job is in its life.  The order is the order of progress. */
typedef enum {
  DMAS_JOB_UNSUBMITTED = 0, /* its submit time was not reached (after the horizon, or cut) */
  DMAS_JOB_SUBMITTED,       /* announced, no winner yet */
  DMAS_JOB_REJECTED,        /* no cluster can ever run it (see reason) */
  DMAS_JOB_QUEUED,          /* decided, waiting in the winner's local queue */
  DMAS_JOB_RUNNING,
  DMAS_JOB_COMPLETED,       /* ran for its whole runtime */
  DMAS_JOB_KILLED           /* stopped at its requested walltime */
} DmasJobState;

typedef struct {
  DmasJobId id;
  DmasTime submit;
  guint32 nodes;
  DmasTime walltime;
  DmasJobState state;
  DmasTime decided;   /* when the winner decided (DMAS_TIME_NONE until then) */
  DmasTime start;     /* first start (DMAS_TIME_NONE until then) */
  DmasTime end;       /* end of the first execution (DMAS_TIME_NONE until then) */
  DmasAgentId agent;  /* the agent that ran it first (DMAS_AGENT_NONE until then) */
  guint32 starts;     /* executions started, everywhere */
  gchar *reason;      /* why it was rejected or could not run (owned, nullable) */
} DmasJobRecord;

typedef struct {
  DmasJobRecord *jobs;      /* index = job id - 1 */
  guint n_jobs;
  guint64 total_nodes;      /* of the platform, for utilization */
  DmasTime run_end;         /* virtual time when the run ended */
  guint64 decisions;        /* slots decided (first decision of each slot, any agent) */
  guint64 safety_violations; /* an agent decided a slot differently from an earlier decision */
  guint64 duplicate_executions; /* starts of a job already started before */
  GArray *decision_latency; /* DmasTime: home's announcement → decision at the winner */
  DmasNetCounters traffic[DMAS_NET_N_CHANNELS];
  GHashTable *plugin;       /* gchar* name → gdouble* sum; looked up only, output sorted */
} DmasMetrics;

/* Records for `n_jobs` jobs, all UNSUBMITTED.  Returns: (transfer full). */
DmasMetrics *dmas_metrics_new (guint n_jobs, guint64 total_nodes);
void dmas_metrics_free (DmasMetrics *metrics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasMetrics, dmas_metrics_free)

/* The record of job `id` (1-based).  Returns: (transfer none). */
DmasJobRecord *dmas_metrics_job (DmasMetrics *metrics, DmasJobId id);

/* Adds `value` to the plugin counter `name`. */
void dmas_metrics_add (DmasMetrics *metrics, const gchar *name, gdouble value);
/* Returns: (transfer container) the plugin counter names, sorted by strcmp. */
GPtrArray *dmas_metrics_names (const DmasMetrics *metrics);
/* The value of a plugin counter, 0 when it was never added to. */
gdouble dmas_metrics_get (const DmasMetrics *metrics, const gchar *name);

/* Bounded slowdown: max(1, (wait + run) / max(run, tau)), in any one unit. */
gdouble dmas_bsld (gdouble wait, gdouble run, gdouble tau);
#define DMAS_BSLD_TAU_S 10.0

/* Nearest-rank percentile of `n` values sorted ascending: the ceil(p/100 · n)-th smallest
 * (p in (0, 100]); 0 when n is 0.  No interpolation, so the result is always a sample. */
gdouble dmas_percentile (const gdouble *sorted, gsize n, gdouble p);

/* What the run adds up to (DESIGN §8).  Times in seconds. */
typedef struct {
  guint64 jobs_submitted, jobs_completed, jobs_rejected, jobs_killed, jobs_lost;
  gdouble completion_rate;
  gdouble wait_mean_s, turnaround_mean_s, bsld_mean; /* over completed jobs */
  gdouble makespan_s;            /* first submission → last completion */
  gdouble throughput_jobs_per_h; /* completed / makespan */
  gdouble utilization;           /* busy node-seconds / node-seconds, over the makespan */
  guint64 decisions;
  gdouble msgs_per_decision, bytes_per_decision; /* consensus traffic per decided slot */
  guint64 sched_msgs, sched_bytes;               /* the host's announcements and completions */
  gdouble decision_latency_p50_s, decision_latency_p95_s, decision_latency_max_s;
} DmasMetricsSummary;

void dmas_metrics_summarize (const DmasMetrics *metrics, DmasMetricsSummary *out);

static inline gdouble
dmas_time_to_s (DmasTime t)
{
  return (gdouble) t / (gdouble) DMAS_S;
}

G_END_DECLS

#endif /* DMAS_METRICS_METRICS_H */
