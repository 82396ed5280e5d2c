/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runs.jsonl (one line per run) and summary.csv (one row per sweep point). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "metrics/summary.h"
#include "report/data-private.h"

static void
add_uint (JsonBuilder *b, const gchar *name, guint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) v);
}

/* The run's own status word: summary.json's (complete, horizon, deadlock, ...) when it has
 * one, else what the parent recorded (crashed, failed) or "missing". */
static const gchar *
status_text (const DmasRunRecord *run)
{
  const gchar *s = dmas_report_json_string (run->summary, "status");
  return s != NULL ? s : dmas_run_record_status_to_string (run->status);
}

static gchar *
run_line (const DmasCampaignData *data, const DmasRunRecord *run)
{
  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  const DmasPoint *point = data->points->pdata[run->point];
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, run->id);
  add_uint (b, "point", run->point);
  json_builder_set_member_name (b, "labels");
  json_builder_begin_object (b);
  for (guint a = 0; a < data->axes->len; a++)
    {
      const DmasAxis *axis = data->axes->pdata[a];
      json_builder_set_member_name (b, axis->key);
      json_builder_add_string_value (b, axis->labels->pdata[point->labels[a]]);
    }
  json_builder_end_object (b);
  add_uint (b, "rep", run->rep);
  add_uint (b, "seed", run->seed);
  add_uint (b, "world_seed", run->world_seed);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status_text (run));
  json_builder_set_member_name (b, "detail");
  if (run->detail != NULL)
    json_builder_add_string_value (b, run->detail);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint m = 0; m < n_metrics; m++)
    {
      json_builder_set_member_name (b, metrics[m].key);
      dmas_report_add_number (b, run->values[m]);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "trace_digest");
  if (run->trace_digest != NULL)
    json_builder_add_string_value (b, run->trace_digest);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "wall_s");
  dmas_report_add_number (b, run->wall_s);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return dmas_report_json_text (root, FALSE);
}

gboolean
dmas_report_write_runs_jsonl (const DmasCampaignData *data, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint r = 0; r < data->runs->len; r++)
    {
      g_autofree gchar *line = run_line (data, data->runs->pdata[r]);
      g_string_append (out, line);
    }
  return dmas_result_write (data->dir, "runs.jsonl", out->str, error);
}

/* ---- summary.csv ---- */

/* ",<v>" with "%.10g" in the C locale; "," alone for NAN (no value). */
static void
append_number (GString *out, gdouble v)
{
  g_string_append_c (out, ',');
  if (!isfinite (v))
    return;
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

gboolean
dmas_report_write_summary_csv (const DmasCampaignData *data, GError **error)
{
  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  g_autoptr (GString) out = g_string_new ("point");
  for (guint a = 0; a < data->axes->len; a++)
    {
      g_string_append_c (out, ',');
      dmas_csv_append_field (out, ((DmasAxis *) data->axes->pdata[a])->key);
    }
  g_string_append (out, ",n");
  static const gchar *const parts[] = { "mean", "ci_low", "ci_high", "sd", "median" };
  for (guint m = 0; m < n_metrics; m++)
    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      g_string_append_printf (out, ",%s_%s", metrics[m].key, parts[i]);
  g_string_append_c (out, '\n');

  for (guint p = 0; p < data->points->len; p++)
    {
      const DmasPoint *point = data->points->pdata[p];
      dmas_csv_append_field (out, point->id);
      for (guint a = 0; a < data->axes->len; a++)
        {
          const DmasAxis *axis = data->axes->pdata[a];
          g_string_append_c (out, ',');
          dmas_csv_append_field (out, axis->labels->pdata[point->labels[a]]);
        }
      /* n = the point's counted runs; a metric a run did not report is skipped in its own
       * cell, so its mean may rest on fewer. */
      guint n = 0;
      for (guint r = 0; r < data->runs->len; r++)
        {
          const DmasRunRecord *run = data->runs->pdata[r];
          if (run->point == p && dmas_run_record_counted (run))
            n++;
        }
      g_string_append_printf (out, ",%u", n);
      for (guint m = 0; m < n_metrics; m++)
        {
          const DmasCellStats *cell = &data->cells[p * n_metrics + m];
          append_number (out, cell->mean);
          append_number (out, cell->ci_low);
          append_number (out, cell->ci_high);
          append_number (out, cell->sd);
          append_number (out, cell->median);
        }
      g_string_append_c (out, '\n');
    }
  return dmas_result_write (data->dir, "summary.csv", out->str, error);
}
