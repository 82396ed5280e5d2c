/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The campaign keys of a config (sweep, repetitions, compare, paired): checked and removed. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "campaign/campaign-private.h"
#include "config/schema.h"

static gboolean
node_error (GError **error, gint code, const DmasNode *node, const gchar *fmt, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
node_error (GError **error, gint code, const DmasNode *node, const gchar *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree gchar *message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_autofree gchar *where = node != NULL ? dmas_node_where (node) : g_strdup ("");
  g_set_error (error, DMAS_CONFIG_ERROR, code, "%s%s", where, message);
  return FALSE;
}

void
dmas_campaign_axis_free (DmasCampaignAxis *axis)
{
  if (axis == NULL)
    return;
  g_free (axis->key);
  g_ptr_array_unref (axis->labels);
  g_ptr_array_unref (axis->values);
  if (axis->repetitions != NULL)
    g_array_unref (axis->repetitions);
  dmas_node_free (axis->where);
  g_free (axis);
}

static DmasCampaignAxis *
axis_new (const gchar *key, const DmasNode *where)
{
  DmasCampaignAxis *axis = g_new0 (DmasCampaignAxis, 1);
  axis->key = g_strdup (key);
  axis->labels = g_ptr_array_new_with_free_func (g_free);
  axis->values = g_ptr_array_new_with_free_func ((GDestroyNotify) dmas_node_free);
  axis->where = dmas_node_copy (where);
  return axis;
}

/* The node to point at for map entry i: the key when the parser kept it. */
static const DmasNode *
entry_where (const DmasNode *map, guint i)
{
  const DmasNode *key = map->key_nodes != NULL ? g_ptr_array_index (map->key_nodes, i) : NULL;
  return key != NULL ? key : g_ptr_array_index (map->values, i);
}

static gboolean
parse_uint (const DmasNode *node, const gchar *what, guint *out, GError **error)
{
  guint64 v = 0;
  if (node->kind != DMAS_NODE_SCALAR
      || !g_ascii_string_to_unsigned (node->scalar, 10, 1, G_MAXUINT, &v, NULL))
    return node_error (error, DMAS_CONFIG_ERROR_TYPE, node,
                       "%s must be an integer >= 1, e.g. %s: 5", what, what);
  *out = (guint) v;
  return TRUE;
}

/* A key a sweep may change: any schema key outside lists, a component parameter
 * (params.NAME.KEY), or the whole fault list.  The seeds and the name are the campaign's to
 * set, and plugin_path would change which plugins the plan recorded. */
static gboolean
check_key (const gchar *key, const DmasNode *where, GError **error)
{
  static const gchar *const reserved[] = { "seed", "world_seed", "name", "plugin_path" };
  for (gsize i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (strcmp (key, reserved[i]) == 0)
      return node_error (error, DMAS_CONFIG_ERROR_VALUE, where,
                         "'%s' cannot be swept: the campaign sets it (seeds derive from the "
                         "master seed; see DESIGN §10)", key);
  if (g_str_has_prefix (key, "params."))
    {
      if (strchr (key + strlen ("params."), '.') == NULL)
        return node_error (error, DMAS_CONFIG_ERROR_VALUE, where,
                           "sweep '%s': name one parameter, e.g. params.raft.election_timeout",
                           key);
      return TRUE;
    }
  if (g_str_has_prefix (key, "faults."))
    return node_error (error, DMAS_CONFIG_ERROR_VALUE, where,
                       "sweep '%s': faults is a list; sweep the whole list instead, e.g. "
                       "faults: {none: [], crash: [{type: crash, ...}]}", key);
  const DmasSchemaKey *entry = dmas_schema_find (key);
  if (entry == NULL)
    {
      gsize n = 0;
      const DmasSchemaKey *keys = dmas_schema_keys (&n);
      g_autoptr (GPtrArray) paths = g_ptr_array_new ();
      for (gsize i = 0; i < n; i++)
        if (strstr (keys[i].path, "[]") == NULL && !(keys[i].flags & DMAS_SCHEMA_CAMPAIGN))
          g_ptr_array_add (paths, (gpointer) keys[i].path);
      const gchar *guess = dmas_did_you_mean (key, (const gchar *const *) paths->pdata,
                                              paths->len);
      if (guess != NULL)
        return node_error (error, DMAS_CONFIG_ERROR_UNKNOWN_KEY, where,
                           "sweep: unknown config key '%s' (did you mean '%s'?)", key, guess);
      return node_error (error, DMAS_CONFIG_ERROR_UNKNOWN_KEY, where,
                         "sweep: unknown config key '%s'; sweep keys are dotted config keys "
                         "such as scheduling.consensus (see 'dmas config')", key);
    }
  if (entry->flags & DMAS_SCHEMA_CAMPAIGN)
    return node_error (error, DMAS_CONFIG_ERROR_VALUE, where,
                       "'%s' is a campaign key and cannot be swept", key);
  if (strstr (entry->path, "[]") != NULL)
    return node_error (error, DMAS_CONFIG_ERROR_VALUE, where,
                       "sweep '%s': a key inside a list cannot be swept; sweep the whole "
                       "list", key);
  return TRUE;
}

/* A map under this key is nesting (sweep: {scheduling: {consensus: [...]}}, which is also
 * what --set sweep.scheduling.consensus=[...] builds), not named values. */
static gboolean
is_section (const gchar *key)
{
  if (strcmp (key, "params") == 0)
    return TRUE;
  if (g_str_has_prefix (key, "params."))
    return strchr (key + strlen ("params."), '.') == NULL;
  const DmasSchemaKey *entry = dmas_schema_find (key);
  return entry != NULL && entry->type == DMAS_SCHEMA_MAP
         && !(entry->flags & DMAS_SCHEMA_CAMPAIGN);
}

static gboolean
check_label (DmasCampaignAxis *axis, const gchar *label, const DmasNode *where, GError **error)
{
  for (guint i = 0; i < axis->labels->len; i++)
    if (strcmp (g_ptr_array_index (axis->labels, i), label) == 0)
      return node_error (error, DMAS_CONFIG_ERROR_VALUE, where,
                         "sweep '%s': the label '%s' appears twice; give each value a distinct "
                         "label, e.g. %s: {a: ..., b: ...}", axis->key, label, axis->key);
  return TRUE;
}

static DmasCampaignAxis *
value_axis (const gchar *key, const DmasNode *where, const DmasNode *value, GError **error)
{
  g_autoptr (GPtrArray) holder = g_ptr_array_new_with_free_func (
      (GDestroyNotify) dmas_campaign_axis_free);
  DmasCampaignAxis *axis = axis_new (key, where);
  g_ptr_array_add (holder, axis);

  if (value->kind == DMAS_NODE_SCALAR)
    {
      node_error (error, DMAS_CONFIG_ERROR_TYPE, value,
                  "sweep '%s': give a list of values, e.g. %s: [a, b], or named values, "
                  "e.g. %s: {a: ..., b: ...}", key, key, key);
      return NULL;
    }
  if (value->values->len == 0)
    {
      node_error (error, DMAS_CONFIG_ERROR_VALUE, value,
                  "sweep '%s': the list of values is empty; give at least one", key);
      return NULL;
    }
  for (guint i = 0; i < value->values->len; i++)
    {
      const DmasNode *item = g_ptr_array_index (value->values, i);
      g_autofree gchar *label = NULL;
      const DmasNode *at = item;
      if (value->kind == DMAS_NODE_MAP)
        {
          label = g_strdup (g_ptr_array_index (value->keys, i));
          at = entry_where (value, i);
        }
      else if (item->kind == DMAS_NODE_SCALAR)
        label = g_strdup (item->scalar);
      else
        label = g_strdup_printf ("%s#%u", key, i + 1);
      if (!check_label (axis, label, at, error))
        return NULL;
      g_ptr_array_add (axis->labels, g_steal_pointer (&label));
      g_ptr_array_add (axis->values, dmas_node_copy (item));
    }
  return g_ptr_array_steal_index (holder, 0);
}

static gboolean collect (GPtrArray *axes, const DmasNode *map, const gchar *prefix,
                         GError **error);

/* Adds the axis, or replaces one of the same key in place: a --set of an axis the file has
 * already overrides it, as --set does for any key. */
static void
add_axis (GPtrArray *axes, DmasCampaignAxis *axis)
{
  for (guint i = 0; i < axes->len; i++)
    {
      DmasCampaignAxis *old = g_ptr_array_index (axes, i);
      if (strcmp (old->key, axis->key) == 0)
        {
          dmas_campaign_axis_free (old);
          axes->pdata[i] = axis;
          return;
        }
    }
  g_ptr_array_add (axes, axis);
}

/* Flattens a variant's map (nested sections allowed, like the sweep's) into dotted keys. */
static gboolean
flatten_into (DmasNode *out, const DmasNode *map, const gchar *prefix, GError **error)
{
  for (guint i = 0; i < map->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (map->keys, i);
      const DmasNode *value = g_ptr_array_index (map->values, i);
      g_autofree gchar *key = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, name)
                                             : g_strdup (name);
      if (value->kind == DMAS_NODE_MAP && is_section (key))
        {
          if (!flatten_into (out, value, key, error))
            return FALSE;
          continue;
        }
      if (!check_key (key, entry_where (map, i), error))
        return FALSE;
      DmasNode *key_node = dmas_node_copy (entry_where (map, i));
      g_free (key_node->scalar);
      key_node->scalar = g_strdup (key);
      key_node->kind = DMAS_NODE_SCALAR;
      dmas_node_set_keyed (out, key_node, dmas_node_copy (value));
    }
  return TRUE;
}

static gboolean
variants_axis (GPtrArray *axes, const DmasNode *where, const DmasNode *list, GError **error)
{
  if (list->kind != DMAS_NODE_SEQ || list->values->len == 0)
    return node_error (error, DMAS_CONFIG_ERROR_TYPE, list,
                       "sweep 'variants': give a non-empty list of maps, e.g. variants: "
                       "[{name: fast, network.latency: 1ms}, {name: slow, ...}]");
  g_autoptr (GPtrArray) holder = g_ptr_array_new_with_free_func (
      (GDestroyNotify) dmas_campaign_axis_free);
  DmasCampaignAxis *axis = axis_new ("variants", where);
  g_ptr_array_add (holder, axis);
  axis->repetitions = g_array_new (FALSE, TRUE, sizeof (guint));
  for (guint i = 0; i < list->values->len; i++)
    {
      const DmasNode *item = g_ptr_array_index (list->values, i);
      if (item->kind != DMAS_NODE_MAP)
        return node_error (error, DMAS_CONFIG_ERROR_TYPE, item,
                           "sweep 'variants': each variant is a map {name: N, KEY: VALUE, ...}");
      const DmasNode *name = dmas_node_get (item, "name");
      if (name == NULL || name->kind != DMAS_NODE_SCALAR || name->scalar[0] == '\0')
        return node_error (error, DMAS_CONFIG_ERROR_VALUE, item,
                           "sweep 'variants': variant %u has no name; add name: N", i + 1);
      if (!check_label (axis, name->scalar, name, error))
        return FALSE;
      guint reps = 0;
      const DmasNode *reps_node = dmas_node_get (item, "repetitions");
      if (reps_node != NULL && !parse_uint (reps_node, "repetitions", &reps, error))
        return FALSE;
      g_autoptr (DmasNode) rest = dmas_node_new_map (item->file, item->base_dir, item->line,
                                                     item->column);
      g_autoptr (DmasNode) body = dmas_node_copy (item);
      for (guint k = body->keys->len; k-- > 0;)
        {
          const gchar *key = g_ptr_array_index (body->keys, k);
          if (strcmp (key, "name") == 0 || strcmp (key, "repetitions") == 0)
            {
              g_ptr_array_remove_index (body->keys, k);
              g_ptr_array_remove_index (body->values, k);
              g_ptr_array_remove_index (body->key_nodes, k);
            }
        }
      if (!flatten_into (rest, body, NULL, error))
        return FALSE;
      g_ptr_array_add (axis->labels, g_strdup (name->scalar));
      g_ptr_array_add (axis->values, g_steal_pointer (&rest));
      g_array_append_val (axis->repetitions, reps);
    }
  add_axis (axes, g_ptr_array_steal_index (holder, 0));
  return TRUE;
}

static gboolean
collect (GPtrArray *axes, const DmasNode *map, const gchar *prefix, GError **error)
{
  for (guint i = 0; i < map->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (map->keys, i);
      const DmasNode *value = g_ptr_array_index (map->values, i);
      const DmasNode *where = entry_where (map, i);
      g_autofree gchar *key = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, name)
                                             : g_strdup (name);
      if (prefix == NULL && strcmp (name, "variants") == 0)
        {
          if (!variants_axis (axes, where, value, error))
            return FALSE;
          continue;
        }
      if (value->kind == DMAS_NODE_MAP && is_section (key))
        {
          if (!collect (axes, value, key, error))
            return FALSE;
          continue;
        }
      if (!check_key (key, where, error))
        return FALSE;
      DmasCampaignAxis *axis = value_axis (key, where, value, error);
      if (axis == NULL)
        return FALSE;
      add_axis (axes, axis);
    }
  return TRUE;
}

/* Detaches root[key] (transfer full), with its key node in *key_out (transfer full). */
static DmasNode *
take_key (DmasNode *root, const gchar *key, DmasNode **key_out)
{
  for (guint i = 0; i < root->keys->len; i++)
    if (strcmp (g_ptr_array_index (root->keys, i), key) == 0)
      {
        *key_out = g_ptr_array_steal_index (root->key_nodes, i);
        g_ptr_array_remove_index (root->keys, i);
        return g_ptr_array_steal_index (root->values, i);
      }
  *key_out = NULL;
  return NULL;
}

gboolean
dmas_campaign_parse_keys (DmasCampaign *c, DmasNode *root, GError **error)
{
  static const gchar *const names[] = { "sweep", "repetitions", "compare", "paired" };
  c->keys = dmas_node_new_map (root->file, root->base_dir, 1, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      DmasNode *key = NULL;
      DmasNode *value = take_key (root, names[i], &key);
      if (value == NULL)
        continue;
      if (key == NULL)
        key = dmas_node_new_scalar (names[i], value->file, value->base_dir, value->line,
                                    value->column);
      dmas_node_set_keyed (c->keys, key, value);
    }

  c->repetitions = 1;
  c->paired = TRUE;
  const DmasNode *sweep = dmas_node_get (c->keys, "sweep");
  if (sweep != NULL && sweep->kind != DMAS_NODE_MAP)
    return node_error (error, DMAS_CONFIG_ERROR_TYPE, sweep,
                       "sweep must be a map of config keys to values, e.g. sweep: "
                       "{scheduling.consensus: [raft, pbft]}");
  if (sweep != NULL && !collect (c->axes, sweep, NULL, error))
    return FALSE;

  const DmasNode *reps = dmas_node_get (c->keys, "repetitions");
  if (reps != NULL && !parse_uint (reps, "repetitions", &c->repetitions, error))
    return FALSE;

  const DmasNode *paired = dmas_node_get (c->keys, "paired");
  if (paired != NULL)
    {
      if (paired->kind == DMAS_NODE_SCALAR && strcmp (paired->scalar, "true") == 0)
        c->paired = TRUE;
      else if (paired->kind == DMAS_NODE_SCALAR && strcmp (paired->scalar, "false") == 0)
        c->paired = FALSE;
      else
        return node_error (error, DMAS_CONFIG_ERROR_TYPE, paired,
                           "paired must be true or false");
    }

  c->compare = -1;
  const DmasNode *compare = dmas_node_get (c->keys, "compare");
  if (compare == NULL)
    {
      /* The first axis with a choice to make is what the campaign compares. */
      for (guint i = 0; i < c->axes->len && c->compare < 0; i++)
        if (((DmasCampaignAxis *) g_ptr_array_index (c->axes, i))->labels->len >= 2)
          c->compare = (gint) i;
      return TRUE;
    }
  if (compare->kind != DMAS_NODE_SCALAR)
    return node_error (error, DMAS_CONFIG_ERROR_TYPE, compare,
                       "compare must name a sweep key, or be 'none'");
  if (strcmp (compare->scalar, "none") == 0)
    return TRUE;
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  for (guint i = 0; i < c->axes->len; i++)
    {
      DmasCampaignAxis *axis = g_ptr_array_index (c->axes, i);
      if (strcmp (axis->key, compare->scalar) == 0)
        {
          c->compare = (gint) i;
          return TRUE;
        }
      g_ptr_array_add (keys, axis->key);
    }
  const gchar *guess = dmas_did_you_mean (compare->scalar, (const gchar *const *) keys->pdata,
                                          keys->len);
  if (guess != NULL)
    return node_error (error, DMAS_CONFIG_ERROR_VALUE, compare,
                       "compare: '%s' is not a sweep key (did you mean '%s'?)", compare->scalar,
                       guess);
  return node_error (error, DMAS_CONFIG_ERROR_VALUE, compare,
                     "compare: '%s' is not a sweep key; name one of the keys under sweep:, "
                     "or write compare: none", compare->scalar);
}

void
dmas_campaign_set_path (DmasNode *root, const gchar *path, DmasNode *value)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  DmasNode *map = root;
  guint n = g_strv_length (parts);
  for (guint i = 0; i + 1 < n; i++)
    {
      DmasNode *next = dmas_node_get (map, parts[i]);
      if (next == NULL || next->kind != DMAS_NODE_MAP)
        {
          next = dmas_node_new_map (value->file, value->base_dir, value->line, value->column);
          dmas_node_set (map, parts[i], next);
        }
      map = next;
    }
  dmas_node_set (map, parts[n - 1], value);
}

static void
append_flow (GString *out, const DmasNode *node)
{
  switch (node->kind)
    {
    case DMAS_NODE_SCALAR:
      if (node->quoted)
        {
          g_autofree gchar *escaped = g_strescape (node->scalar, NULL);
          g_string_append_printf (out, "\"%s\"", escaped);
        }
      else
        g_string_append (out, node->scalar);
      break;
    case DMAS_NODE_SEQ:
      g_string_append_c (out, '[');
      for (guint i = 0; i < node->values->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_flow (out, g_ptr_array_index (node->values, i));
        }
      g_string_append_c (out, ']');
      break;
    case DMAS_NODE_MAP:
      g_string_append_c (out, '{');
      for (guint i = 0; i < node->keys->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          g_string_append_printf (out, "%s: ", (const gchar *) g_ptr_array_index (node->keys, i));
          append_flow (out, g_ptr_array_index (node->values, i));
        }
      g_string_append_c (out, '}');
      break;
    default:
      g_assert_not_reached ();
    }
}

gchar *
dmas_campaign_flow_yaml (const DmasNode *node)
{
  GString *out = g_string_new (NULL);
  append_flow (out, node);
  return g_string_free (out, FALSE);
}

gchar *
dmas_campaign_sha256 (const gchar *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}
