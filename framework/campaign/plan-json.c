/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The written plan: campaign.json, the campaign's resolved config and the runs' configs. */
#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "campaign/campaign-private.h"
#include "metrics/summary.h"

/* The plan's members; "source" only when given (the hash leaves it out). */
static void
add_plan (JsonBuilder *b, const DmasCampaign *c, const gchar *source)
{
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, 1);
  if (source != NULL)
    {
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, source);
    }
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, c->name);
  json_builder_set_member_name (b, "master_seed");
  json_builder_add_int_value (b, (gint64) c->master_seed);
  json_builder_set_member_name (b, "paired");
  json_builder_add_boolean_value (b, c->paired);
  json_builder_set_member_name (b, "compare");
  if (c->compare >= 0)
    json_builder_add_string_value (b, ((DmasCampaignAxis *) g_ptr_array_index (c->axes,
                                                                               c->compare))->key);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "axes");
  json_builder_begin_array (b);
  for (guint a = 0; a < c->axes->len; a++)
    {
      const DmasCampaignAxis *axis = g_ptr_array_index (c->axes, a);
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
  for (guint p = 0; p < c->points->len; p++)
    {
      const DmasCampaignPoint *point = g_ptr_array_index (c->points, p);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, point->index);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, point->id);
      json_builder_set_member_name (b, "labels");
      json_builder_begin_array (b);
      for (guint a = 0; a < c->axes->len; a++)
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
  for (guint r = 0; r < c->runs->len; r++)
    {
      const DmasCampaignRun *run = g_ptr_array_index (c->runs, r);
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
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "plugins");
  json_builder_begin_array (b);
  for (guint i = 0; i < c->plugins->len; i++)
    {
      const DmasCampaignPlugin *plugin = g_ptr_array_index (c->plugins, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, plugin->kind);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, plugin->name);
      json_builder_set_member_name (b, "version");
      json_builder_add_string_value (b, plugin->version);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, plugin->file);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, plugin->sha256);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static gchar *
to_text (JsonBuilder *b, gboolean pretty)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  json_generator_set_indent (gen, 2);
  gchar *text = json_generator_to_data (gen, NULL);
  return text;
}

void
dmas_campaign_compute_hash (DmasCampaign *c)
{
  /* The hash covers the plan and the plugins, not "source": resuming from another working
   * directory names the file differently but is the same campaign. */
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_plan (b, c, NULL);
  json_builder_end_object (b);
  g_autofree gchar *canonical = to_text (b, FALSE);
  g_free (c->hash);
  c->hash = dmas_campaign_sha256 (canonical);
}

gchar *
dmas_campaign_to_json (const DmasCampaign *c)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_plan (b, c, c->source);
  json_builder_set_member_name (b, "campaign_hash");
  json_builder_add_string_value (b, c->hash);
  json_builder_end_object (b);
  gchar *text = to_text (b, TRUE);
  gchar *line = g_strconcat (text, "\n", NULL);
  g_free (text);
  return line;
}

gchar *
dmas_campaign_to_yaml (const DmasCampaign *c)
{
  g_autofree gchar *base = dmas_config_to_yaml (c->base);
  if (c->keys->keys->len == 0)
    return g_steal_pointer (&base);
  g_autofree gchar *keys = dmas_node_to_yaml (c->keys);
  return g_strconcat (base, keys, NULL);
}

gboolean
dmas_campaign_write_plan (const DmasCampaign *c, const gchar *dir, GError **error)
{
  g_autofree gchar *runs = g_build_filename (dir, "runs", NULL);
  if (g_mkdir_with_parents (runs, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create %s: %s", runs, g_strerror (saved));
      return FALSE;
    }
  /* campaign.json first: a directory with it is recognisably a campaign, even when the
   * runner is killed while writing the runs' configs. */
  g_autofree gchar *json = dmas_campaign_to_json (c);
  g_autofree gchar *yaml = dmas_campaign_to_yaml (c);
  if (!dmas_result_write (dir, "campaign.json", json, error)
      || !dmas_result_write (dir, "config.resolved.yaml", yaml, error))
    return FALSE;
  for (guint i = 0; i < c->runs->len; i++)
    {
      const DmasCampaignRun *run = g_ptr_array_index (c->runs, i);
      g_autofree gchar *rundir = g_build_filename (runs, run->id, NULL);
      if (g_mkdir_with_parents (rundir, 0755) != 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "cannot create %s: %s", rundir, g_strerror (saved));
          return FALSE;
        }
      if (!dmas_result_write (rundir, "config.resolved.yaml", run->yaml, error))
        return FALSE;
    }
  return TRUE;
}
