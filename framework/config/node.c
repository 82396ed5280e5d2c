/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The config node tree: construction, lookup, replacement, copy and error positions. */
/* Angle brackets on purpose: a quoted "config.h" would find config/config.h next to this file
 * instead of the build's config.h. */
#include <config.h>

#include <string.h>

#include "config/node.h"
#include "config/node-private.h"

G_DEFINE_QUARK (dmas-config-error-quark, dmas_config_error)

static DmasNode *
node_new (DmasNodeKind kind, const gchar *file, const gchar *base_dir, guint line, guint column)
{
  DmasNode *node = g_new0 (DmasNode, 1);

  node->kind = kind;
  node->file = g_strdup (file != NULL ? file : "<unknown>");
  node->base_dir = g_strdup (base_dir);
  node->line = line;
  node->column = column;
  if (kind == DMAS_NODE_MAP)
    {
      node->keys = g_ptr_array_new_with_free_func (g_free);
      node->key_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) dmas_node_free);
    }
  if (kind != DMAS_NODE_SCALAR)
    node->values = g_ptr_array_new_with_free_func ((GDestroyNotify) dmas_node_free);
  return node;
}

DmasNode *
dmas_node_new_scalar (const gchar *text, const gchar *file, const gchar *base_dir, guint line,
                      guint column)
{
  DmasNode *node = node_new (DMAS_NODE_SCALAR, file, base_dir, line, column);

  node->scalar = g_strdup (text != NULL ? text : "");
  return node;
}

DmasNode *
dmas_node_new_map (const gchar *file, const gchar *base_dir, guint line, guint column)
{
  return node_new (DMAS_NODE_MAP, file, base_dir, line, column);
}

void
dmas_node_free (DmasNode *node)
{
  if (node == NULL)
    return;
  g_free (node->file);
  g_free (node->base_dir);
  g_free (node->scalar);
  if (node->keys != NULL)
    g_ptr_array_unref (node->keys);
  if (node->key_nodes != NULL)
    g_ptr_array_unref (node->key_nodes);
  if (node->values != NULL)
    g_ptr_array_unref (node->values);
  g_free (node);
}

DmasNode *
dmas_node_copy (const DmasNode *node)
{
  DmasNode *copy;

  if (node == NULL)
    return NULL;
  copy = node_new (node->kind, node->file, node->base_dir, node->line, node->column);
  copy->scalar = g_strdup (node->scalar);
  copy->quoted = node->quoted;
  if (node->kind == DMAS_NODE_MAP)
    for (guint i = 0; i < node->keys->len; i++)
      {
        g_ptr_array_add (copy->keys, g_strdup (g_ptr_array_index (node->keys, i)));
        g_ptr_array_add (copy->key_nodes, dmas_node_copy (g_ptr_array_index (node->key_nodes, i)));
      }
  if (node->values != NULL)
    for (guint i = 0; i < node->values->len; i++)
      g_ptr_array_add (copy->values, dmas_node_copy (g_ptr_array_index (node->values, i)));
  return copy;
}

static gint
map_index (const DmasNode *map, const gchar *key)
{
  if (map == NULL || map->kind != DMAS_NODE_MAP)
    return -1;
  for (guint i = 0; i < map->keys->len; i++)
    if (strcmp (g_ptr_array_index (map->keys, i), key) == 0)
      return (gint) i;
  return -1;
}

DmasNode *
dmas_node_get (const DmasNode *map, const gchar *key)
{
  gint i = map_index (map, key);

  return i < 0 ? NULL : g_ptr_array_index (map->values, i);
}

DmasNode *
dmas_node_get_key_node (const DmasNode *map, const gchar *key)
{
  gint i = map_index (map, key);

  return i < 0 ? NULL : g_ptr_array_index (map->key_nodes, i);
}

DmasNode *
dmas_node_lookup (const DmasNode *root, const gchar *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  const DmasNode *node = root;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    node = dmas_node_get (node, parts[i]);
  return (DmasNode *) node;
}

void
dmas_node_set_keyed (DmasNode *map, DmasNode *key, DmasNode *value)
{
  gint i;

  g_return_if_fail (map != NULL && map->kind == DMAS_NODE_MAP);
  g_return_if_fail (key != NULL && key->kind == DMAS_NODE_SCALAR);

  i = map_index (map, key->scalar);
  if (i < 0)
    {
      g_ptr_array_add (map->keys, g_strdup (key->scalar));
      g_ptr_array_add (map->key_nodes, key);
      g_ptr_array_add (map->values, value);
      return;
    }
  /* Replacing in place keeps the document order, so an override does not move the key to
   * the end of the emitted YAML. */
  dmas_node_free (g_ptr_array_index (map->key_nodes, i));
  dmas_node_free (g_ptr_array_index (map->values, i));
  map->key_nodes->pdata[i] = key;
  map->values->pdata[i] = value;
}

void
dmas_node_set (DmasNode *map, const gchar *key, DmasNode *value)
{
  DmasNode *key_node;

  g_return_if_fail (value != NULL);
  /* Without a position of its own, the key is taken to be written where its value is. */
  key_node = dmas_node_new_scalar (key, value->file, value->base_dir, value->line, value->column);
  dmas_node_set_keyed (map, key_node, value);
}

gchar *
dmas_node_where (const DmasNode *node)
{
  /* Nodes made up by the host (defaults) have no line; naming their origin is all we can do. */
  if (node->line == 0)
    return g_strdup_printf ("%s: ", node->file);
  return g_strdup_printf ("%s:%u:%u: ", node->file, node->line, node->column);
}

DmasNode *
dmas_node_new_seq (const gchar *file, const gchar *base_dir, guint line, guint column)
{
  return node_new (DMAS_NODE_SEQ, file, base_dir, line, column);
}

gboolean
dmas_node_is_null (const DmasNode *node)
{
  return node->kind == DMAS_NODE_SCALAR && !node->quoted
         && (node->scalar[0] == '\0' || strcmp (node->scalar, "~") == 0
             || strcmp (node->scalar, "null") == 0 || strcmp (node->scalar, "Null") == 0
             || strcmp (node->scalar, "NULL") == 0);
}

void
dmas_node_set_error (GError **error, const DmasNode *node, DmasConfigError code,
                     const gchar *format, ...)
{
  g_autofree gchar *where = dmas_node_where (node);
  g_autofree gchar *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, DMAS_CONFIG_ERROR, code, "%s%s", where, msg);
}
