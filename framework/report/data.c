/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads a campaign result directory (campaign.json, runs/<id>/) into DmasCampaignData. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "report/data-private.h"

const gchar *
dmas_run_record_status_to_string (DmasRunRecordStatus status)
{
  switch (status)
    {
    case DMAS_RUN_RECORD_MISSING:
      return "missing";
    case DMAS_RUN_RECORD_OK:
      return "ok";
    case DMAS_RUN_RECORD_DEADLOCK:
      return "deadlock";
    case DMAS_RUN_RECORD_INTERRUPTED:
      return "interrupted";
    case DMAS_RUN_RECORD_CRASHED:
      return "crashed";
    case DMAS_RUN_RECORD_FAILED:
      return "failed";
    case DMAS_RUN_RECORD_STALLED:
      return "stalled";
    }
  return "missing";
}

gboolean
dmas_run_record_counted (const DmasRunRecord *run)
{
  return run->status == DMAS_RUN_RECORD_OK || run->status == DMAS_RUN_RECORD_DEADLOCK
         || run->status == DMAS_RUN_RECORD_STALLED;
}

/* ---- JSON access with errors that name the file and the member ---- */

static gboolean
bad (GError **error, const gchar *file, const gchar *where, const gchar *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: %s: %s (the file is written by `dmas run`; rerun the campaign or restore "
               "the file)", file, where, what);
  return FALSE;
}

static JsonNode *
member (JsonObject *object, const gchar *name)
{
  return object != NULL && json_object_has_member (object, name)
           ? json_object_get_member (object, name) : NULL;
}

static gboolean
get_string (JsonObject *object, const gchar *name, const gchar *file, gchar **out,
            GError **error)
{
  JsonNode *node = member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return bad (error, file, name, "missing or not a string");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_uint (JsonObject *object, const gchar *name, const gchar *file, guint64 max,
          guint64 *out, GError **error)
{
  JsonNode *node = member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0
      || (guint64) json_node_get_int (node) > max)
    return bad (error, file, name, "missing or not an integer in range");
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

static JsonArray *
get_array (JsonObject *object, const gchar *name, const gchar *file, GError **error)
{
  JsonNode *node = member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      bad (error, file, name, "missing or not an array");
      return NULL;
    }
  return json_node_get_array (node);
}

static JsonObject *
element_object (JsonArray *array, guint i, const gchar *file, const gchar *name,
                GError **error)
{
  JsonNode *node = json_array_get_element (array, i);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree gchar *where = g_strdup_printf ("%s[%u]", name, i);
      bad (error, file, where, "not an object");
      return NULL;
    }
  return json_node_get_object (node);
}

gdouble
dmas_report_json_number (JsonObject *object, const gchar *name)
{
  JsonNode *node = member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  GType type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return (gdouble) json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return NAN;
}

const gchar *
dmas_report_json_string (JsonObject *object, const gchar *name)
{
  JsonNode *node = member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Parses a whole file; errors name it. */
static JsonNode *
parse_file (const gchar *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_file (parser, path, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, local->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a JSON object (the file is written by `dmas run`)", path);
      return NULL;
    }
  return json_node_copy (root);
}

/* ---- campaign.json ---- */

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
  g_free (run->trace_digest);
  if (run->summary != NULL)
    json_object_unref (run->summary);
  g_free (run);
}

static gboolean
load_axes (DmasCampaignData *data, JsonObject *root, const gchar *file, GError **error)
{
  JsonArray *axes = get_array (root, "axes", file, error);
  if (axes == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (axes); i++)
    {
      JsonObject *object = element_object (axes, i, file, "axes", error);
      if (object == NULL)
        return FALSE;
      DmasAxis *axis = g_new0 (DmasAxis, 1);
      axis->labels = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (data->axes, axis);
      if (!get_string (object, "key", file, &axis->key, error))
        return FALSE;
      JsonArray *labels = get_array (object, "labels", file, error);
      if (labels == NULL)
        return FALSE;
      for (guint j = 0; j < json_array_get_length (labels); j++)
        {
          JsonNode *node = json_array_get_element (labels, j);
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return bad (error, file, axis->key, "an axis label is not a string");
          g_ptr_array_add (axis->labels, g_strdup (json_node_get_string (node)));
        }
    }
  return TRUE;
}

static gboolean
load_points (DmasCampaignData *data, JsonObject *root, const gchar *file, GError **error)
{
  JsonArray *points = get_array (root, "points", file, error);
  if (points == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *object = element_object (points, i, file, "points", error);
      if (object == NULL)
        return FALSE;
      g_autofree gchar *where = g_strdup_printf ("points[%u]", i);
      DmasPoint *point = g_new0 (DmasPoint, 1);
      g_ptr_array_add (data->points, point);
      point->labels = g_new0 (guint, MAX (data->axes->len, 1));
      guint64 index, reps;
      if (!get_uint (object, "index", file, G_MAXUINT, &index, error)
          || !get_uint (object, "repetitions", file, G_MAXUINT, &reps, error)
          || !get_string (object, "id", file, &point->id, error)
          || !get_string (object, "label", file, &point->label, error))
        return FALSE;
      if (index != i)
        return bad (error, file, where, "index out of order");
      point->index = (guint) index;
      point->repetitions = (guint) reps;
      JsonArray *labels = get_array (object, "labels", file, error);
      if (labels == NULL)
        return FALSE;
      if (json_array_get_length (labels) != data->axes->len)
        return bad (error, file, where, "labels do not match the axes");
      for (guint a = 0; a < data->axes->len; a++)
        {
          JsonNode *node = json_array_get_element (labels, a);
          const DmasAxis *axis = data->axes->pdata[a];
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
              || json_node_get_int (node) < 0 || json_node_get_int (node) >= axis->labels->len)
            return bad (error, file, where, "a label index is out of range");
          point->labels[a] = (guint) json_node_get_int (node);
        }
    }
  return TRUE;
}

/* A run id names a directory under runs/: refuse anything that could leave it. */
static gboolean
safe_component (const gchar *id)
{
  return *id != '\0' && strchr (id, '/') == NULL && strcmp (id, ".") != 0
         && strcmp (id, "..") != 0;
}

static gboolean
load_runs (DmasCampaignData *data, JsonObject *root, const gchar *file, GError **error)
{
  JsonArray *runs = get_array (root, "runs", file, error);
  if (runs == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *object = element_object (runs, i, file, "runs", error);
      if (object == NULL)
        return FALSE;
      g_autofree gchar *where = g_strdup_printf ("runs[%u]", i);
      DmasRunRecord *run = g_new0 (DmasRunRecord, 1);
      g_ptr_array_add (data->runs, run);
      run->values = g_new (gdouble, data->n_metrics);
      for (guint m = 0; m < data->n_metrics; m++)
        run->values[m] = NAN;
      run->wall_s = NAN;
      guint64 point, rep;
      if (!get_string (object, "id", file, &run->id, error)
          || !get_uint (object, "point", file, G_MAXUINT, &point, error)
          || !get_uint (object, "rep", file, G_MAXUINT, &rep, error)
          || !get_uint (object, "seed", file, G_MAXINT64, &run->seed, error)
          || !get_uint (object, "world_seed", file, G_MAXINT64, &run->world_seed, error)
          || !get_string (object, "config_hash", file, &run->config_hash, error))
        return FALSE;
      if (!safe_component (run->id))
        return bad (error, file, where, "the id is not a plain directory name");
      if (point >= data->points->len)
        return bad (error, file, where, "point out of range");
      const DmasPoint *p = data->points->pdata[point];
      if (rep < 1 || rep > p->repetitions)
        return bad (error, file, where, "rep out of range (1 .. the point's repetitions)");
      run->point = (guint) point;
      run->rep = (guint) rep;
    }
  return TRUE;
}

/* ---- runs/<id>/ ---- */

static gboolean
read_summary (DmasCampaignData *data, DmasRunRecord *run, const gchar *path, GError **error)
{
  g_autoptr (JsonNode) root = parse_file (path, error);
  if (root == NULL)
    return FALSE;
  JsonObject *summary = json_node_get_object (root);
  g_autofree gchar *status = NULL;
  if (!get_string (summary, "status", path, &status, error))
    return FALSE;
  if (strcmp (status, "complete") == 0 || strcmp (status, "horizon") == 0)
    run->status = DMAS_RUN_RECORD_OK;
  else if (strcmp (status, "deadlock") == 0 || strcmp (status, "stalled") == 0)
    {
      run->status = strcmp (status, "deadlock") == 0 ? DMAS_RUN_RECORD_DEADLOCK
                                                      : DMAS_RUN_RECORD_STALLED;
      JsonNode *diagnosis = member (summary, "diagnosis");
      if (diagnosis != NULL && JSON_NODE_HOLDS_VALUE (diagnosis)
          && json_node_get_value_type (diagnosis) == G_TYPE_STRING)
        run->detail = g_strdup (json_node_get_string (diagnosis));
    }
  /* `stopped` (dmas_engine_stop) ends a run early like an interrupt: its values are partial. */
  else if (strcmp (status, "interrupted") == 0 || strcmp (status, "stopped") == 0)
    {
      run->status = DMAS_RUN_RECORD_INTERRUPTED;
      run->detail = g_strdup (status);
    }
  else
    return bad (error, path, "status", "unknown run status");

  /* A summary from another plan (a directory reused by hand) would mix runs silently. */
  JsonNode *seed = member (summary, "seed");
  if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed)
      && json_node_get_value_type (seed) == G_TYPE_INT64
      && (guint64) json_node_get_int (seed) != run->seed)
    return bad (error, path, "seed", "differs from the run's seed in campaign.json (a run of "
                "another campaign?)");

  guint n_metrics;
  const DmasReportMetric *metrics = dmas_report_metrics (&n_metrics);
  for (guint m = 0; m < data->n_metrics; m++)
    run->values[m] = dmas_report_json_number (summary, metrics[m].key);
  JsonNode *digest = member (summary, "trace_digest");
  if (digest != NULL && JSON_NODE_HOLDS_VALUE (digest)
      && json_node_get_value_type (digest) == G_TYPE_STRING)
    run->trace_digest = g_strdup (json_node_get_string (digest));
  JsonNode *wall = member (summary, "wall_clock");
  if (wall != NULL && JSON_NODE_HOLDS_OBJECT (wall))
    run->wall_s = dmas_report_json_number (json_node_get_object (wall), "wall_s");
  run->summary = json_object_ref (summary);
  return TRUE;
}

static gboolean
read_failure (DmasRunRecord *run, const gchar *path, GError **error)
{
  g_autoptr (JsonNode) root = parse_file (path, error);
  if (root == NULL)
    return FALSE;
  JsonObject *failure = json_node_get_object (root);
  g_autofree gchar *status = NULL;
  if (!get_string (failure, "status", path, &status, error))
    return FALSE;
  if (strcmp (status, "crashed") == 0)
    run->status = DMAS_RUN_RECORD_CRASHED;
  else if (strcmp (status, "failed") == 0)
    run->status = DMAS_RUN_RECORD_FAILED;
  else
    return bad (error, path, "status", "neither \"crashed\" nor \"failed\"");
  JsonNode *message = member (failure, "message");
  run->detail = message != NULL && JSON_NODE_HOLDS_VALUE (message)
                    && json_node_get_value_type (message) == G_TYPE_STRING
                  ? g_strdup (json_node_get_string (message))
                  : g_strdup (status);
  return TRUE;
}

/* summary.json is written last and atomically by a run, so its presence means the run
 * finished, whatever else the directory holds; failure.json is only looked at without it. */
static gboolean
read_run (DmasCampaignData *data, DmasRunRecord *run, GError **error)
{
  g_autofree gchar *summary = g_build_filename (data->dir, "runs", run->id, "summary.json",
                                                NULL);
  if (g_file_test (summary, G_FILE_TEST_EXISTS))
    return read_summary (data, run, summary, error);
  g_autofree gchar *failure = g_build_filename (data->dir, "runs", run->id, "failure.json",
                                                NULL);
  if (g_file_test (failure, G_FILE_TEST_EXISTS))
    return read_failure (run, failure, error);
  run->status = DMAS_RUN_RECORD_MISSING;
  return TRUE;
}

static gboolean
load_campaign (DmasCampaignData *data, GError **error)
{
  g_autofree gchar *file = g_build_filename (data->dir, "campaign.json", NULL);
  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s: no such file: %s is not a campaign result directory (give the "
                   "directory `dmas run CONFIG` wrote for a config with sweep: or "
                   "repetitions:)", file, data->dir);
      return FALSE;
    }
  g_autoptr (JsonNode) node = parse_file (file, error);
  if (node == NULL)
    return FALSE;
  JsonObject *root = json_node_get_object (node);
  guint64 format;
  if (!get_uint (root, "format", file, G_MAXINT64, &format, error))
    return FALSE;
  if (format != 1)
    return bad (error, file, "format", "unsupported format (this dmas reads format 1)");
  JsonNode *paired = member (root, "paired");
  if (paired == NULL || !JSON_NODE_HOLDS_VALUE (paired)
      || json_node_get_value_type (paired) != G_TYPE_BOOLEAN)
    return bad (error, file, "paired", "missing or not a boolean");
  data->paired = json_node_get_boolean (paired);
  if (!get_string (root, "name", file, &data->name, error)
      || !get_string (root, "source", file, &data->source, error)
      || !get_uint (root, "master_seed", file, G_MAXINT64, &data->master_seed, error)
      || !load_axes (data, root, file, error) || !load_points (data, root, file, error)
      || !load_runs (data, root, file, error))
    return FALSE;

  data->compare_axis = -1;
  JsonNode *compare = member (root, "compare");
  if (compare != NULL && JSON_NODE_HOLDS_VALUE (compare)
      && json_node_get_value_type (compare) == G_TYPE_STRING)
    {
      const gchar *key = json_node_get_string (compare);
      for (guint a = 0; a < data->axes->len; a++)
        if (strcmp (((DmasAxis *) data->axes->pdata[a])->key, key) == 0)
          data->compare_axis = (gint) a;
      if (data->compare_axis < 0)
        return bad (error, file, "compare", "names no axis of the campaign");
    }
  else if (compare != NULL && !JSON_NODE_HOLDS_NULL (compare))
    return bad (error, file, "compare", "neither an axis key nor null");
  return TRUE;
}

DmasCampaignData *
dmas_campaign_data_load (const gchar *dir, GError **error)
{
  g_autoptr (DmasCampaignData) data = g_new0 (DmasCampaignData, 1);
  data->dir = g_strdup (dir);
  data->axes = g_ptr_array_new_with_free_func (axis_free);
  data->points = g_ptr_array_new_with_free_func (point_free);
  data->runs = g_ptr_array_new_with_free_func (run_free);
  data->comparisons = g_ptr_array_new_with_free_func (dmas_comparison_free);
  dmas_report_metrics (&data->n_metrics);
  if (!load_campaign (data, error))
    return NULL;
  for (guint i = 0; i < data->runs->len; i++)
    if (!read_run (data, data->runs->pdata[i], error))
      return NULL;
  dmas_campaign_data_compute (data);
  return g_steal_pointer (&data);
}

void
dmas_campaign_data_free (DmasCampaignData *data)
{
  if (data == NULL)
    return;
  g_free (data->dir);
  g_free (data->name);
  g_free (data->source);
  if (data->axes != NULL)
    g_ptr_array_unref (data->axes);
  if (data->points != NULL)
    g_ptr_array_unref (data->points);
  if (data->runs != NULL)
    g_ptr_array_unref (data->runs);
  if (data->comparisons != NULL)
    g_ptr_array_unref (data->comparisons);
  g_free (data->cells);
  g_free (data);
}
