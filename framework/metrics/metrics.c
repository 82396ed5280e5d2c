/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-run measurements and the definitions of DESIGN §8 computed from them. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dmas/consensus.h>

#include "metrics/metrics.h"

DmasMetrics *
dmas_metrics_new (guint n_jobs, guint64 total_nodes)
{
  DmasMetrics *metrics = g_new0 (DmasMetrics, 1);
  metrics->n_jobs = n_jobs;
  metrics->jobs = g_new0 (DmasJobRecord, MAX (n_jobs, 1));
  for (guint i = 0; i < n_jobs; i++)
    {
      DmasJobRecord *record = &metrics->jobs[i];
      record->id = (DmasJobId) i + 1;
      record->state = DMAS_JOB_UNSUBMITTED;
      record->decided = DMAS_TIME_NONE;
      record->start = DMAS_TIME_NONE;
      record->end = DMAS_TIME_NONE;
      record->agent = DMAS_AGENT_NONE;
      record->accepted = DMAS_TIME_NONE;
    }
  metrics->total_nodes = total_nodes;
  metrics->decision_latency = g_array_new (FALSE, FALSE, sizeof (DmasTime));
  metrics->plugin = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  metrics->agent_downtime = g_array_new (FALSE, FALSE, sizeof (DmasInterval));
  metrics->service_outages = g_array_new (FALSE, FALSE, sizeof (DmasInterval));
  metrics->recovery_times = g_array_new (FALSE, FALSE, sizeof (DmasTime));
  return metrics;
}

void
dmas_metrics_free (DmasMetrics *metrics)
{
  if (metrics == NULL)
    return;
  for (guint i = 0; i < metrics->n_jobs; i++)
    g_free (metrics->jobs[i].reason);
  g_free (metrics->jobs);
  g_array_unref (metrics->decision_latency);
  g_hash_table_unref (metrics->plugin);
  g_array_unref (metrics->agent_downtime);
  g_array_unref (metrics->service_outages);
  g_array_unref (metrics->recovery_times);
  g_free (metrics);
}

DmasJobRecord *
dmas_metrics_job (DmasMetrics *metrics, DmasJobId id)
{
  g_return_val_if_fail (id >= 1 && id <= metrics->n_jobs, NULL);
  return &metrics->jobs[id - 1];
}

void
dmas_metrics_add (DmasMetrics *metrics, const gchar *name, gdouble value)
{
  gdouble *sum = g_hash_table_lookup (metrics->plugin, name);
  if (sum == NULL)
    {
      sum = g_new0 (gdouble, 1);
      g_hash_table_insert (metrics->plugin, g_strdup (name), sum);
    }
  *sum += value;
}

gdouble
dmas_metrics_get (const DmasMetrics *metrics, const gchar *name)
{
  const gdouble *sum = g_hash_table_lookup (metrics->plugin, name);
  return sum != NULL ? *sum : 0.0;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

GPtrArray *
dmas_metrics_names (const DmasMetrics *metrics)
{
  /* The table is only iterated to collect the keys; the sort fixes the order. */
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, metrics->plugin);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);
  return names;
}

void
dmas_metrics_agent_down (DmasMetrics *metrics, DmasAgentId agent, DmasTime t)
{
  const DmasInterval down = { .start = t, .end = DMAS_TIME_NONE, .who = agent };
  metrics->agent_failures++;
  g_array_append_val (metrics->agent_downtime, down);
}

void
dmas_metrics_agent_up (DmasMetrics *metrics, DmasAgentId agent, DmasTime t)
{
  /* The agent's open interval is its latest one: search from the end. */
  for (guint i = metrics->agent_downtime->len; i-- > 0;)
    {
      DmasInterval *down = &g_array_index (metrics->agent_downtime, DmasInterval, i);
      if (down->who == agent)
        {
          if (down->end == DMAS_TIME_NONE)
            down->end = t;
          return;
        }
    }
}

void
dmas_metrics_service_down (DmasMetrics *metrics, DmasTime t)
{
  const DmasInterval outage = { .start = t, .end = DMAS_TIME_NONE, .who = 0 };
  g_array_append_val (metrics->service_outages, outage);
}

gboolean
dmas_metrics_service_is_down (const DmasMetrics *metrics)
{
  guint n = metrics->service_outages->len;
  return n > 0
         && g_array_index (metrics->service_outages, DmasInterval, n - 1).end == DMAS_TIME_NONE;
}

void
dmas_metrics_service_up (DmasMetrics *metrics, DmasTime t)
{
  guint n = metrics->service_outages->len;
  g_return_if_fail (n > 0);
  DmasInterval *outage = &g_array_index (metrics->service_outages, DmasInterval, n - 1);
  g_return_if_fail (outage->end == DMAS_TIME_NONE);
  if (outage->start == t)
    g_array_set_size (metrics->service_outages, n - 1); /* down and up in one instant */
  else
    outage->end = t;
}

gdouble
dmas_bsld (gdouble wait, gdouble run, gdouble tau)
{
  return MAX (1.0, (wait + run) / MAX (run, tau));
}

gdouble
dmas_percentile (const gdouble *sorted, gsize n, gdouble p)
{
  if (n == 0)
    return 0.0;
  gdouble rank = ceil (p / 100.0 * (gdouble) n);
  gsize index = rank < 1.0 ? 0 : (gsize) rank - 1;
  return sorted[MIN (index, n - 1)];
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return (x > y) - (x < y);
}

/* Node-seconds that `record` kept busy inside [from, to]. */
static gdouble
busy_node_seconds (const DmasJobRecord *record, DmasTime run_end, DmasTime from, DmasTime to)
{
  if (record->start == DMAS_TIME_NONE)
    return 0.0;
  DmasTime a = MAX (record->start, from);
  DmasTime b = MIN (record->end != DMAS_TIME_NONE ? record->end : run_end, to);
  if (b <= a)
    return 0.0;
  return dmas_time_to_s (b - a) * record->nodes;
}

/* Sum and count of the interval lengths, open ones closed at the run's end. */
static gdouble
interval_mean_s (const GArray *intervals, DmasTime run_end, gdouble *total_s)
{
  gdouble sum = 0.0;
  for (guint i = 0; i < intervals->len; i++)
    {
      const DmasInterval *iv = &g_array_index (intervals, DmasInterval, i);
      DmasTime end = iv->end != DMAS_TIME_NONE ? iv->end : MAX (run_end, iv->start);
      sum += dmas_time_to_s (end - iv->start);
    }
  if (total_s != NULL)
    *total_s = sum;
  return intervals->len > 0 ? sum / (gdouble) intervals->len : 0.0;
}

static void
summarize_faults (const DmasMetrics *metrics, DmasMetricsSummary *out)
{
  gdouble outage_s = 0.0;
  out->service_outage_mean_s = interval_mean_s (metrics->service_outages, metrics->run_end,
                                                &outage_s);
  out->scheduler_failures = metrics->service_outages->len;
  gdouble run_s = dmas_time_to_s (metrics->run_end);
  out->availability = run_s > 0.0 ? 1.0 - outage_s / run_s : 1.0;
  out->agent_failures = metrics->agent_failures;
  out->agent_downtime_mean_s = interval_mean_s (metrics->agent_downtime, metrics->run_end, NULL);

  gdouble mttr_sum = 0.0;
  for (guint i = 0; i < metrics->recovery_times->len; i++)
    mttr_sum += dmas_time_to_s (g_array_index (metrics->recovery_times, DmasTime, i));
  if (metrics->recovery_times->len > 0)
    out->mttr_s = mttr_sum / (gdouble) metrics->recovery_times->len;
  out->jobs_recovered = metrics->jobs_recovered;
  out->recoveries = metrics->recoveries;
  out->heartbeat_msgs = metrics->heartbeat_msgs;
  out->heartbeat_bytes = metrics->heartbeat_bytes;
  out->msgs_dropped_down = metrics->msgs_dropped_down;

  /* The seed's formula, kept as it was for comparison (DESIGN §8). */
  gdouble score = 50.0 * out->completion_rate
                  + 0.2 * (100.0 - 2.0 * (gdouble) out->agent_failures)
                  + 0.3 * (100.0 - 10.0 * (gdouble) out->scheduler_failures);
  out->fault_tolerance_score = CLAMP (score, 0.0, 100.0);
}

void
dmas_metrics_summarize (const DmasMetrics *metrics, DmasMetricsSummary *out)
{
  memset (out, 0, sizeof *out);
  DmasTime first_submit = DMAS_TIME_NONE, last_end = 0;
  gdouble wait_sum = 0.0, tat_sum = 0.0, bsld_sum = 0.0;

  for (guint i = 0; i < metrics->n_jobs; i++)
    {
      const DmasJobRecord *record = &metrics->jobs[i];
      if (record->state == DMAS_JOB_UNSUBMITTED)
        continue;
      out->jobs_submitted++;
      first_submit = MIN (first_submit, record->submit);
      if (record->end != DMAS_TIME_NONE)
        last_end = MAX (last_end, record->end);
      switch (record->state)
        {
        case DMAS_JOB_REJECTED:
          out->jobs_rejected++;
          break;
        case DMAS_JOB_KILLED:
          out->jobs_killed++;
          break;
        case DMAS_JOB_COMPLETED:
          {
            out->jobs_completed++;
            gdouble wait = dmas_time_to_s (record->start - record->submit);
            gdouble run = dmas_time_to_s (record->end - record->start);
            wait_sum += wait;
            tat_sum += dmas_time_to_s (record->end - record->submit);
            bsld_sum += dmas_bsld (wait, run, DMAS_BSLD_TAU_S);
          }
          break;
        default:
          break;
        }
    }
  out->jobs_lost = out->jobs_submitted - out->jobs_completed - out->jobs_rejected
                   - out->jobs_killed;
  if (out->jobs_submitted > 0)
    out->completion_rate = (gdouble) out->jobs_completed / (gdouble) out->jobs_submitted;
  if (out->jobs_completed > 0)
    {
      out->wait_mean_s = wait_sum / (gdouble) out->jobs_completed;
      out->turnaround_mean_s = tat_sum / (gdouble) out->jobs_completed;
      out->bsld_mean = bsld_sum / (gdouble) out->jobs_completed;
    }

  if (first_submit != DMAS_TIME_NONE && last_end > first_submit)
    {
      out->makespan_s = dmas_time_to_s (last_end - first_submit);
      out->throughput_jobs_per_h = (gdouble) out->jobs_completed / (out->makespan_s / 3600.0);
      gdouble busy = 0.0;
      for (guint i = 0; i < metrics->n_jobs; i++)
        busy += busy_node_seconds (&metrics->jobs[i], metrics->run_end, first_submit, last_end);
      if (metrics->total_nodes > 0)
        out->utilization = busy / ((gdouble) metrics->total_nodes * out->makespan_s);
    }

  out->decisions = metrics->decisions;
  const DmasNetCounters *consensus = &metrics->traffic[DMAS_KIND_CONSENSUS];
  if (metrics->decisions > 0)
    {
      out->msgs_per_decision = (gdouble) consensus->messages / (gdouble) metrics->decisions;
      out->bytes_per_decision = (gdouble) consensus->bytes / (gdouble) metrics->decisions;
    }
  /* Heartbeats travel on the host channel too, but are the detector's cost, not scheduling. */
  out->sched_msgs = metrics->traffic[DMAS_NET_HOST].messages - metrics->heartbeat_msgs;
  out->sched_bytes = metrics->traffic[DMAS_NET_HOST].bytes - metrics->heartbeat_bytes;

  gsize n = metrics->decision_latency->len;
  g_autofree gdouble *lat = g_new (gdouble, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    lat[i] = dmas_time_to_s (g_array_index (metrics->decision_latency, DmasTime, i));
  qsort (lat, n, sizeof (gdouble), compare_doubles);
  out->decision_latency_p50_s = dmas_percentile (lat, n, 50.0);
  out->decision_latency_p95_s = dmas_percentile (lat, n, 95.0);
  out->decision_latency_max_s = n > 0 ? lat[n - 1] : 0.0;

  summarize_faults (metrics, out);
}

guint
dmas_quorum_size (guint32 model, guint n)
{
  switch (model)
    {
    case DMAS_FAULT_MODEL_CRASH:
      return n / 2 + 1;
    case DMAS_FAULT_MODEL_BYZANTINE:
      return n > 0 ? 2 * ((n - 1) / 3) + 1 : 1;
    default:
      return 1;
    }
}

const gchar *
dmas_fault_model_to_string (guint32 model)
{
  switch (model)
    {
    case DMAS_FAULT_MODEL_CRASH:
      return "crash";
    case DMAS_FAULT_MODEL_BYZANTINE:
      return "byzantine";
    default:
      return "none";
    }
}
