/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fixed table of summary.json metrics that campaign reports aggregate. */
#include "config.h"

#include "report/data.h"

/* Order is the column order of summary.csv, stats.json and report.html: the plotted
 * metrics first, then cost, then faults.  Directions follow docs/metrics.md: rejected jobs
 * (infeasible everywhere), agent failures (what the fault config injects) and events have no
 * better side. */
static const DmasReportMetric metrics[] = {
  { "completion_rate", "Completion rate", "%", 100.0, +1, TRUE },
  { "availability", "Availability", "%", 100.0, +1, TRUE },
  { "decision_latency_p50_s", "Decision latency p50", "s", 1.0, -1, TRUE },
  { "decision_latency_p95_s", "Decision latency p95", "s", 1.0, -1, FALSE },
  { "msgs_per_decision", "Messages per decision", "", 1.0, -1, TRUE },
  { "bytes_per_decision", "Bytes per decision", "B", 1.0, -1, FALSE },
  { "throughput_jobs_per_h", "Throughput", "jobs/h", 1.0, +1, TRUE },
  { "wait_mean_s", "Mean wait", "s", 1.0, -1, TRUE },
  { "turnaround_mean_s", "Mean turnaround", "s", 1.0, -1, FALSE },
  { "bsld_mean", "Mean bounded slowdown", "", 1.0, -1, FALSE },
  { "utilization", "Utilization", "%", 100.0, +1, FALSE },
  { "jobs_lost", "Jobs lost", "", 1.0, -1, FALSE },
  { "jobs_rejected", "Jobs rejected", "", 1.0, 0, FALSE },
  { "duplicate_executions", "Duplicate executions", "", 1.0, -1, FALSE },
  { "safety_violations", "Safety violations", "", 1.0, -1, FALSE },
  { "mttr_s", "MTTR", "s", 1.0, -1, FALSE },
  { "service_outage_mean_s", "Mean service outage", "s", 1.0, -1, FALSE },
  { "agent_failures", "Agent failures", "", 1.0, 0, FALSE },
  { "fault_tolerance_score", "Fault tolerance score", "", 1.0, +1, FALSE },
  { "events", "Events", "", 1.0, 0, FALSE },
};

const DmasReportMetric *
dmas_report_metrics (guint *n_metrics)
{
  *n_metrics = G_N_ELEMENTS (metrics);
  return metrics;
}
