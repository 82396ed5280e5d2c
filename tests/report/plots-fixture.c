/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An in-memory campaign for the plots and report.html tests (see plots-fixture.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "plots-fixture.h"

static const gchar *const methods[] = { "raft", FIXTURE_METHOD_B };
static const gchar *const faults[] = { "none", FIXTURE_FAULT_B };

guint
fixture_metric (const gchar *key)
{
  guint n = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);
  for (guint m = 0; m < n; m++)
    if (strcmp (metrics[m].key, key) == 0)
      return m;
  g_error ("metric %s is not in the table", key);
}

gdouble
fixture_value (guint m, guint method, guint fault, guint rep)
{
  guint n = 0;
  const DmasReportMetric *metric = &dmas_report_metrics (&n)[m];
  /* Small, rep-dependent noise that differs between the methods, so the paired differences
   * have a variance and the tests are defined. */
  static const gdouble noise[] = { 0.0, 0.0031, -0.0012, 0.0020, -0.0007 };
  gdouble e = method == 0 ? noise[rep % 5] : 0.5 * noise[(rep + 1) % 5];

  if (strcmp (metric->key, "decision_latency_p50_s") == 0 || strcmp (metric->key, "events") == 0
      || (strcmp (metric->key, "msgs_per_decision") == 0 && method == 1))
    return NAN;
  if (strcmp (metric->key, "completion_rate") == 0)
    return (method == 0 ? 0.95 : 0.85) - 0.1 * fault + e;
  /* Everything else grows with the method: lower-is-better metrics favour method 0,
   * higher-is-better ones (throughput) method 1. */
  return 10.0 * (m + 1) + 3.0 * method + 2.0 * fault + 10.0 * e;
}

gboolean
fixture_run_counted (guint point, guint rep)
{
  return !(point == 3 && rep == 3) && !(point == 1 && rep == 2);
}

static void
axis_free (gpointer p)
{
  DmasAxis *axis = p;
  g_free (axis->key);
  g_ptr_array_unref (axis->labels);
  g_free (axis);
}

static void
point_free (gpointer p)
{
  DmasPoint *point = p;
  g_free (point->id);
  g_free (point->labels);
  g_free (point->label);
  g_free (point);
}

static void
run_free (gpointer p)
{
  DmasRunRecord *run = p;
  g_free (run->id);
  g_free (run->config_hash);
  g_free (run->detail);
  g_free (run->values);
  g_free (run);
}

static void
comparison_free (gpointer p)
{
  DmasComparison *cmp = p;
  g_free (cmp->condition);
  g_array_unref (cmp->points);
  g_free (cmp->cells);
  g_free (cmp->paired_t);
  g_free (cmp->wilcoxon);
  g_free (cmp->welch);
  g_free (cmp->p_t_holm);
  g_free (cmp->p_w_holm);
  g_free (cmp->p_welch_holm);
  g_free (cmp);
}

void
fixture_free (DmasCampaignData *data)
{
  g_free (data->dir);
  g_free (data->name);
  g_free (data->source);
  g_ptr_array_unref (data->axes);
  g_ptr_array_unref (data->points);
  g_ptr_array_unref (data->runs);
  g_free (data->cells);
  g_ptr_array_unref (data->comparisons);
  g_free (data);
}

static void
add_axis (DmasCampaignData *data, const gchar *key, const gchar *const *labels)
{
  DmasAxis *axis = g_new0 (DmasAxis, 1);
  axis->key = g_strdup (key);
  axis->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (axis->labels, g_strdup (labels[i]));
  g_ptr_array_add (data->axes, axis);
}

/* Values of point p, metric m over the reps both points ran (b may equal a). */
static guint
paired_values (guint m, guint a, guint b, gdouble *xa, gdouble *xb)
{
  guint n = 0;
  for (guint rep = 1; rep <= FIXTURE_REPS; rep++)
    {
      if (!fixture_run_counted (a, rep) || !fixture_run_counted (b, rep))
        continue;
      xa[n] = fixture_value (m, a / 2, a % 2, rep);
      xb[n] = fixture_value (m, b / 2, b % 2, rep);
      if (isfinite (xa[n]) && isfinite (xb[n]))
        n++;
    }
  return n;
}

static DmasComparison *
comparison_new (const DmasCampaignData *data, guint fault)
{
  DmasComparison *cmp = g_new0 (DmasComparison, 1);
  guint n_metrics = data->n_metrics;
  guint k = 2;

  cmp->condition = g_strdup (faults[fault]);
  cmp->points = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint method = 0; method < k; method++)
    {
      guint p = 2 * method + fault;
      g_array_append_val (cmp->points, p);
    }
  cmp->n_pairs = 1;
  cmp->cells = g_new0 (DmasCellStats, n_metrics * k);
  cmp->paired_t = g_new0 (DmasTestResult, n_metrics);
  cmp->wilcoxon = g_new0 (DmasTestResult, n_metrics);
  cmp->welch = g_new0 (DmasTestResult, n_metrics);
  cmp->p_t_holm = g_new0 (gdouble, n_metrics);
  cmp->p_w_holm = g_new0 (gdouble, n_metrics);
  cmp->p_welch_holm = g_new0 (gdouble, n_metrics);
  for (guint m = 0; m < n_metrics; m++)
    {
      gdouble xa[FIXTURE_REPS], xb[FIXTURE_REPS], ya[FIXTURE_REPS], yb[FIXTURE_REPS];
      guint pa = g_array_index (cmp->points, guint, 0);
      guint pb = g_array_index (cmp->points, guint, 1);
      for (guint i = 0; i < k; i++)
        cmp->cells[m * k + i] = data->cells[g_array_index (cmp->points, guint, i) * n_metrics + m];
      guint n = paired_values (m, pa, pb, xa, xb);
      dmas_stats_paired_t (xa, xb, n, &cmp->paired_t[m]);
      dmas_stats_wilcoxon (xa, xb, n, &cmp->wilcoxon[m]);
      guint na = paired_values (m, pa, pa, xa, ya);
      guint nb = paired_values (m, pb, pb, xb, yb);
      dmas_stats_welch (xa, na, xb, nb, &cmp->welch[m]);
      dmas_stats_holm (&cmp->paired_t[m].p, 1, &cmp->p_t_holm[m]);
      dmas_stats_holm (&cmp->wilcoxon[m].p, 1, &cmp->p_w_holm[m]);
      dmas_stats_holm (&cmp->welch[m].p, 1, &cmp->p_welch_holm[m]);
    }
  return cmp;
}

DmasCampaignData *
fixture_new (const gchar *dir, gboolean compare)
{
  guint n_metrics = 0;
  dmas_report_metrics (&n_metrics);
  DmasCampaignData *data = g_new0 (DmasCampaignData, 1);
  data->dir = g_strdup (dir);
  data->name = g_strdup (FIXTURE_NAME);
  data->source = g_strdup ("configs/compare/demo.yaml");
  data->master_seed = G_GUINT64_CONSTANT (9223372036854775783);
  data->paired = TRUE;
  data->compare_axis = compare ? 0 : -1;
  data->n_metrics = n_metrics;
  data->axes = g_ptr_array_new_with_free_func (axis_free);
  data->points = g_ptr_array_new_with_free_func (point_free);
  data->runs = g_ptr_array_new_with_free_func (run_free);
  data->comparisons = g_ptr_array_new_with_free_func (comparison_free);
  add_axis (data, "scheduling.consensus", methods);
  add_axis (data, "faults", faults);

  data->cells = g_new0 (DmasCellStats, 4 * n_metrics);
  for (guint p = 0; p < 4; p++)
    {
      DmasPoint *point = g_new0 (DmasPoint, 1);
      point->index = p;
      point->labels = g_new (guint, 2);
      point->labels[0] = p / 2;
      point->labels[1] = p % 2;
      point->id = g_strdup_printf ("%03u-m%u+f%u", p, p / 2, p % 2);
      point->label = g_strdup_printf ("%s, %s", methods[p / 2], faults[p % 2]);
      point->repetitions = FIXTURE_REPS;
      g_ptr_array_add (data->points, point);
      for (guint rep = 1; rep <= FIXTURE_REPS; rep++)
        {
          DmasRunRecord *run = g_new0 (DmasRunRecord, 1);
          run->id = g_strdup_printf ("%s-r%u", point->id, rep);
          run->point = p;
          run->rep = rep;
          run->seed = 1000 + 10 * p + rep;
          run->world_seed = 2000 + 10 * p + rep;
          run->config_hash = g_strdup ("0");
          run->wall_s = NAN;
          run->values = g_new (gdouble, n_metrics);
          run->status = DMAS_RUN_RECORD_OK;
          if (p == 3 && rep == 3)
            {
              run->status = DMAS_RUN_RECORD_CRASHED;
              run->detail = g_strdup ("signal 11 (Segmentation fault)");
            }
          else if (!fixture_run_counted (p, rep))
            run->status = DMAS_RUN_RECORD_MISSING;
          for (guint m = 0; m < n_metrics; m++)
            run->values[m] = fixture_run_counted (p, rep) ? fixture_value (m, p / 2, p % 2, rep)
                                                          : NAN;
          g_ptr_array_add (data->runs, run);
        }
      for (guint m = 0; m < n_metrics; m++)
        {
          gdouble xa[FIXTURE_REPS], ya[FIXTURE_REPS];
          guint n = paired_values (m, p, p, xa, ya);
          dmas_stats_describe (xa, n, &data->cells[p * n_metrics + m]);
        }
    }
  if (compare)
    for (guint fault = 0; fault < 2; fault++)
      g_ptr_array_add (data->comparisons, comparison_new (data, fault));
  return data;
}

static void
write_json (const gchar *dir, const gchar *name, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  json_generator_set_root (generator, root);
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);
}

static void
write_run (const DmasCampaignData *data, const DmasRunRecord *run)
{
  g_autofree gchar *dir = g_build_filename (data->dir, "runs", run->id, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint n = 0;
  const DmasReportMetric *metrics = dmas_report_metrics (&n);

  if (run->status == DMAS_RUN_RECORD_MISSING)
    return;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  json_builder_begin_object (b);
  if (run->status == DMAS_RUN_RECORD_CRASHED)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, run->id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, "crashed");
      json_builder_set_member_name (b, "signal");
      json_builder_add_int_value (b, 11);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, run->detail);
      json_builder_end_object (b);
      write_json (dir, "failure.json", b);
      return;
    }
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "complete");
  for (guint m = 0; m < n; m++)
    {
      json_builder_set_member_name (b, metrics[m].key);
      if (isfinite (run->values[m]))
        json_builder_add_double_value (b, run->values[m]);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  write_json (dir, "summary.json", b);
  /* The rest of a finished run's files, as `dmas run` writes them (header only: the
   * report's per-job files need them to exist, not to hold jobs). */
  g_autofree gchar *jobs = g_build_filename (dir, "jobs.csv", NULL);
  g_autofree gchar *faults_path = g_build_filename (dir, "faults.jsonl", NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (jobs, "job_id,submission_time,requested_number_of_resources,"
                             "requested_time,starting_time,execution_time,finish_time,"
                             "waiting_time,turnaround_time,stretch,allocated_resources,"
                             "final_state,source_id,reason\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (faults_path, "", -1, &error);
  g_assert_no_error (error);
}

void
fixture_write_dir (const DmasCampaignData *data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, data->name);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, data->source);
  json_builder_set_member_name (b, "master_seed");
  json_builder_add_int_value (b, (gint64) data->master_seed);
  json_builder_set_member_name (b, "paired");
  json_builder_add_boolean_value (b, data->paired);
  json_builder_set_member_name (b, "compare");
  if (data->compare_axis >= 0)
    json_builder_add_string_value (
      b, ((DmasAxis *) g_ptr_array_index (data->axes, data->compare_axis))->key);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "axes");
  json_builder_begin_array (b);
  for (guint a = 0; a < data->axes->len; a++)
    {
      const DmasAxis *axis = g_ptr_array_index (data->axes, a);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, axis->key);
      json_builder_set_member_name (b, "labels");
      json_builder_begin_array (b);
      for (guint l = 0; l < axis->labels->len; l++)
        json_builder_add_string_value (b, g_ptr_array_index (axis->labels, l));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint p = 0; p < data->points->len; p++)
    {
      const DmasPoint *point = g_ptr_array_index (data->points, p);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, point->index);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, point->id);
      json_builder_set_member_name (b, "labels");
      json_builder_begin_array (b);
      for (guint a = 0; a < data->axes->len; a++)
        json_builder_add_int_value (b, point->labels[a]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, point->label);
      json_builder_set_member_name (b, "repetitions");
      json_builder_add_int_value (b, point->repetitions);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint r = 0; r < data->runs->len; r++)
    {
      const DmasRunRecord *run = g_ptr_array_index (data->runs, r);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, run->id);
      json_builder_set_member_name (b, "point");
      json_builder_add_int_value (b, run->point);
      json_builder_set_member_name (b, "rep");
      json_builder_add_int_value (b, run->rep);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) run->seed);
      json_builder_set_member_name (b, "world_seed");
      json_builder_add_int_value (b, (gint64) run->world_seed);
      json_builder_set_member_name (b, "config_hash");
      json_builder_add_string_value (b, run->config_hash);
      json_builder_end_object (b);
      write_run (data, run);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "plugins");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "campaign_hash");
  json_builder_add_string_value (b, "0");
  json_builder_end_object (b);
  write_json (data->dir, "campaign.json", b);
}

void
fixture_rm_rf (const gchar *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        fixture_rm_rf (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}
