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
  c->platform.from_trace = strcmp (get_str (r, "platform.from_trace"), "true") == 0;
  if (dmas_node_lookup (r, "platform.nodes") != NULL)
    c->platform.nodes = (guint) get_int (r, "platform.nodes");
  if (clusters == NULL)
    {
      /* No preset with from_trace; no agents with a fixed preset unless given (all). */
      if (dmas_node_lookup (r, "platform.preset") != NULL)
        c->platform.preset = dup_str (r, "platform.preset");
      if (dmas_node_lookup (r, "platform.agents") != NULL)
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

/* "infinite" or a rate (checked by resolve.c); 0 bits/s stands for infinite. */
static gdouble
get_bandwidth (const DmasNode *root, const gchar *path)
{
  const gchar *text = get_str (root, path);
  gdouble bps = 0;

  if (strcmp (text, "infinite") != 0 && !dmas_parse_rate (text, &bps, NULL))
    g_error ("resolved config: %s is not a rate", path);
  return bps;
}

static void
link_spec_clear (gpointer data)
{
  DmasLinkSpec *spec = data;

  g_free (spec->from);
  g_free (spec->to);
  g_free (spec->from_where);
  g_free (spec->to_where);
  g_free (spec->where);
}

static void
read_network (DmasConfig *c, const DmasNode *r)
{
  const DmasNode *links = dmas_node_lookup (r, "network.links");

  c->network.latency = get_duration (r, "network.latency");
  c->network.jitter = get_duration (r, "network.jitter");
  c->network.bandwidth = get_bandwidth (r, "network.bandwidth");
  c->network.links = g_array_new (FALSE, TRUE, sizeof (DmasLinkSpec));
  g_array_set_clear_func (c->network.links, link_spec_clear);
  for (guint i = 0; i < links->values->len; i++)
    {
      const DmasNode *item = g_ptr_array_index (links->values, i);
      /* Keys left out of an entry inherit the network's values. */
      DmasLinkSpec spec = {
        .from = dup_str (item, "from"),
        .to = dup_str (item, "to"),
        .from_where = dmas_node_where (dmas_node_get (item, "from")),
        .to_where = dmas_node_where (dmas_node_get (item, "to")),
        .where = dmas_node_where (item),
        .latency = dmas_node_get (item, "latency") != NULL ? get_duration (item, "latency")
                                                           : c->network.latency,
        .jitter = dmas_node_get (item, "jitter") != NULL ? get_duration (item, "jitter")
                                                         : c->network.jitter,
        .bandwidth = dmas_node_get (item, "bandwidth") != NULL
                         ? get_bandwidth (item, "bandwidth") : c->network.bandwidth,
        .symmetric = strcmp (get_str (item, "symmetric"), "true") == 0,
      };

      g_array_append_val (c->network.links, spec);
    }
}

static void
read_dist (const DmasNode *r, const gchar *path, DmasDist *out)
{
  dmas_schema_read_dist (dmas_node_lookup (r, path), dmas_schema_find (path)->flags, out);
}

/* Trace workloads leave the synthetic keys out of the resolved config (resolve.c). */
static void
read_workload (DmasConfig *c, const DmasNode *r)
{
  const DmasNode *path = dmas_node_lookup (r, "workload.path");
  const DmasNode *jobs = dmas_node_lookup (r, "workload.jobs");
  const DmasNode *malformed = dmas_node_lookup (r, "workload.on_malformed");

  c->workload.generator = dup_str (r, "workload.generator");
  c->workload.path = path != NULL ? g_strdup (path->scalar) : NULL;
  c->workload.malformed_fail = malformed != NULL && strcmp (malformed->scalar, "fail") == 0;
  c->workload.jobs = jobs != NULL ? (guint) get_int (r, "workload.jobs") : DMAS_WORKLOAD_ALL_JOBS;
  if (dmas_node_lookup (r, "workload.span") == NULL)
    return;
  c->workload.span = get_duration (r, "workload.span");
  read_dist (r, "workload.nodes", &c->workload.nodes);
  read_dist (r, "workload.cores", &c->workload.cores);
  read_dist (r, "workload.memory_gb", &c->workload.memory_gb);
  read_dist (r, "workload.gpus", &c->workload.gpus);
  read_dist (r, "workload.runtime", &c->workload.runtime);
  c->workload.walltime_factor = get_double (r, "workload.walltime_factor");
  dmas_schema_read_job_mix (dmas_node_lookup (r, "workload.types"), &c->workload.types_by_gpus,
                            c->workload.type_weights);
}

static void
read_typed (DmasConfig *c, const DmasNode *r)
{
  const DmasNode *paths = dmas_node_get (r, "plugin_path");

  c->name = dup_str (r, "name");
  c->seed = (guint64) get_int (r, "seed");
  c->world_seed = (guint64) get_int (r, "world_seed");
  c->horizon = dmas_node_lookup (r, "horizon") != NULL ? get_duration (r, "horizon")
                                                        : DMAS_TIME_NONE;
  c->drain = strcmp (get_str (r, "drain"), "true") == 0;
  c->stall_timeout = get_duration (r, "stall_timeout");
  c->plugin_path = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < paths->values->len; i++)
    g_ptr_array_add (c->plugin_path,
                     g_strdup (((const DmasNode *) g_ptr_array_index (paths->values, i))->scalar));

  read_platform (c, r);

  read_workload (c, r);

  read_network (c, r);

  c->scheduling.mode = dup_str (r, "scheduling.mode");
  c->scheduling.bidding = dup_str (r, "scheduling.bidding");
  c->scheduling.consensus = dup_str (r, "scheduling.consensus");
  c->scheduling.local_policy = dup_str (r, "scheduling.local_policy");
  c->scheduling.ha.backup = strcmp (get_str (r, "scheduling.ha.backup"), "true") == 0;
  c->scheduling.ha.takeover = get_duration (r, "scheduling.ha.takeover");
  c->scheduling.ha.heartbeat = get_duration (r, "scheduling.ha.heartbeat");
  c->scheduling.hybrid.fraction = get_double (r, "scheduling.hybrid.fraction");
  c->scheduling.hybrid.bidding = dup_str (r, "scheduling.hybrid.bidding");
  c->scheduling.reputation = strcmp (get_str (r, "scheduling.reputation"), "true") == 0;

  c->clients.timeout = get_duration (r, "clients.timeout");
  c->clients.backoff = get_duration (r, "clients.backoff");
  c->clients.backoff_max = get_duration (r, "clients.backoff_max");
  c->clients.give_up = get_duration (r, "clients.give_up");

  c->heartbeat.enabled = strcmp (get_str (r, "heartbeat.enabled"), "true") == 0;
  c->heartbeat.period = get_duration (r, "heartbeat.period");
  c->heartbeat.timeout = get_duration (r, "heartbeat.timeout");
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
  config->faults = dmas_node_get (resolved, "faults");
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

DmasConfig *
dmas_config_load_tree (DmasNode *root, const gchar *source, const gchar *const *sets,
                       GError **error)
{
  return config_from_tree (root, source, sets, error);
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
  g_free (config->workload.path);
  dmas_dist_clear (&config->workload.nodes);
  dmas_dist_clear (&config->workload.cores);
  dmas_dist_clear (&config->workload.memory_gb);
  dmas_dist_clear (&config->workload.gpus);
  dmas_dist_clear (&config->workload.runtime);
  g_clear_pointer (&config->network.links, g_array_unref);
  g_free (config->scheduling.mode);
  g_free (config->scheduling.bidding);
  g_free (config->scheduling.consensus);
  g_free (config->scheduling.local_policy);
  g_free (config->scheduling.hybrid.bidding);
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
