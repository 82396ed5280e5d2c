/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Platform presets: the YAML files of configs/platforms, fixed or drawn per agent. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/schema.h"
#include "world/platform-private.h"

gchar *
dmas_platform_preset_dir (void)
{
  return dmas_configs_path ("platforms");
}

/* The keys of a preset's cluster: those of platform.clusters[], checked by the same schema. */
static const gchar *const cluster_keys[] = { "name", "type", "nodes", "cores", "memory_gb",
                                             "gpus", "speed", NULL };

static gboolean
preset_cluster_key (const DmasNode *item, const gchar *key, const gchar *display,
                    gchar **text, GError **error)
{
  g_autofree gchar *path = g_strconcat ("platform.clusters[].", key, NULL);
  g_autofree gchar *where = g_strdup_printf ("%s.%s", display, key);
  const DmasSchemaKey *schema = dmas_schema_find (path);
  const DmasNode *value = dmas_node_get (item, key);
  g_autoptr (DmasNode) checked = NULL;

  if (value == NULL)
    {
      if (schema->default_yaml == NULL)
        {
          g_autofree gchar *at = dmas_node_where (item);

          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "%s%s: '%s' is missing", at, display, key);
          return FALSE;
        }
      *text = g_strdup (schema->default_yaml);
      return TRUE;
    }
  checked = dmas_schema_check_value (schema, value, where, error);
  if (checked == NULL)
    return FALSE;
  *text = g_strdup (checked->scalar);
  return TRUE;
}

static gboolean
preset_cluster (const DmasNode *item, const gchar *display, DmasCluster *out, GError **error)
{
  gchar *values[G_N_ELEMENTS (cluster_keys) - 1] = { NULL };
  g_autofree gchar *at = dmas_node_where (item);

  if (item->kind != DMAS_NODE_MAP)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_TYPE,
                   "%s%s: expected a map of cluster keys, e.g. '{name: a, nodes: 4, cores: "
                   "32}'", at, display);
      return FALSE;
    }
  for (guint i = 0; i < item->keys->len; i++)
    {
      const gchar *key = g_ptr_array_index (item->keys, i);

      if (!g_strv_contains (cluster_keys, key))
        {
          g_autofree gchar *key_at = dmas_node_where (g_ptr_array_index (item->key_nodes, i));
          const gchar *suggestion = dmas_did_you_mean (key, cluster_keys,
                                                       G_N_ELEMENTS (cluster_keys) - 1);
          g_autofree gchar *known = g_strjoinv (", ", (gchar **) cluster_keys);

          if (suggestion != NULL)
            g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                         "%sunknown key '%s' in '%s' (did you mean '%s'?)", key_at, key, display,
                         suggestion);
          else
            g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                         "%sunknown key '%s' in '%s'; known keys: %s", key_at, key, display,
                         known);
          return FALSE;
        }
    }
  for (gsize k = 0; k < G_N_ELEMENTS (values); k++)
    if (!preset_cluster_key (item, cluster_keys[k], display, &values[k], error))
      {
        for (gsize j = 0; j < k; j++)
          g_free (values[j]);
        return FALSE;
      }
  {
    DmasClusterType type = DMAS_CLUSTER_GENERAL;

    dmas_cluster_type_from_string (values[1], &type); /* the schema checked it */
    *out = (DmasCluster){
      .name = values[0],
      .type = type,
      .nodes = (guint) g_ascii_strtoull (values[2], NULL, 10),
      .cores = (guint) g_ascii_strtoull (values[3], NULL, 10),
      .memory_gb = g_ascii_strtod (values[4], NULL),
      .gpus = (guint) g_ascii_strtoull (values[5], NULL, 10),
      .speed = g_ascii_strtod (values[6], NULL),
    };
  }
  for (gsize k = 1; k < G_N_ELEMENTS (values); k++)
    g_free (values[k]);
  return TRUE;
}

/* Reads the cluster list of a preset file into `templates`; *random tells which kind. */
static gboolean
preset_read (const gchar *path, const gchar *name, GArray *templates, gboolean *random,
             GError **error)
{
  static const gchar *const top_keys[] = { "description", "clusters", "random_clusters", NULL };
  g_autoptr (DmasNode) root = dmas_node_parse_file (path, error);
  const DmasNode *fixed, *drawn, *list;
  const gchar *list_key;

  if (root == NULL)
    return FALSE;
  for (guint i = 0; i < root->keys->len; i++)
    if (!g_strv_contains (top_keys, g_ptr_array_index (root->keys, i)))
      {
        g_autofree gchar *at = dmas_node_where (g_ptr_array_index (root->key_nodes, i));

        g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                     "%sunknown key '%s' in platform preset '%s'; known keys: description, "
                     "clusters, random_clusters", at,
                     (const gchar *) g_ptr_array_index (root->keys, i), name);
        return FALSE;
      }
  fixed = dmas_node_get (root, "clusters");
  drawn = dmas_node_get (root, "random_clusters");
  if ((fixed == NULL) == (drawn == NULL))
    {
      g_autofree gchar *at = dmas_node_where (root);

      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "%splatform preset '%s' needs exactly one of 'clusters' and "
                   "'random_clusters'", at, name);
      return FALSE;
    }
  *random = drawn != NULL;
  list = *random ? drawn : fixed;
  list_key = *random ? "random_clusters" : "clusters";
  if (list->kind != DMAS_NODE_SEQ || list->values->len == 0)
    {
      g_autofree gchar *at = dmas_node_where (list);

      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_TYPE,
                   "%s%s: expected a non-empty list of clusters", at, list_key);
      return FALSE;
    }
  for (guint i = 0; i < list->values->len; i++)
    {
      g_autofree gchar *display = g_strdup_printf ("%s[%u]", list_key, i);
      DmasCluster cluster;

      if (!preset_cluster (g_ptr_array_index (list->values, i), display, &cluster, error))
        return FALSE;
      g_array_append_val (templates, cluster);
      for (guint j = 0; j < i; j++)
        if (strcmp (g_array_index (templates, DmasCluster, j).name, cluster.name) == 0)
          {
            g_autofree gchar *at = dmas_node_where (g_ptr_array_index (list->values, i));

            g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                         "%s%s: the name '%s' is already used by %s[%u]", at, display,
                         cluster.name, list_key, j);
            return FALSE;
          }
    }
  return TRUE;
}

static void
cluster_copy (const DmasCluster *from, gchar *name, DmasCluster *to)
{
  *to = *from;
  to->name = name;
}

DmasPlatform *
dmas_platform_new_preset (const gchar *name, guint agents, GRand *rng, GError **error)
{
  g_autofree gchar *dir = dmas_platform_preset_dir ();
  g_autofree gchar *file = g_strconcat (name, ".yaml", NULL);
  g_autofree gchar *path = g_build_filename (dir, file, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO,
                   "platform preset '%s': %s does not exist (presets are read from %s)", name,
                   path, dir);
      return NULL;
    }
  return dmas_platform_load_preset (path, name, agents, rng, error);
}

DmasPlatform *
dmas_platform_load_preset (const gchar *path, const gchar *name, guint agents, GRand *rng,
                           GError **error)
{
  g_autoptr (GArray) templates = g_array_new (FALSE, TRUE, sizeof (DmasCluster));
  g_autoptr (DmasPlatform) platform = dmas_platform_alloc ();
  gboolean random = FALSE;

  g_array_set_clear_func (templates, dmas_cluster_clear);
  if (!preset_read (path, name, templates, &random, error))
    return NULL;
  if (random)
    for (guint i = 0; i < agents; i++)
      {
        /* One draw per agent, in agent order, so agent i's cluster does not depend on N. */
        const DmasCluster *t = &g_array_index (templates, DmasCluster,
                                               g_rand_int_range (rng, 0, (gint32) templates->len));
        DmasCluster cluster;

        cluster_copy (t, g_strdup_printf ("%s-%u", t->name, i), &cluster);
        g_array_append_val (platform->clusters, cluster);
      }
  else
    {
      if (agents > templates->len)
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "platform.agents is %u but preset '%s' has %u clusters; give at most %u, "
                       "or leave agents out for all of them", agents, name, templates->len,
                       templates->len);
          return NULL;
        }
      for (guint i = 0; i < (agents > 0 ? agents : templates->len); i++)
        {
          const DmasCluster *t = &g_array_index (templates, DmasCluster, i);
          DmasCluster cluster;

          cluster_copy (t, g_strdup (t->name), &cluster);
          g_array_append_val (platform->clusters, cluster);
        }
    }
  return g_steal_pointer (&platform);
}
