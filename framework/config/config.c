/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading a run config: parse, apply --set, validate, resolve, and read the typed struct. */
#include <config.h>

#include <string.h>

#include "config/config.h"
#include "config/node-private.h"
#include "config/schema.h"

#define BUILT_IN "<built-in>"

/* The typed readers below only see the resolved tree, whose values the schema has already
 * checked and put in canonical form, so they cannot fail. */

static const gchar *
get_str (const DmasNode *root, const gchar *path)
{
  const DmasNode *node = dmas_node_lookup (root, path);

  if (node == NULL || node->kind != DMAS_NODE_SCALAR)
    g_error ("resolved config lacks %s", path);
  return node->scalar;
}

static gint64
get_int (const DmasNode *root, const gchar *path)
{
  return g_ascii_strtoll (get_str (root, path), NULL, 10);
}

static gdouble
get_double (const DmasNode *root, const gchar *path)
{
  return g_ascii_strtod (get_str (root, path), NULL);
}

static DmasTime
get_duration (const DmasNode *root, const gchar *path)
{
  guint64 ns = 0;

  if (!dmas_parse_duration (get_str (root, path), &ns, NULL))
    g_error ("resolved config: %s is not a duration", path);
  return ns;
}

static gchar *
dup_str (const DmasNode *root, const gchar *path)
{
  return g_strdup (get_str (root, path));
}

static void
cluster_spec_clear (gpointer data)
{
  DmasClusterSpec *spec = data;

  g_free (spec->name);
  g_free (spec->type);
}

static void
read_platform (DmasConfig *c, const DmasNode *r)
{
  const DmasNode *clusters = dmas_node_lookup (r, "platform.clusters");

  c->platform.clusters = g_array_new (FALSE, TRUE, sizeof (DmasClusterSpec));
  g_array_set_clear_func (c->platform.clusters, cluster_spec_clear);
  if (clusters == NULL)
    {
      c->platform.preset = dup_str (r, "platform.preset");
      c->platform.agents = (guint) get_int (r, "platform.agents");
      return;
    }
  for (guint i = 0; i < clusters->values->len; i++)
    {
      const DmasNode *item = g_ptr_array_index (clusters->values, i);
      DmasClusterSpec spec = {
        .name = dup_str (item, "name"),
        .type = dup_str (item, "type"),
        .nodes = (guint) get_int (item, "nodes"),
        .cores = (guint) get_int (item, "cores"),
        .memory_gb = get_double (item, "memory_gb"),
        .gpus = (guint) get_int (item, "gpus"),
        .speed = get_double (item, "speed"),
      };

      g_array_append_val (c->platform.clusters, spec);
    }
  c->platform.agents = clusters->values->len;
}

static void
read_typed (DmasConfig *c, const DmasNode *r)
{
  const DmasNode *paths = dmas_node_get (r, "plugin_path");

  c->name = dup_str (r, "name");
  c->seed = (guint64) get_int (r, "seed");
  c->horizon = get_duration (r, "horizon");
  c->drain = strcmp (get_str (r, "drain"), "true") == 0;
  c->plugin_path = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < paths->values->len; i++)
    g_ptr_array_add (c->plugin_path,
                     g_strdup (((const DmasNode *) g_ptr_array_index (paths->values, i))->scalar));

  read_platform (c, r);

  c->workload.generator = dup_str (r, "workload.generator");
  c->workload.jobs = (guint) get_int (r, "workload.jobs");
  c->workload.span = get_duration (r, "workload.span");
  c->workload.runtime_min = get_duration (r, "workload.runtime_min");
  c->workload.runtime_max = get_duration (r, "workload.runtime_max");
  c->workload.walltime_factor = get_double (r, "workload.walltime_factor");
  c->workload.cores_min = (guint) get_int (r, "workload.cores_min");
  c->workload.cores_max = (guint) get_int (r, "workload.cores_max");
  c->workload.memory_gb_min = get_double (r, "workload.memory_gb_min");
  c->workload.memory_gb_max = get_double (r, "workload.memory_gb_max");
  c->workload.gpu_fraction = get_double (r, "workload.gpu_fraction");
  c->workload.gpus_max = (guint) get_int (r, "workload.gpus_max");

  c->network.latency = get_duration (r, "network.latency");

  c->scheduling.mode = dup_str (r, "scheduling.mode");
  c->scheduling.bidding = dup_str (r, "scheduling.bidding");
  c->scheduling.consensus = dup_str (r, "scheduling.consensus");
  c->scheduling.local_policy = dup_str (r, "scheduling.local_policy");
}

/* Takes `root`.  Applies the sets, validates, resolves, reads the typed config. */
static DmasConfig *
config_from_tree (DmasNode *root, const gchar *source, const gchar *const *sets,
                  GError **error)
{
  g_autoptr (DmasNode) user = root;
  g_autoptr (DmasConfig) config = NULL;
  DmasNode *resolved;

  for (gsize i = 0; sets != NULL && sets[i] != NULL; i++)
    if (!dmas_node_apply_set (user, sets[i], error))
      return NULL;
  if (!dmas_config_validate (user, error))
    return NULL;
  resolved = dmas_config_resolve (user, source, error);
  if (resolved == NULL)
    return NULL;

  config = g_new0 (DmasConfig, 1);
  config->source = g_strdup (source);
  config->resolved = resolved;
  /* Borrowed from the resolved tree, so that parameter defaults the plugin registry adds
   * later show up in the printed config too. */
  config->params = dmas_node_get (resolved, "params");
  read_typed (config, resolved);
  return g_steal_pointer (&config);
}

DmasConfig *
dmas_config_load (const gchar *path, const gchar *const *sets, GError **error)
{
  DmasNode *root;

  if (path == NULL)
    {
      g_autofree gchar *cwd = g_get_current_dir ();

      root = dmas_node_new_map (BUILT_IN, cwd, 0, 0);
      return config_from_tree (root, BUILT_IN, sets, error);
    }
  root = dmas_node_parse_file (path, error);
  if (root == NULL)
    return NULL;
  return config_from_tree (root, path, sets, error);
}

DmasConfig *
dmas_config_load_string (const gchar *text, const gchar *name, const gchar *base_dir,
                         const gchar *const *sets, GError **error)
{
  DmasNode *root = dmas_node_parse_string (text, strlen (text), name, base_dir, error);

  if (root == NULL)
    return NULL;
  return config_from_tree (root, name, sets, error);
}

void
dmas_config_free (DmasConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->source);
  g_free (config->name);
  g_clear_pointer (&config->plugin_path, g_ptr_array_unref);
  g_free (config->platform.preset);
  g_clear_pointer (&config->platform.clusters, g_array_unref);
  g_free (config->workload.generator);
  g_free (config->scheduling.mode);
  g_free (config->scheduling.bidding);
  g_free (config->scheduling.consensus);
  g_free (config->scheduling.local_policy);
  dmas_node_free (config->resolved); /* params points into it */
  g_free (config);
}

gchar *
dmas_config_to_yaml (const DmasConfig *config)
{
  return dmas_node_to_yaml (config->resolved);
}

DmasNode *
dmas_config_component_params (const DmasConfig *config, const gchar *kind, const gchar *name)
{
  g_autofree gchar *qualified = g_strdup_printf ("%s/%s", kind, name);
  DmasNode *params = dmas_node_get (config->params, qualified);

  /* "kind/name" first: it is the unambiguous spelling when two kinds share a name. */
  return params != NULL ? params : dmas_node_get (config->params, name);
}

void
dmas_config_set_component_params (DmasConfig *config, const gchar *kind, const gchar *name,
                                   DmasNode *params)
{
  g_autofree gchar *qualified = g_strdup_printf ("%s/%s", kind, name);

  /* Keep the user's spelling: adding "auction" next to "consensus/auction" would make the
   * written config fail to load again ("params cannot hold both"). */
  if (dmas_node_get (config->params, qualified) != NULL)
    dmas_node_set (config->params, qualified, params);
  else
    dmas_node_set (config->params, name, params);
}
