/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Expanding a campaign: points (cartesian product of the axes), runs, seeds, configs, plugins. */
#include "config.h"

#include <string.h>

#include "agents/faults.h"
#include "campaign/campaign-private.h"
#include "engine/engine.h"

/* JSON integers: json-glib reads them as gint64, so seeds stay below 2^63. */
#define SEED_MASK G_GUINT64_CONSTANT (0x7fffffffffffffff)

static void
point_free (DmasCampaignPoint *p)
{
  g_free (p->id);
  g_free (p->labels);
  g_free (p->label);
  g_free (p->canonical);
  g_free (p);
}

static void
run_free (DmasCampaignRun *r)
{
  g_free (r->id);
  g_clear_pointer (&r->config, dmas_config_free);
  g_free (r->yaml);
  g_free (r->config_hash);
  g_free (r);
}

static void
plugin_free (DmasCampaignPlugin *p)
{
  g_free (p->kind);
  g_free (p->name);
  g_free (p->version);
  g_free (p->file);
  g_free (p->sha256);
  g_free (p);
}

void
dmas_campaign_free (DmasCampaign *c)
{
  if (c == NULL)
    return;
  g_free (c->source);
  g_free (c->name);
  g_ptr_array_unref (c->axes);
  g_ptr_array_unref (c->points);
  g_ptr_array_unref (c->runs);
  g_ptr_array_unref (c->plugins);
  g_clear_pointer (&c->base, dmas_config_free);
  g_clear_pointer (&c->keys, dmas_node_free);
  g_clear_pointer (&c->registry, dmas_registry_free);
  g_free (c->hash);
  g_free (c);
}

DmasNode *
dmas_campaign_load_raw (const gchar *path, const gchar *const *sets, GError **error)
{
  g_autoptr (DmasNode) root = dmas_node_parse_file (path, error);
  if (root == NULL)
    return NULL;
  for (gsize i = 0; sets != NULL && sets[i] != NULL; i++)
    if (!dmas_node_apply_set (root, sets[i], error))
      return NULL;
  return g_steal_pointer (&root);
}

gboolean
dmas_campaign_is_campaign (const DmasNode *root)
{
  return dmas_node_get (root, "sweep") != NULL || dmas_node_get (root, "repetitions") != NULL;
}

static gchar *
sanitize (const gchar *text)
{
  gchar *clean = g_strdup (text);
  g_strcanon (clean, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", '_');
  return clean;
}

/* Points in cartesian order, the last axis fastest.  A campaign of repetitions only has one
 * point, labelled "base". */
static void
expand_points (DmasCampaign *c)
{
  guint n_points = 1;
  for (guint a = 0; a < c->axes->len; a++)
    n_points *= ((DmasCampaignAxis *) g_ptr_array_index (c->axes, a))->labels->len;
  for (guint p = 0; p < n_points; p++)
    {
      DmasCampaignPoint *point = g_new0 (DmasCampaignPoint, 1);
      point->index = p;
      point->labels = g_new0 (guint, MAX (c->axes->len, 1));
      point->repetitions = c->repetitions;
      guint rest = p;
      for (guint a = c->axes->len; a-- > 0;)
        {
          DmasCampaignAxis *axis = g_ptr_array_index (c->axes, a);
          point->labels[a] = rest % axis->labels->len;
          rest /= axis->labels->len;
        }
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      for (guint a = 0; a < c->axes->len; a++)
        {
          DmasCampaignAxis *axis = g_ptr_array_index (c->axes, a);
          guint l = point->labels[a];
          g_ptr_array_add (names, g_ptr_array_index (axis->labels, l));
          if (axis->repetitions != NULL)
            {
              guint reps = g_array_index (axis->repetitions, guint, l);
              if (reps > 0)
                point->repetitions = reps;
              const gchar *name = g_ptr_array_index (axis->labels, l);
              g_ptr_array_add (parts, g_strdup_printf ("variants=%s", name));
            }
          else
            {
              /* The value, not its label: renaming a label keeps every seed. */
              const DmasNode *value = g_ptr_array_index (axis->values, l);
              g_autofree gchar *flow = dmas_campaign_flow_yaml (value);
              g_ptr_array_add (parts, g_strdup_printf ("%s=%s", axis->key, flow));
            }
        }
      if (names->len == 0)
        g_ptr_array_add (names, "base");
      g_ptr_array_add (names, NULL);
      g_ptr_array_add (parts, NULL);
      point->label = g_strjoinv (", ", (gchar **) names->pdata);
      /* Each label sanitised, then joined with '+': ids stay readable and path-safe. */
      g_auto (GStrv) clean = g_new0 (gchar *, names->len);
      for (guint i = 0; i + 1 < names->len; i++)
        clean[i] = sanitize (g_ptr_array_index (names, i));
      g_autofree gchar *joined = g_strjoinv ("+", clean);
      point->id = g_strdup_printf ("%03u-%s", p, joined);
      point->canonical = g_strjoinv (", ", (gchar **) parts->pdata);
      g_ptr_array_add (c->points, point);
    }
}

static DmasNode *
seed_node (guint64 seed, const DmasNode *root)
{
  g_autofree gchar *text = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  return dmas_node_new_scalar (text, root->file, root->base_dir, root->line, root->column);
}

/* The run's tree: the file's (campaign keys removed), the point's values, the seeds. */
static DmasNode *
run_tree (const DmasCampaign *c, const DmasNode *root, const DmasCampaignPoint *point,
          const DmasCampaignRun *run)
{
  DmasNode *tree = dmas_node_copy (root);
  for (guint a = 0; a < c->axes->len; a++)
    {
      DmasCampaignAxis *axis = g_ptr_array_index (c->axes, a);
      const DmasNode *value = g_ptr_array_index (axis->values, point->labels[a]);
      if (axis->repetitions == NULL)
        {
          dmas_campaign_set_path (tree, axis->key, dmas_node_copy (value));
          continue;
        }
      for (guint k = 0; k < value->keys->len; k++)
        dmas_campaign_set_path (tree, g_ptr_array_index (value->keys, k),
                                dmas_node_copy (g_ptr_array_index (value->values, k)));
    }
  dmas_node_set (tree, "seed", seed_node (run->seed, root));
  dmas_node_set (tree, "world_seed", seed_node (run->world_seed, root));
  return tree;
}

static gboolean
add_plugin (DmasCampaign *c, GHashTable *seen, DmasKind kind, const gchar *given,
            GError **error)
{
  const gchar *kind_name = dmas_kind_to_string (kind);
  g_autofree gchar *prefix = g_strdup_printf ("%s/", kind_name);
  const gchar *name = g_str_has_prefix (given, prefix) ? given + strlen (prefix) : given;
  const DmasComponentInfo *info = dmas_registry_lookup (c->registry, kind, name, error);
  if (info == NULL)
    return FALSE;
  g_autofree gchar *key = g_strdup_printf ("%s/%s", kind_name, info->name);
  /* Membership only; the list is sorted below, never iterated in hash order. */
  if (g_hash_table_contains (seen, key))
    return TRUE;
  g_autofree gchar *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents (info->file, &contents, &length, error))
    return FALSE;
  DmasCampaignPlugin *plugin = g_new0 (DmasCampaignPlugin, 1);
  plugin->kind = g_strdup (kind_name);
  plugin->name = g_strdup (info->name);
  plugin->version = g_strdup (info->version);
  plugin->file = g_strdup (info->file);
  plugin->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents,
                                                length);
  g_ptr_array_add (c->plugins, plugin);
  g_hash_table_add (seen, g_steal_pointer (&key));
  return TRUE;
}

static gint
plugin_compare (gconstpointer a, gconstpointer b)
{
  const DmasCampaignPlugin *x = *(DmasCampaignPlugin *const *) a;
  const DmasCampaignPlugin *y = *(DmasCampaignPlugin *const *) b;
  gint k = strcmp (x->kind, y->kind);
  return k != 0 ? k : strcmp (x->name, y->name);
}

static gboolean
collect_plugins (DmasCampaign *c, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < c->runs->len; i++)
    {
      const DmasConfig *config = ((DmasCampaignRun *) g_ptr_array_index (c->runs, i))->config;
      if (!add_plugin (c, seen, DMAS_KIND_BIDDING, config->scheduling.bidding, error)
          || !add_plugin (c, seen, DMAS_KIND_CONSENSUS, config->scheduling.consensus, error))
        return FALSE;
      for (guint f = 0; config->faults != NULL && f < config->faults->values->len; f++)
        {
          const DmasNode *type = dmas_node_get (g_ptr_array_index (config->faults->values, f),
                                                "type");
          if (type != NULL && type->kind == DMAS_NODE_SCALAR
              && !add_plugin (c, seen, DMAS_KIND_FAULT, type->scalar, error))
            return FALSE;
        }
    }
  g_ptr_array_sort (c->plugins, plugin_compare);
  return TRUE;
}

static gboolean
resolve_run (DmasCampaign *c, const DmasNode *root, DmasCampaignRun *run, GError **error)
{
  const DmasCampaignPoint *point = g_ptr_array_index (c->points, run->point);
  run->config = dmas_config_load_tree (run_tree (c, root, point, run), c->source, NULL, error);
  if (run->config == NULL
      || !dmas_registry_fill_config (c->registry, run->config, error)
      || !dmas_faults_fill_config (c->registry, run->config, error))
    {
      g_prefix_error (error, "run %s: ", run->id);
      return FALSE;
    }
  run->yaml = dmas_config_to_yaml (run->config);
  run->config_hash = dmas_campaign_sha256 (run->yaml);
  return TRUE;
}

static guint64
derive_seed (guint64 master, const gchar *stream)
{
  return dmas_engine_stream_seed (master, stream) & SEED_MASK;
}

static gboolean
expand_runs (DmasCampaign *c, const DmasNode *root, GError **error)
{
  for (guint p = 0; p < c->points->len; p++)
    {
      const DmasCampaignPoint *point = g_ptr_array_index (c->points, p);
      for (guint rep = 1; rep <= point->repetitions; rep++)
        {
          DmasCampaignRun *run = g_new0 (DmasCampaignRun, 1);
          g_ptr_array_add (c->runs, run);
          run->id = g_strdup_printf ("%s-r%u", point->id, rep);
          run->point = p;
          run->rep = rep;
          /* Seeds hash what the point is, never its index or the run's position, so
           * reordering an axis or adding a value leaves every other run's seeds alone. */
          g_autofree gchar *run_stream = g_strdup_printf ("run/%s/%u", point->canonical, rep);
          g_autofree gchar *world_stream =
              c->paired ? g_strdup_printf ("world/%u", rep)
                        : g_strdup_printf ("world/%s/%u", point->canonical, rep);
          run->seed = derive_seed (c->master_seed, run_stream);
          run->world_seed = derive_seed (c->master_seed, world_stream);
          if (!resolve_run (c, root, run, error))
            return FALSE;
        }
    }
  return TRUE;
}

DmasCampaign *
dmas_campaign_new (DmasNode *root_in, const gchar *source, const gchar *plugin_path,
                   GError **error)
{
  g_autoptr (DmasNode) root = root_in;
  g_autoptr (DmasCampaign) c = g_new0 (DmasCampaign, 1);
  c->source = g_strdup (source);
  c->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) dmas_campaign_axis_free);
  c->points = g_ptr_array_new_with_free_func ((GDestroyNotify) point_free);
  c->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  c->plugins = g_ptr_array_new_with_free_func ((GDestroyNotify) plugin_free);

  if (!dmas_campaign_parse_keys (c, root, error))
    return NULL;
  c->base = dmas_config_load_tree (dmas_node_copy (root), source, NULL, error);
  if (c->base == NULL)
    return NULL;
  c->name = g_strdup (c->base->name);
  c->master_seed = c->base->seed;

  /* One scan for every run: the parent loads each plugin once, and the forked workers
   * inherit the loaded registry. */
  g_auto (GStrv) dirs = dmas_plugin_search_path (plugin_path, c->base->plugin_path);
  c->registry = dmas_registry_new ();
  dmas_registry_scan (c->registry, (const gchar *const *) dirs, NULL);
  /* The base config is only printed (`dmas config`), never run: its components may not
   * exist when every point replaces them, so a failure to fill them is not an error. */
  if (dmas_registry_fill_config (c->registry, c->base, NULL))
    dmas_faults_fill_config (c->registry, c->base, NULL);

  expand_points (c);
  if (!expand_runs (c, root, error) || !collect_plugins (c, error))
    return NULL;
  dmas_campaign_compute_hash (c);
  return g_steal_pointer (&c);
}
