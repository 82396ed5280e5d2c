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

/* The LLM service's counters (framework/llm/service.h), kept in the run's metrics. */
typedef struct DmasLlmCounters {
  guint64 calls;              /* the service's calls (one per llm_request) */
  guint64 attempts;           /* HTTP requests sent (online providers) */
  guint64 retries;            /* attempts after the first of a call */
  guint64 invalid;            /* replies refused: not JSON, schema, impossible placement */
  guint64 failures;           /* calls with no usable reply (transport, budget, replay miss) */
  guint64 tokens_in, tokens_out;
  gdouble latency_sum_s;      /* virtual latency of all calls */
  gdouble latency_max_s;
  gdouble wall_s;             /* real time spent waiting for providers */
} DmasLlmCounters;

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
  DmasTime accepted;  /* when a home agent or the controller first accepted its client's
                       * submission (DMAS_TIME_NONE until then) */
} DmasJobRecord;

typedef struct {
  DmasJobRecord *jobs;      /* index = job id - 1 */
  guint n_jobs;
  guint64 total_nodes;      /* of the platform, for utilization */
  DmasTime run_end;         /* virtual time when the run ended */
  guint64 decisions;        /* slots decided (first decision of each slot, any agent) */
  guint64 safety_violations; /* an agent decided a slot differently from an earlier decision */
  guint64 duplicate_executions; /* starts of a job already running or done elsewhere */
  GArray *decision_latency; /* DmasTime: home's announcement → decision at the winner */
  DmasNetCounters traffic[DMAS_NET_N_CHANNELS];
  GHashTable *plugin;       /* gchar* name → gdouble* sum; looked up only, output sorted */
  /* Faults and recovery (agents/recovery.c, agents/detector.c; see dmas_metrics_agent_down
   * and dmas_metrics_service_down below). */
  guint64 agent_failures;   /* crashes of an agent that was up */
  GArray *agent_downtime;   /* DmasInterval per crash, in crash order (end NONE: still down) */
  GArray *service_outages;  /* DmasInterval per period without scheduling service */
  guint64 jobs_recovered;   /* losses of a job followed by a new start of it */
  GArray *recovery_times;   /* DmasTime per such loss: loss → the new start */
  guint64 recoveries;       /* slots of epoch >= 1 opened by a recovery coordinator */
  guint64 heartbeat_msgs, heartbeat_bytes; /* the failure detector's (in traffic[HOST] too) */
  guint64 msgs_dropped_down; /* messages that arrived at an agent while it was down */
  /* Fault onsets that fault components injected (agents/faults.c): a crash counts, the
   * restart that ends it does not. */
  guint64 faults_injected;
  /* Clients (agents/client.h). */
  guint64 submission_retries;   /* attempts after a client's first, over all jobs */
  guint64 submissions_given_up; /* jobs whose client stopped retrying (clients.give_up) */
  /* Host services and the validity check (appended, issue 4). */
  guint64 validity_violations; /* slots decided for a winner that placed no such bid > 0 */
  guint64 storage_writes;   /* persist() calls that stored a value */
  guint64 storage_bytes;    /* bytes of the values those calls stored */
  guint32 fault_model;      /* the consensus component's DmasFaultModel (availability rule) */
  /* Network faults (appended, issue 6; agents/faults-net.c, net/). */
  guint64 msgs_dropped_partition; /* sent across an active partition */
  guint64 msgs_dropped_loss;      /* lost to a link fault's `loss` */
  guint64 msgs_duplicated;        /* extra copies a link fault delivered */
  guint64 msgs_reordered;         /* messages a link fault let overtake earlier ones */
  guint64 msgs_corrupted;         /* bodies a link fault damaged (detected or not) */
  guint64 msgs_corrupt_delivered; /* damaged bodies delivered undetected (on request) */
  /* Byzantine agents (appended, issue 6; agents/byzantine.c). */
  guint64 byzantine_agents;       /* agents that were Byzantine at some point */
  guint64 jobs_captured_byzantine; /* jobs whose decided winner was Byzantine */
  guint64 jobs_completed_byzantine; /* of those, jobs that completed all the same */
  guint64 byzantine_detected;     /* accusations of an agent that was Byzantine */
  guint64 byzantine_false_accusations; /* accusations of a correct agent */
  /* Appended (llm): the LLM service's counters, copied at the end of a run that had a
   * service; summary.json shows them when llm_calls > 0. */
  DmasLlmCounters llm;
} DmasMetrics;

/* [start, end) in virtual time; end DMAS_TIME_NONE while open (closed by the run's end). */
typedef struct {
  DmasTime start, end;
  guint32 who;              /* the agent (agent_downtime); unused for outages */
} DmasInterval;

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

/* Agent `agent` crashed / came back at `t`.  Each crash opens one interval of
 * agent_downtime (and counts one agent_failure); the restart closes it. */
void dmas_metrics_agent_down (DmasMetrics *metrics, DmasAgentId agent, DmasTime t);
void dmas_metrics_agent_up (DmasMetrics *metrics, DmasAgentId agent, DmasTime t);
/* The scheduling service became unavailable / available again at `t` (distributed: fewer
 * agents up than the consensus quorum, dmas_quorum_size(); centralized: no controller is up).  Calls must alternate, down first; an outage
 * of zero length is not recorded. */
void dmas_metrics_service_down (DmasMetrics *metrics, DmasTime t);
void dmas_metrics_service_up (DmasMetrics *metrics, DmasTime t);
/* TRUE between a service_down and the service_up that ends it. */
gboolean dmas_metrics_service_is_down (const DmasMetrics *metrics);

/* Appended (issue 4).  Agents that must be up (and connected) for a protocol of fault model
 * `model` (a DmasFaultModel) among `n` to make progress: NONE 1, CRASH floor(n/2) + 1,
 * BYZANTINE 2f + 1 with f = floor((n - 1) / 3).  An unknown model counts as NONE. */
guint dmas_quorum_size (guint32 model, guint n);
/* Returns: (transfer none) "none", "crash" or "byzantine" (unknown models: "none"). */
const gchar *dmas_fault_model_to_string (guint32 model);

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
  /* Faults (README "Metrics under faults" defines each exactly). */
  gdouble availability;          /* 1 - outage time / run time; 1 for a run of length 0 */
  gdouble service_outage_mean_s; /* mean outage length; 0 without outages */
  guint64 scheduler_failures;    /* number of outages */
  guint64 agent_failures;
  gdouble agent_downtime_mean_s; /* mean crash → restart (or → run end); 0 without crashes */
  gdouble mttr_s;                /* mean loss → new start over recovered losses; 0 if none */
  guint64 jobs_recovered, recoveries;
  guint64 heartbeat_msgs, heartbeat_bytes, msgs_dropped_down;
  gdouble fault_tolerance_score; /* the seed's composite, clamped to [0, 100] */
} DmasMetricsSummary;

void dmas_metrics_summarize (const DmasMetrics *metrics, DmasMetricsSummary *out);

static inline gdouble
dmas_time_to_s (DmasTime t)
{
  return (gdouble) t / (gdouble) DMAS_S;
}

G_END_DECLS

#endif /* DMAS_METRICS_METRICS_H */
