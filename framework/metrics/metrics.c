/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-run measurements and the definitions of DESIGN §8 computed from them. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    }
  metrics->total_nodes = total_nodes;
  metrics->decision_latency = g_array_new (FALSE, FALSE, sizeof (DmasTime));
  metrics->plugin = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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
  out->sched_msgs = metrics->traffic[DMAS_NET_HOST].messages;
  out->sched_bytes = metrics->traffic[DMAS_NET_HOST].bytes;

  gsize n = metrics->decision_latency->len;
  g_autofree gdouble *lat = g_new (gdouble, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    lat[i] = dmas_time_to_s (g_array_index (metrics->decision_latency, DmasTime, i));
  qsort (lat, n, sizeof (gdouble), compare_doubles);
  out->decision_latency_p50_s = dmas_percentile (lat, n, 50.0);
  out->decision_latency_p95_s = dmas_percentile (lat, n, 95.0);
  out->decision_latency_max_s = n > 0 ? lat[n - 1] : 0.0;
}
