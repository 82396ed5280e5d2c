/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Component parameters: checks values against a component's specs and fills the defaults. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "plugin/plugin-private.h"

const gchar *
dmas_param_type_to_string (DmasParamType type)
{
  switch (type)
    {
    case DMAS_PARAM_INT:
      return "int";
    case DMAS_PARAM_DOUBLE:
      return "double";
    case DMAS_PARAM_BOOL:
      return "bool";
    case DMAS_PARAM_STRING:
      return "string";
    case DMAS_PARAM_DURATION:
      return "duration";
    default:
      return NULL;
    }
}

gboolean
dmas_param_name_valid (const gchar *name)
{
  gsize len = 0;

  if (name == NULL)
    return FALSE;
  for (const gchar *p = name; *p != '\0'; p++, len++)
    if (len >= DMAS_COMPONENT_NAME_MAX
        || !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
      return FALSE;
  return len > 0;
}

/* YAML 1.2 core-schema booleans only: "yes"/"no" are strings there, and accepting them here
 * would make the same word mean different things in different places. */
static gboolean
parse_bool (const gchar *text)
{
  static const gchar *const words[] = { "true", "True", "TRUE", "false", "False", "FALSE" };

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (text, words[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
dmas_param_value_check (DmasParamType type, const gchar *text, GError **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  switch (type)
    {
    case DMAS_PARAM_INT:
      {
        gint64 value;
        if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
          {
            g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                         "expected an integer such as 42, got '%s'", text);
            return FALSE;
          }
        return TRUE;
      }
    case DMAS_PARAM_DOUBLE:
      {
        gchar *end = NULL;
        gdouble value = g_ascii_strtod (text, &end);
        if (text[0] == '\0' || end == NULL || *end != '\0' || !isfinite (value))
          {
            g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                         "expected a number such as 0.5, got '%s'", text);
            return FALSE;
          }
        return TRUE;
      }
    case DMAS_PARAM_BOOL:
      if (!parse_bool (text))
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                       "expected true or false, got '%s'", text);
          return FALSE;
        }
      return TRUE;
    case DMAS_PARAM_STRING:
      return TRUE;
    case DMAS_PARAM_DURATION:
      {
        guint64 ns;
        g_autoptr (GError) local = NULL;
        if (!dmas_parse_duration (text, &ns, &local))
          {
            g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS, "%s",
                         local->message);
            return FALSE;
          }
        return TRUE;
      }
    default:
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                   "unknown parameter type %d", (int) type);
      return FALSE;
    }
}

static const DmasParamSpec *
find_spec (const DmasParamSpec *params, const gchar *name)
{
  for (guint i = 0; params[i].name != NULL; i++)
    if (strcmp (params[i].name, name) == 0)
      return &params[i];
  return NULL;
}

static void
set_unknown_error (const DmasComponentInfo *info, const gchar *label, const gchar *where,
                   const gchar *key, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const gchar *guess;

  for (guint i = 0; info->params[i].name != NULL; i++)
    g_ptr_array_add (names, (gpointer) info->params[i].name);
  if (names->len == 0)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                   "%sunknown parameter '%s' for %s (it takes no parameters)", where, key,
                   label);
      return;
    }
  guess = dmas_did_you_mean (key, (const gchar *const *) names->pdata, names->len);
  if (guess != NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                   "%sunknown parameter '%s' for %s (did you mean '%s'?)", where, key, label,
                   guess);
      return;
    }
  g_ptr_array_add (names, NULL);
  {
    g_autofree gchar *known = g_strjoinv (", ", (gchar **) names->pdata);
    g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                 "%sunknown parameter '%s' for %s (it takes: %s)", where, key, label, known);
  }
}

/* Checks every given entry, in document order, so the first error the user sees is the
 * first one in the file. */
static gboolean
check_given (const DmasComponentInfo *info, const gchar *label, const DmasNode *given,
             GError **error)
{
  g_autofree gchar *map_where = dmas_node_where (given);

  if (given->kind != DMAS_NODE_MAP)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                   "%sthe parameters of %s must be a map of name: value", map_where, label);
      return FALSE;
    }
  for (guint i = 0; i < given->keys->len; i++)
    {
      const gchar *key = g_ptr_array_index (given->keys, i);
      const DmasNode *value = g_ptr_array_index (given->values, i);
      /* Name errors point at the key when the parser kept its position. */
      const DmasNode *key_node = given->key_nodes != NULL && i < given->key_nodes->len
                                     ? g_ptr_array_index (given->key_nodes, i)
                                     : value;
      g_autofree gchar *key_where = dmas_node_where (key_node);
      g_autofree gchar *where = dmas_node_where (value);
      const DmasParamSpec *spec = find_spec (info->params, key);
      g_autoptr (GError) local = NULL;

      if (spec == NULL)
        {
          set_unknown_error (info, label, key_where, key, error);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (g_ptr_array_index (given->keys, j), key) == 0)
          {
            g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                         "%sparameter '%s' of %s is given twice", key_where, key, label);
            return FALSE;
          }
      if (value->kind != DMAS_NODE_SCALAR)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                       "%sparameter '%s' of %s must be a single %s value, not a %s", where,
                       key, label, dmas_param_type_to_string (spec->type),
                       value->kind == DMAS_NODE_MAP ? "map" : "list");
          return FALSE;
        }
      if (!dmas_param_value_check (spec->type, value->scalar, &local))
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_PARAMS,
                       "%sparameter '%s' of %s: %s", where, key, label, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

DmasNode *
dmas_component_resolve_params (const DmasComponentInfo *info, const DmasNode *given,
                               GError **error)
{
  g_autofree gchar *label = NULL;
  DmasNode *result;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  label = g_strdup_printf ("%s/%s", dmas_kind_to_string (info->kind), info->name);
  if (given != NULL && !check_given (info, label, given, error))
    return NULL;

  if (given != NULL)
    result = dmas_node_new_map (given->file, given->base_dir, given->line, given->column);
  else
    result = dmas_node_new_map ("<defaults>", NULL, 0, 0);
  /* Spec order, not document order: the resolved config then reads the same whatever order
   * the user wrote the keys in. */
  for (guint i = 0; info->params[i].name != NULL; i++)
    {
      const DmasParamSpec *spec = &info->params[i];
      const DmasNode *value = given != NULL ? dmas_node_get (given, spec->name) : NULL;
      g_autofree gchar *origin = NULL;

      if (value != NULL)
        {
          const DmasNode *key = dmas_node_get_key_node (given, spec->name);
          if (key != NULL)
            dmas_node_set_keyed (result, dmas_node_copy (key), dmas_node_copy (value));
          else
            dmas_node_set (result, spec->name, dmas_node_copy (value));
          continue;
        }
      origin = g_strdup_printf ("<default of %s>", label);
      dmas_node_set (result, spec->name,
                     dmas_node_new_scalar (spec->default_value, origin, NULL, 0, 0));
    }
  return result;
}
