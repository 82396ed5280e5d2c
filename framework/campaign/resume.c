/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --resume: is the directory this campaign, and which of its runs are finished. */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "campaign/campaign-private.h"

static const gchar *
member_string (JsonObject *o, const gchar *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const gchar *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static JsonObject *
find_by (JsonArray *array, const gchar *member, const gchar *value, const gchar *member2,
         const gchar *value2)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_strcmp0 (member_string (o, member), value) == 0
          && (member2 == NULL || g_strcmp0 (member_string (o, member2), value2) == 0))
        return o;
    }
  return NULL;
}

static gboolean
in_plan (const DmasCampaign *c, const gchar *id)
{
  for (guint i = 0; i < c->runs->len; i++)
    if (strcmp (((DmasCampaignRun *) g_ptr_array_index (c->runs, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

/* "line 12: 'seed: 1' is now 'seed: 2'": the first line where the recorded config and the
 * new one differ. */
static gchar *
first_difference (const gchar *old_text, const gchar *new_text)
{
  g_auto (GStrv) a = g_strsplit (old_text, "\n", -1);
  g_auto (GStrv) b = g_strsplit (new_text, "\n", -1);
  guint i = 0;
  while (a[i] != NULL && b[i] != NULL && strcmp (a[i], b[i]) == 0)
    i++;
  return g_strdup_printf ("line %u: '%s' is now '%s'", i + 1, a[i] != NULL ? a[i] : "",
                          b[i] != NULL ? b[i] : "");
}

/* Why the recorded plan and this one differ, most specific reason first. */
static gchar *
explain (const DmasCampaign *c, const gchar *dir, JsonObject *old)
{
  JsonArray *runs = member_array (old, "runs");
  for (guint i = 0; runs != NULL && i < json_array_get_length (runs); i++)
    {
      const gchar *id = member_string (json_array_get_object_element (runs, i), "id");
      if (id != NULL && !in_plan (c, id))
        return g_strdup_printf ("the run %s of the recorded campaign is no longer in the plan "
                                "(a sweep value or repetition was removed)", id);
    }
  for (guint i = 0; i < c->runs->len; i++)
    {
      const DmasCampaignRun *run = g_ptr_array_index (c->runs, i);
      JsonObject *recorded = find_by (runs, "id", run->id, NULL, NULL);
      if (recorded == NULL)
        return g_strdup_printf ("the run %s is new (a sweep value or repetition was added)",
                                run->id);
      if (g_strcmp0 (member_string (recorded, "config_hash"), run->config_hash) == 0)
        continue;
      g_autofree gchar *path = g_build_filename (dir, "runs", run->id, "config.resolved.yaml",
                                                 NULL);
      g_autofree gchar *text = NULL;
      if (!g_file_get_contents (path, &text, NULL, NULL))
        return g_strdup_printf ("the config of run %s changed", run->id);
      g_autofree gchar *where = first_difference (text, run->yaml);
      return g_strdup_printf ("the config of run %s changed (%s at %s)", run->id, where, path);
    }
  JsonArray *plugins = member_array (old, "plugins");
  for (guint i = 0; i < c->plugins->len; i++)
    {
      const DmasCampaignPlugin *p = g_ptr_array_index (c->plugins, i);
      JsonObject *recorded = find_by (plugins, "kind", p->kind, "name", p->name);
      if (recorded == NULL)
        return g_strdup_printf ("the %s component %s is new to the campaign", p->kind, p->name);
      if (g_strcmp0 (member_string (recorded, "version"), p->version) != 0)
        return g_strdup_printf ("the %s component %s changed version: %s, now %s (%s)", p->kind,
                                p->name, member_string (recorded, "version"), p->version,
                                p->file);
      if (g_strcmp0 (member_string (recorded, "sha256"), p->sha256) != 0)
        return g_strdup_printf ("the %s component %s is another file: %s (sha256 %.12s...) "
                                "was %s (sha256 %.12s...)", p->kind, p->name, p->file,
                                p->sha256, member_string (recorded, "file"),
                                member_string (recorded, "sha256"));
    }
  return g_strdup ("the plan changed (its axes, labels, compare or paired keys)");
}

gboolean
dmas_campaign_check_resume (const DmasCampaign *c, const gchar *dir, GError **error)
{
  g_autofree gchar *path = g_build_filename (dir, "campaign.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_file (parser, path, &local))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO,
                   "--resume %s: cannot read %s: %s (is it a campaign's directory?)", dir, path,
                   local->message);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonObject *old = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                  : NULL;
  if (old == NULL)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "--resume %s: %s is not a campaign plan (no JSON object)", dir, path);
      return FALSE;
    }
  if (g_strcmp0 (member_string (old, "campaign_hash"), c->hash) == 0)
    return TRUE;
  g_autofree gchar *why = explain (c, dir, old);
  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
               "cannot resume %s: %s.  Its results belong to the recorded campaign; rerun the "
               "changed campaign into a new directory (without --resume), or restore what "
               "changed", dir, why);
  return FALSE;
}

gchar *
dmas_campaign_summary_status (const gchar *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (member_string (json_node_get_object (root), "status"));
}

gboolean
dmas_campaign_run_finished (const DmasCampaignRun *run, const gchar *dir)
{
  g_autofree gchar *rundir = g_build_filename (dir, "runs", run->id, NULL);
  g_autofree gchar *summary = g_build_filename (rundir, "summary.json", NULL);
  g_autofree gchar *config = g_build_filename (rundir, "config.resolved.yaml", NULL);
  g_autofree gchar *yaml = NULL;
  if (!g_file_get_contents (config, &yaml, NULL, NULL))
    return FALSE;
  g_autofree gchar *hash = dmas_campaign_sha256 (yaml);
  if (strcmp (hash, run->config_hash) != 0)
    return FALSE;
  g_autofree gchar *status = dmas_campaign_summary_status (summary);
  /* An interrupted run is not a result: it is run again. */
  return g_strcmp0 (status, "complete") == 0 || g_strcmp0 (status, "horizon") == 0
         || g_strcmp0 (status, "deadlock") == 0 || g_strcmp0 (status, "stalled") == 0;
}
