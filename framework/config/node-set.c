/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --set KEY.PATH=VALUE: command-line overrides applied to a parsed config tree. */
#include <config.h>

#include <string.h>

#include "config/node.h"
#include "config/node-private.h"

#define SET_FILE "<command line>"

static void
set_error (GError **error, guint column, const gchar *assignment, const gchar *message)
{
  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
               SET_FILE ":1:%u: --set '%s': %s", column, assignment, message);
}

static const gchar *
kind_name (const DmasNode *node)
{
  return node->kind == DMAS_NODE_SEQ ? "a list" : "a single value";
}

gboolean
dmas_node_apply_set (DmasNode *root, const gchar *assignment, GError **error)
{
  const gchar *eq = strchr (assignment, '=');
  g_autofree gchar *cwd = g_get_current_dir ();
  g_autofree gchar *path = NULL;
  g_auto (GStrv) parts = NULL;
  g_autoptr (GError) local = NULL;
  DmasNode *map = root;
  DmasNode *value;
  guint column = 1;
  guint n;

  g_return_val_if_fail (root != NULL && root->kind == DMAS_NODE_MAP, FALSE);

  if (eq == NULL)
    {
      set_error (error, 1, assignment,
                 "missing '='; write KEY=VALUE, e.g. --set network.latency=5ms");
      return FALSE;
    }
  path = g_strndup (assignment, (gsize) (eq - assignment));
  parts = g_strsplit (path, ".", -1);
  n = g_strv_length (parts);
  if (n == 0)
    {
      set_error (error, 1, assignment, "empty key; write KEY=VALUE, e.g. --set seed=7");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (parts[i][0] == '\0')
        {
          set_error (error, column, assignment,
                     n == 1 ? "empty key; write KEY=VALUE, e.g. --set seed=7"
                            : "empty part in the key; separate names with single dots, "
                              "e.g. --set workload.jobs=100");
          return FALSE;
        }
      column += (guint) strlen (parts[i]) + 1;
    }

  /* Walk down, creating the maps that the file did not have.  Reaching a scalar or a list on
   * the way is an error rather than a silent replacement of what the file says. */
  column = 1;
  for (guint i = 0; i + 1 < n; i++)
    {
      DmasNode *next = dmas_node_get (map, parts[i]);

      if (next == NULL)
        {
          next = dmas_node_new_map (SET_FILE, cwd, 1, column);
          dmas_node_set_keyed (map, dmas_node_new_scalar (parts[i], SET_FILE, cwd, 1, column),
                               next);
        }
      else if (next->kind != DMAS_NODE_MAP)
        {
          g_autofree gchar *prefix = g_strndup (path, column - 1 + strlen (parts[i]));
          g_autofree gchar *msg = g_strdup_printf (
              "'%s' is %s (given at %s:%u:%u), not a map, so it has no key '%s'", prefix,
              kind_name (next), next->file, next->line, next->column, parts[i + 1]);

          set_error (error, column, assignment, msg);
          return FALSE;
        }
      map = next;
      column += (guint) strlen (parts[i]) + 1;
    }

  value = dmas_node_parse_value (eq + 1, SET_FILE, cwd, (guint) (eq + 1 - assignment), &local);
  if (value == NULL)
    {
      /* Put the argument between the position and the parser's message, like other errors. */
      const gchar *msg = strstr (local->message + strlen (SET_FILE) + 1, ": ");
      gsize where_len = msg != NULL ? (gsize) (msg - local->message) : 0;

      g_set_error (error, DMAS_CONFIG_ERROR, local->code, "%.*s: --set '%s': %s",
                   (int) where_len, local->message, assignment,
                   msg != NULL ? msg + 2 : local->message);
      return FALSE;
    }
  dmas_node_set_keyed (map, dmas_node_new_scalar (parts[n - 1], SET_FILE, cwd, 1, column),
                       value);
  return TRUE;
}
