/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builds the resolved config: schema order, defaults filled, rules between keys checked. */
#include <config.h>

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

/* Returns: (transfer full) (nullable) the default of a computed key; NULL leaves it out. */
static DmasNode *
computed_default (Resolver *r, const DmasSchemaKey *key)
{
  gboolean clusters = dmas_node_lookup (r->user, "platform.clusters") != NULL;

  if (strcmp (key->path, "name") == 0)
    {
      g_autofree gchar *name = name_from_source (r->source);
      return default_value (key, name);
    }
  if (strcmp (key->path, "platform.preset") == 0 || strcmp (key->path, "platform.agents") == 0)
    return clusters ? NULL : default_value (key, key->default_yaml);
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
  g_error ("config schema: no rule computes the default of %s", key->path);
}

static gboolean build_map (Resolver *r, const DmasNode *user, const gchar *schema_path,
                           const gchar *display, DmasNode *out, GError **error);

static DmasNode *
build_list (Resolver *r, const DmasSchemaKey *key, const DmasNode *user, const gchar *display,
            GError **error)
{
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

      if (!dmas_schema_is_child (key, schema_path) || (key->flags & DMAS_SCHEMA_LATER))
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

static gboolean
check_min_max (const DmasNode *resolved, const gchar *min_path, const gchar *max_path,
               GError **error)
{
  const DmasNode *lo = dmas_node_lookup (resolved, min_path);
  const DmasNode *hi = dmas_node_lookup (resolved, max_path);

  if (compare (dmas_schema_find (min_path), lo, hi) <= 0)
    return TRUE;
  dmas_node_set_error (error, blame (lo, hi), DMAS_CONFIG_ERROR_VALUE,
                       "%s (%s) is greater than %s (%s); make %s <= %s", min_path, lo->scalar,
                       max_path, hi->scalar, strrchr (min_path, '.') + 1,
                       strrchr (max_path, '.') + 1);
  return FALSE;
}

static gboolean
check_workload (const DmasNode *resolved, GError **error)
{
  const DmasNode *span = dmas_node_lookup (resolved, "workload.span");
  const DmasNode *horizon = dmas_node_lookup (resolved, "horizon");
  const DmasNode *fraction = dmas_node_lookup (resolved, "workload.gpu_fraction");
  const DmasNode *gpus = dmas_node_lookup (resolved, "workload.gpus_max");

  if (!check_min_max (resolved, "workload.runtime_min", "workload.runtime_max", error)
      || !check_min_max (resolved, "workload.cores_min", "workload.cores_max", error)
      || !check_min_max (resolved, "workload.memory_gb_min", "workload.memory_gb_max", error))
    return FALSE;
  if (compare (dmas_schema_find ("horizon"), span, horizon) > 0)
    {
      dmas_node_set_error (error, blame (span, horizon), DMAS_CONFIG_ERROR_VALUE,
                           "workload.span (%s) is longer than horizon (%s); jobs arrive within "
                           "the horizon, so shorten the span or lengthen the horizon",
                           span->scalar, horizon->scalar);
      return FALSE;
    }
  if (g_ascii_strtod (fraction->scalar, NULL) > 0 && strcmp (gpus->scalar, "0") == 0)
    {
      dmas_node_set_error (error, blame (gpus, fraction), DMAS_CONFIG_ERROR_VALUE,
                           "workload.gpus_max is 0 but workload.gpu_fraction is %s; set "
                           "gpus_max >= 1, or gpu_fraction: 0 for jobs without GPUs",
                           fraction->scalar);
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
      || !build_map (&r, root, "", "", resolved, error)
      || !check_cluster_names (resolved, error)
      || !check_workload (resolved, error))
    return NULL;
  return g_steal_pointer (&resolved);
}
