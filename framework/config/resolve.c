/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builds the resolved config: schema order, defaults filled, rules between keys checked. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "config/node-private.h"
#include "config/schema.h"

#define DEFAULT_FILE "<default>"

typedef struct {
  const gchar *source;
  const DmasNode *user;   /* the validated user tree */
  DmasNode *resolved;     /* the tree being built: computed defaults read keys above them */
  guint item;             /* index of the list item being built */
} Resolver;

/* Defaults were not written anywhere; line 0 makes dmas_node_where() say just "<default>". */
static void
clear_positions (DmasNode *node)
{
  node->line = node->column = 0;
  for (guint i = 0; node->key_nodes != NULL && i < node->key_nodes->len; i++)
    clear_positions (g_ptr_array_index (node->key_nodes, i));
  for (guint i = 0; node->values != NULL && i < node->values->len; i++)
    clear_positions (g_ptr_array_index (node->values, i));
}

static DmasNode *
default_value (const DmasSchemaKey *key, const gchar *yaml)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasNode) parsed = dmas_node_parse_value (yaml, DEFAULT_FILE, NULL, 0, &error);
  DmasNode *value = NULL;

  /* Running defaults through the same checks as user values keeps the table honest. */
  if (parsed != NULL)
    value = dmas_schema_check_value (key, parsed, key->path, &error);
  if (value == NULL)
    g_error ("config schema: bad default '%s' for %s: %s", yaml, key->path, error->message);
  clear_positions (value);
  return value;
}

static gchar *
name_from_source (const gchar *source)
{
  g_autofree gchar *base = NULL;

  if (strcmp (source, "<built-in>") == 0)
    return g_strdup ("run");
  base = g_path_get_basename (source);
  if (g_str_has_suffix (base, ".yaml"))
    base[strlen (base) - 5] = '\0';
  else if (g_str_has_suffix (base, ".yml"))
    base[strlen (base) - 4] = '\0';
  /* The name becomes a directory name: keep it to the characters the schema allows. */
  g_strcanon (base, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "._-", '-');
  if (base[0] == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    return g_strdup ("run");
  return g_steal_pointer (&base);
}

/* The user's scalar at `path`, or NULL (the tree is validated: sections are maps). */
static const gchar *
user_scalar (const DmasNode *user, const gchar *path)
{
  const DmasNode *node = dmas_node_lookup (user, path);

  return node != NULL && node->kind == DMAS_NODE_SCALAR ? node->scalar : NULL;
}

/* TRUE when the workload is read from a trace file (generator swf or batsim). */
static gboolean
trace_workload (const DmasNode *user)
{
  const gchar *generator = user_scalar (user, "workload.generator");

  return g_strcmp0 (generator, "swf") == 0 || g_strcmp0 (generator, "batsim") == 0;
}

static gboolean
from_trace (const DmasNode *user)
{
  const gchar *value = user_scalar (user, "platform.from_trace");

  return value != NULL && g_ascii_strcasecmp (value, "true") == 0;
}

/* Keys of the synthetic generators that a trace replaces (left out of a trace's config). */
static const gchar *const synthetic_keys[] = {
  "workload.jobs", "workload.span", "workload.nodes", "workload.cores", "workload.memory_gb",
  "workload.gpus", "workload.runtime", "workload.walltime_factor", "workload.types", NULL
};

/* Returns: (transfer full) (nullable) the default of a computed key; NULL leaves it out. */
static DmasNode *
computed_default (Resolver *r, const DmasSchemaKey *key)
{
  gboolean clusters = dmas_node_lookup (r->user, "platform.clusters") != NULL;
  gboolean trace = trace_workload (r->user);

  if (strcmp (key->path, "name") == 0)
    {
      g_autofree gchar *name = name_from_source (r->source);
      return default_value (key, name);
    }
  if (strcmp (key->path, "world_seed") == 0)
    {
      const gchar *seed = user_scalar (r->user, "seed");
      return default_value (key, seed != NULL ? seed : "1");
    }
  /* A trace gives every job: no horizon cuts it unless the user sets one. */
  if (strcmp (key->path, "horizon") == 0)
    return trace ? NULL : default_value (key, key->default_yaml);
  if (strcmp (key->path, "platform.preset") == 0)
    return clusters || from_trace (r->user) ? NULL : default_value (key, key->default_yaml);
  /* The fixed presets bring their own clusters: without agents, all of them. */
  if (strcmp (key->path, "platform.agents") == 0)
    return clusters || from_trace (r->user)
                   || g_strcmp0 (user_scalar (r->user, "platform.preset") != NULL
                                     ? user_scalar (r->user, "platform.preset")
                                     : "seed-resilience", "seed-resilience") != 0
               ? NULL : default_value (key, key->default_yaml);
  if (strcmp (key->path, "platform.nodes") == 0 || strcmp (key->path, "workload.path") == 0)
    return NULL; /* the trace's size; workload.path is required for traces (check_workload) */
  if (strcmp (key->path, "workload.on_malformed") == 0)
    return g_strcmp0 (user_scalar (r->user, "workload.generator"), "swf") == 0
               ? default_value (key, key->default_yaml) : NULL;
  if (trace && g_strv_contains (synthetic_keys, key->path))
    return NULL;
  if (strcmp (key->path, "platform.clusters") == 0)
    return NULL; /* a preset describes the clusters */
  if (strcmp (key->path, "platform.clusters[].name") == 0)
    {
      g_autofree gchar *name = g_strdup_printf ("c%u", r->item);
      return default_value (key, name);
    }
  if (strcmp (key->path, "workload.span") == 0)
    {
      DmasNode *span = dmas_node_copy (dmas_node_lookup (r->resolved, "horizon"));

      clear_positions (span);
      g_free (span->file);
      span->file = g_strdup (DEFAULT_FILE);
      return span;
    }
  if (g_strv_contains (synthetic_keys, key->path))
    return default_value (key, key->default_yaml);
  /* A link key left out inherits the network's value and stays out of the resolved config,
   * so that it keeps following network.*; from and to are required (check_network). */
  if (g_str_has_prefix (key->path, "network.links[]."))
    return NULL;
  /* Required (validate.c checks every OPEN_ITEMS entry has it): never reached, no default. */
  if (strcmp (key->path, "faults[].type") == 0)
    return NULL;
  g_error ("config schema: no rule computes the default of %s", key->path);
}

static gboolean build_map (Resolver *r, const DmasNode *user, const gchar *schema_path,
                           const gchar *display, DmasNode *out, GError **error);

/* The keys of an OPEN_ITEMS entry that the schema does not list (a component's parameters)
 * go through as written, in document order; the plugin registry checks and completes them. */
static void
copy_open_keys (const DmasNode *item, const gchar *item_path, DmasNode *out)
{
  for (guint i = 0; i < item->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (item->keys, i);
      g_autofree gchar *path = g_strconcat (item_path, ".", name, NULL);

      if (dmas_schema_find (path) == NULL)
        dmas_node_set_keyed (out, dmas_node_copy (g_ptr_array_index (item->key_nodes, i)),
                             dmas_node_copy (g_ptr_array_index (item->values, i)));
    }
}

static DmasNode *
build_list (Resolver *r, const DmasSchemaKey *key, const DmasNode *user, const gchar *display,
            GError **error)
{
  /* `faults:` as a preset stays a map (validated) with its pattern filled in; the plugin
   * registry expands it into entries (dmas_faults_fill_config). */
  if (user->kind == DMAS_NODE_MAP)
    {
      DmasNode *preset = dmas_node_copy (user);
      if (dmas_node_get (preset, "pattern") == NULL)
        dmas_node_set (preset, "pattern",
                       dmas_node_new_scalar ("random", DEFAULT_FILE, NULL, 0, 0));
      return preset;
    }
  g_autoptr (DmasNode) list = dmas_node_new_seq (user->file, user->base_dir, user->line,
                                                 user->column);
  g_autofree gchar *item_path = g_strconcat (key->path, "[]", NULL);

  for (guint i = 0; i < user->values->len; i++)
    {
      const DmasNode *item = g_ptr_array_index (user->values, i);
      g_autofree gchar *item_display = g_strdup_printf ("%s[%u]", display, i);
      DmasNode *out = dmas_node_new_map (item->file, item->base_dir, item->line, item->column);

      g_ptr_array_add (list->values, out);
      r->item = i;
      if (!build_map (r, item, item_path, item_display, out, error))
        return NULL;
      if (key->flags & DMAS_SCHEMA_OPEN_ITEMS)
        copy_open_keys (item, item_path, out);
    }
  return g_steal_pointer (&list);
}

/* *out is the value of `key`, or NULL when the key is left out of the resolved config. */
static gboolean
build_value (Resolver *r, const DmasSchemaKey *key, const DmasNode *user, const gchar *display,
             DmasNode **out, GError **error)
{
  *out = NULL;
  if (key->type == DMAS_SCHEMA_MAP)
    {
      g_autoptr (DmasNode) map = user != NULL
          ? dmas_node_new_map (user->file, user->base_dir, user->line, user->column)
          : dmas_node_new_map (DEFAULT_FILE, NULL, 0, 0);

      if (!build_map (r, user, key->path, display, map, error))
        return FALSE;
      *out = g_steal_pointer (&map);
    }
  else if (user != NULL && key->type == DMAS_SCHEMA_SEQ_OF_MAPS)
    *out = build_list (r, key, user, display, error);
  else if (user != NULL)
    *out = dmas_schema_check_value (key, user, display, error);
  else if (key->flags & DMAS_SCHEMA_COMPUTED)
    {
      *out = computed_default (r, key); /* may leave the key out */
      return TRUE;
    }
  else
    *out = default_value (key, key->default_yaml);
  return *out != NULL;
}

static gboolean
build_map (Resolver *r, const DmasNode *user, const gchar *schema_path, const gchar *display,
           DmasNode *out, GError **error)
{
  gsize n_keys;
  const DmasSchemaKey *keys = dmas_schema_keys (&n_keys);

  for (gsize k = 0; k < n_keys; k++)
    {
      const DmasSchemaKey *key = &keys[k];
      const gchar *name = dmas_schema_key_name (key);
      const DmasNode *given = user != NULL ? dmas_node_get (user, name) : NULL;
      g_autofree gchar *key_display = NULL;
      DmasNode *value, *key_node;

      if (!dmas_schema_is_child (key, schema_path)
          || (key->flags & (DMAS_SCHEMA_LATER | DMAS_SCHEMA_CAMPAIGN)))
        continue;
      key_display = display[0] == '\0' ? g_strdup (name) : g_strconcat (display, ".", name, NULL);
      if (!build_value (r, key, given, key_display, &value, error))
        return FALSE;
      if (value == NULL)
        continue;
      key_node = given != NULL ? dmas_node_copy (dmas_node_get_key_node (user, name))
                               : dmas_node_new_scalar (name, DEFAULT_FILE, NULL, 0, 0);
      dmas_node_set_keyed (out, key_node, value);
    }
  return TRUE;
}

/* ---- rules between keys ---- */

/* Rules read both the user's tree and the resolved one; they point at what the user wrote,
 * falling back to the other key when one side is a default. */
static const DmasNode *
blame (const DmasNode *a, const DmasNode *b)
{
  return a->line != 0 ? a : b;
}

static gboolean
check_platform_choice (const DmasNode *user, GError **error)
{
  const DmasNode *platform = dmas_node_get (user, "platform");
  const DmasNode *clusters = platform != NULL ? dmas_node_get (platform, "clusters") : NULL;

  if (clusters == NULL)
    return TRUE;
  if (dmas_node_get (platform, "preset") != NULL)
    {
      dmas_node_set_error (error, dmas_node_get_key_node (platform, "clusters"),
                           DMAS_CONFIG_ERROR_VALUE,
                           "platform: give either 'preset' or 'clusters', not both; "
                           "remove one of them");
      return FALSE;
    }
  if (dmas_node_get (platform, "agents") != NULL)
    {
      dmas_node_set_error (error, dmas_node_get_key_node (platform, "agents"),
                           DMAS_CONFIG_ERROR_VALUE,
                           "platform.agents cannot be used with 'clusters': there is one agent "
                           "per cluster; remove 'agents'");
      return FALSE;
    }
  if (clusters->values->len == 0)
    {
      dmas_node_set_error (error, clusters, DMAS_CONFIG_ERROR_VALUE,
                           "platform.clusters: the list is empty; give at least one cluster, "
                           "or use 'preset: seed-resilience'");
      return FALSE;
    }
  return TRUE;
}

/* platform.from_trace replaces preset, clusters and agents; platform.nodes resizes it. */
static gboolean
check_platform_trace (const DmasNode *user, GError **error)
{
  static const gchar *const replaced[] = { "preset", "clusters", "agents" };
  const DmasNode *platform = dmas_node_get (user, "platform");

  if (platform == NULL)
    return TRUE;
  if (!from_trace (user))
    {
      if (dmas_node_get (platform, "nodes") == NULL)
        return TRUE;
      dmas_node_set_error (error, dmas_node_get_key_node (platform, "nodes"),
                           DMAS_CONFIG_ERROR_VALUE,
                           "platform.nodes sizes the cluster of 'from_trace: true'; without "
                           "from_trace, give the nodes of each cluster in 'clusters'");
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (replaced); i++)
    if (dmas_node_get (platform, replaced[i]) != NULL)
      {
        dmas_node_set_error (error, dmas_node_get_key_node (platform, replaced[i]),
                             DMAS_CONFIG_ERROR_VALUE,
                             "platform: 'from_trace: true' builds the platform from the trace; "
                             "remove '%s'", replaced[i]);
        return FALSE;
      }
  if (!trace_workload (user))
    {
      dmas_node_set_error (error, dmas_node_get (platform, "from_trace"),
                           DMAS_CONFIG_ERROR_VALUE,
                           "platform.from_trace needs a trace workload (workload.generator: "
                           "swf or batsim)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_cluster_names (const DmasNode *resolved, GError **error)
{
  const DmasNode *clusters = dmas_node_lookup (resolved, "platform.clusters");

  for (guint j = 0; clusters != NULL && j < clusters->values->len; j++)
    for (guint i = 0; i < j; i++)
      {
        const DmasNode *a = dmas_node_get (g_ptr_array_index (clusters->values, i), "name");
        const DmasNode *b = dmas_node_get (g_ptr_array_index (clusters->values, j), "name");

        if (strcmp (a->scalar, b->scalar) == 0)
          {
            dmas_node_set_error (error, blame (b, g_ptr_array_index (clusters->values, j)),
                                 DMAS_CONFIG_ERROR_VALUE,
                                 "platform.clusters[%u]: the name '%s' is already used by "
                                 "platform.clusters[%u]; give each cluster its own name", j,
                                 b->scalar, i);
            return FALSE;
          }
      }
  return TRUE;
}

/* Compares two canonical values of the same schema key. */
static gint
compare (const DmasSchemaKey *key, const DmasNode *a, const DmasNode *b)
{
  if (key->type == DMAS_SCHEMA_DURATION)
    {
      guint64 x = 0, y = 0;

      dmas_parse_duration (a->scalar, &x, NULL);
      dmas_parse_duration (b->scalar, &y, NULL);
      return x < y ? -1 : x > y;
    }
  {
    gdouble x = g_ascii_strtod (a->scalar, NULL), y = g_ascii_strtod (b->scalar, NULL);

    return x < y ? -1 : x > y;
  }
}

/* Which workload keys go with which generator. */
static gboolean
check_workload_keys (const DmasNode *user, GError **error)
{
  const DmasNode *workload = dmas_node_get (user, "workload");
  const DmasNode *generator = workload != NULL ? dmas_node_get (workload, "generator") : NULL;
  const gchar *name = generator != NULL ? generator->scalar : "poisson";
  const gboolean trace = trace_workload (user);

  if (trace && dmas_node_get (workload, "path") == NULL)
    {
      dmas_node_set_error (error, generator, DMAS_CONFIG_ERROR_VALUE,
                           "workload.generator '%s' reads a trace; give its file as "
                           "workload.path", name);
      return FALSE;
    }
  if (!trace && workload != NULL && dmas_node_get (workload, "path") != NULL)
    {
      dmas_node_set_error (error, dmas_node_get_key_node (workload, "path"),
                           DMAS_CONFIG_ERROR_VALUE,
                           "workload.path is only read by the swf and batsim generators; "
                           "remove it, or set generator: swf");
      return FALSE;
    }
  if (strcmp (name, "swf") != 0 && workload != NULL
      && dmas_node_get (workload, "on_malformed") != NULL)
    {
      dmas_node_set_error (error, dmas_node_get_key_node (workload, "on_malformed"),
                           DMAS_CONFIG_ERROR_VALUE,
                           "workload.on_malformed only applies to the swf generator; "
                           "remove it");
      return FALSE;
    }
  for (gsize i = 0; trace && synthetic_keys[i] != NULL; i++)
    {
      const gchar *key = synthetic_keys[i] + strlen ("workload.");

      /* jobs keeps the first N jobs of a trace. */
      if (strcmp (key, "jobs") != 0 && dmas_node_get (workload, key) != NULL)
        {
          dmas_node_set_error (error, dmas_node_get_key_node (workload, key),
                               DMAS_CONFIG_ERROR_VALUE,
                               "workload.%s does not apply to generator '%s': the trace gives "
                               "every job's arrival, size and runtime; remove it", key, name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_workload (const DmasNode *user, const DmasNode *resolved, GError **error)
{
  const DmasNode *span = dmas_node_lookup (resolved, "workload.span");
  const DmasNode *horizon = dmas_node_lookup (resolved, "horizon");

  if (!check_workload_keys (user, error))
    return FALSE;
  if (span != NULL && horizon != NULL && compare (dmas_schema_find ("horizon"), span, horizon) > 0)
    {
      dmas_node_set_error (error, blame (span, horizon), DMAS_CONFIG_ERROR_VALUE,
                           "workload.span (%s) is longer than horizon (%s); jobs arrive within "
                           "the horizon, so shorten the span or lengthen the horizon",
                           span->scalar, horizon->scalar);
      return FALSE;
    }
  return TRUE;
}

/* The schema has no rate type: bandwidths are strings checked here. */
static gboolean
check_bandwidth (const DmasNode *value, const gchar *display, GError **error)
{
  g_autoptr (GError) local = NULL;
  gdouble bps = 0;

  if (strcmp (value->scalar, "infinite") == 0)
    return TRUE;
  if (!dmas_parse_rate (value->scalar, &bps, &local))
    {
      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE,
                           "%s: %s; or 'infinite' for no limit", display, local->message);
      return FALSE;
    }
  if (!isfinite (bps))
    {
      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE,
                           "%s: '%s' is too large for a rate; use 'infinite'", display,
                           value->scalar);
      return FALSE;
    }
  return TRUE;
}

/* Which agent or cluster a link end names is checked when the network is built: a preset's
 * cluster names exist only then.  Here: both ends given, bandwidths well formed. */
static gboolean
check_network (DmasNode *resolved, GError **error)
{
  const DmasNode *links = dmas_node_lookup (resolved, "network.links");

  if (!check_bandwidth (dmas_node_lookup (resolved, "network.bandwidth"), "network.bandwidth",
                        error))
    return FALSE;
  for (guint i = 0; i < links->values->len; i++)
    {
      const DmasNode *link = g_ptr_array_index (links->values, i);
      const DmasNode *bandwidth = dmas_node_get (link, "bandwidth");
      static const gchar *const ends[] = { "from", "to" };

      for (gsize e = 0; e < G_N_ELEMENTS (ends); e++)
        {
          DmasNode *end = dmas_node_get (link, ends[e]);

          if (end == NULL)
            {
              dmas_node_set_error (error, link, DMAS_CONFIG_ERROR_VALUE,
                                   "network.links[%u]: '%s' is missing; name both ends by "
                                   "agent id or cluster name, e.g. '{from: 0, to: 3, "
                                   "latency: 20ms}'", i, ends[e]);
              return FALSE;
            }
          /* An id is written plain, so "0" and 0 resolve to the same text. */
          if (strspn (end->scalar, "0123456789") == strlen (end->scalar))
            end->quoted = FALSE;
        }
      if (bandwidth != NULL)
        {
          g_autofree gchar *display = g_strdup_printf ("network.links[%u].bandwidth", i);

          if (!check_bandwidth (bandwidth, display, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* scheduling.ha and clients: the standby must hear a heartbeat before it gives up on the
 * controller in charge, and a client's wait only ever grows up to its cap. */
static gboolean
check_ha_and_clients (const DmasNode *resolved, GError **error)
{
  const DmasNode *heartbeat = dmas_node_lookup (resolved, "scheduling.ha.heartbeat");
  const DmasNode *takeover = dmas_node_lookup (resolved, "scheduling.ha.takeover");
  const DmasNode *backoff = dmas_node_lookup (resolved, "clients.backoff");
  const DmasNode *backoff_max = dmas_node_lookup (resolved, "clients.backoff_max");

  if (compare (dmas_schema_find ("scheduling.ha.heartbeat"), heartbeat, takeover) >= 0)
    {
      dmas_node_set_error (error, blame (heartbeat, takeover), DMAS_CONFIG_ERROR_VALUE,
                           "scheduling.ha.heartbeat (%s) is not shorter than "
                           "scheduling.ha.takeover (%s); the standby would take over between "
                           "two heartbeats: make heartbeat < takeover", heartbeat->scalar,
                           takeover->scalar);
      return FALSE;
    }
  if (compare (dmas_schema_find ("clients.backoff"), backoff, backoff_max) > 0)
    {
      dmas_node_set_error (error, blame (backoff, backoff_max), DMAS_CONFIG_ERROR_VALUE,
                           "clients.backoff (%s) is greater than clients.backoff_max (%s); "
                           "make backoff <= backoff_max", backoff->scalar, backoff_max->scalar);
      return FALSE;
    }
  return TRUE;
}

DmasNode *
dmas_config_resolve (const DmasNode *root, const gchar *source, GError **error)
{
  g_autoptr (DmasNode) resolved = dmas_node_new_map (root->file, root->base_dir, root->line,
                                                     root->column);
  Resolver r = { .source = source, .user = root, .resolved = resolved };

  if (!check_platform_choice (root, error)
      || !check_platform_trace (root, error)
      || !build_map (&r, root, "", "", resolved, error)
      || !check_cluster_names (resolved, error)
      || !check_workload (root, resolved, error)
      || !check_network (resolved, error)
      || !check_ha_and_clients (resolved, error))
    return NULL;
  return g_steal_pointer (&resolved);
}
