/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks a user's config tree against the schema, in document order, one error at a time. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "config/node-private.h"
#include "config/schema.h"

/* ---- describing what was expected and what was found ---- */

/* `faults:` is the only list with open items (DMAS_SCHEMA_OPEN_ITEMS). */
#define OPEN_ITEM_EXAMPLE "{type: crash, at: 30s}"

/* `faults:` as a preset ({intensity: medium}): dmas_faults_fill_config expands it into
 * entries once the plugins are known; here only its own keys are checked. */
static const gchar *const preset_intensities[] = { "none", "light", "medium", "heavy", "chaos",
                                                   NULL };
static const gchar *const preset_types[] = { "crash", "partition", "link", "byzantine",
                                             "degrade", NULL };

static gchar *join_values (const gchar *const *values);

static gboolean
check_preset_word (const DmasNode *value, const gchar *const *allowed, const gchar *display,
                   GError **error)
{
  if (value->kind == DMAS_NODE_SCALAR && g_strv_contains (allowed, value->scalar))
    return TRUE;
  g_autofree gchar *list = join_values (allowed);
  dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE, "%s: '%s' is not one of %s",
                       display, value->kind == DMAS_NODE_SCALAR ? value->scalar : "(a list)",
                       list);
  return FALSE;
}

static gboolean
check_fault_preset (const DmasNode *map, const gchar *display, GError **error)
{
  static const gchar *const keys[] = { "intensity", "types", "pattern", NULL };
  static const gchar *const patterns[] = { "random", NULL };

  for (guint i = 0; i < map->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (map->keys, i);
      const DmasNode *value = g_ptr_array_index (map->values, i);
      g_autofree gchar *key_display = g_strconcat (display, ".", name, NULL);

      if (!g_strv_contains (keys, name))
        {
          dmas_node_set_error (error, g_ptr_array_index (map->key_nodes, i),
                               DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                               "%s: unknown key; a preset takes intensity (none, light, "
                               "medium, heavy, chaos), types and pattern, e.g. "
                               "'{intensity: medium, types: [crash, partition]}'", key_display);
          return FALSE;
        }
      if (strcmp (name, "intensity") == 0
          && !check_preset_word (value, preset_intensities, key_display, error))
        return FALSE;
      if (strcmp (name, "pattern") == 0
          && !check_preset_word (value, patterns, key_display, error))
        return FALSE;
      if (strcmp (name, "types") == 0)
        {
          if (value->kind != DMAS_NODE_SEQ || value->values->len == 0)
            {
              dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE,
                                   "%s: give a list of fault types, e.g. [crash, partition]",
                                   key_display);
              return FALSE;
            }
          for (guint t = 0; t < value->values->len; t++)
            {
              g_autofree gchar *item_display = g_strdup_printf ("%s[%u]", key_display, t);
              if (!check_preset_word (g_ptr_array_index (value->values, t), preset_types,
                                      item_display, error))
                return FALSE;
            }
        }
    }
  if (dmas_node_get (map, "intensity") == NULL)
    {
      dmas_node_set_error (error, map, DMAS_CONFIG_ERROR_VALUE,
                           "%s: a preset needs 'intensity' (none, light, medium, heavy or "
                           "chaos), e.g. '{intensity: medium}'", display);
      return FALSE;
    }
  return TRUE;
}

static gchar *
join_values (const gchar *const *values)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; values[i] != NULL; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? "" : ", ", values[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gchar *
format_bound (const DmasSchemaKey *key, gdouble v)
{
  if (key->type == DMAS_SCHEMA_DURATION)
    return dmas_format_duration ((guint64) v);
  return g_strdup_printf ("%g", v);
}

/* "a map of keys, e.g. '{latency: 1ms}'", the example being the section's first key. */
static gchar *
describe_section (const DmasSchemaKey *section)
{
  gsize n_keys;
  const DmasSchemaKey *keys = dmas_schema_keys (&n_keys);

  for (gsize k = 0; k < n_keys; k++)
    if (dmas_schema_is_child (&keys[k], section->path) && keys[k].default_yaml != NULL
        && !(keys[k].flags & DMAS_SCHEMA_LATER))
      return g_strdup_printf ("a map of keys, e.g. '{%s: %s}'", dmas_schema_key_name (&keys[k]),
                              keys[k].default_yaml);
  return g_strdup ("a map of keys");
}

static gchar *
describe_expected (const DmasSchemaKey *key)
{
  g_autofree gchar *lo = format_bound (key, key->min);
  g_autofree gchar *hi = format_bound (key, key->max);
  g_autofree gchar *values = NULL;
  g_autofree gchar *range = NULL;
  const gchar *what = "a value";

  switch (key->type)
    {
    case DMAS_SCHEMA_STRING:
      return g_strdup ((key->flags & DMAS_SCHEMA_IDENT)
                           ? "a name made of letters, digits, '.', '_' and '-'" : "a string");
    case DMAS_SCHEMA_INT: what = "an integer"; break;
    case DMAS_SCHEMA_DOUBLE: what = "a number"; break;
    case DMAS_SCHEMA_DURATION: what = "a duration"; break;
    case DMAS_SCHEMA_BOOL: return g_strdup ("true or false");
    case DMAS_SCHEMA_PATHS: return g_strdup ("a directory or a list of directories");
    case DMAS_SCHEMA_ENUM:
      values = join_values (key->values);
      return g_strdup_printf ("one of: %s", values);
    case DMAS_SCHEMA_MAP: return describe_section (key);
    case DMAS_SCHEMA_OPEN_MAP:
      return g_strdup ("a map from component names to maps of parameters, "
                       "e.g. '{auction: {deadline: 50ms}}'");
    case DMAS_SCHEMA_SEQ_OF_MAPS:
      if (key->flags & DMAS_SCHEMA_OPEN_ITEMS)
        return g_strdup ("a list of entries, e.g. '[" OPEN_ITEM_EXAMPLE "]'");
      return g_strdup ("a list of maps, e.g. '[{nodes: 4, cores: 32}]'");
    case DMAS_SCHEMA_FILE: return g_strdup ("a file name");
    case DMAS_SCHEMA_DIST:
      return g_strdup ("a value or a distribution, e.g. '{dist: uniform, min: 1, max: 8}'");
    case DMAS_SCHEMA_JOB_MIX:
      return g_strdup ("by-gpus, or a map of job types to weights, e.g. '{hpc: 0.8, ai: 0.2}'");
    }
  if ((key->flags & DMAS_SCHEMA_HAS_MIN) && (key->flags & DMAS_SCHEMA_HAS_MAX))
    range = g_strdup_printf (" between %s and %s", lo, hi);
  else if ((key->flags & DMAS_SCHEMA_HAS_MAX) && !(key->flags & DMAS_SCHEMA_HAS_MIN))
    range = g_strdup_printf (" <= %s", hi);
  else if (key->flags & DMAS_SCHEMA_HAS_MIN)
    range = g_strdup_printf (" %s %s", (key->flags & DMAS_SCHEMA_MIN_EXCLUSIVE) ? ">" : ">=",
                             lo);
  return g_strdup_printf ("%s%s", what, range != NULL ? range : "");
}

static gchar *
describe_found (const DmasNode *node)
{
  if (node->kind == DMAS_NODE_MAP)
    return g_strdup ("a map");
  if (node->kind == DMAS_NODE_SEQ)
    return g_strdup ("a list");
  if (dmas_node_is_null (node))
    return g_strdup ("nothing");
  if (node->quoted)
    return g_strdup_printf ("the quoted string '%s'", node->scalar);
  return g_strdup_printf ("'%s'", node->scalar);
}

static gboolean
type_error (GError **error, const DmasSchemaKey *key, const DmasNode *value,
            const gchar *display)
{
  g_autofree gchar *expected = describe_expected (key);
  g_autofree gchar *found = describe_found (value);
  g_autofree gchar *example = NULL;

  if (key->default_yaml != NULL && key->type != DMAS_SCHEMA_OPEN_MAP
      && key->type != DMAS_SCHEMA_PATHS)
    example = g_strdup_printf (" (e.g. '%s: %s')", dmas_schema_key_name (key),
                               key->default_yaml);
  if (dmas_node_is_null (value))
    dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE,
                         "%s: no value given; write %s%s or remove the key to use the default",
                         display, expected, example != NULL ? example : "");
  else
    dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE, "%s: expected %s%s, found %s",
                         display, expected, example != NULL ? example : "", found);
  return FALSE;
}

static gboolean
range_ok (const DmasSchemaKey *key, gdouble v)
{
  if ((key->flags & DMAS_SCHEMA_HAS_MIN)
      && ((key->flags & DMAS_SCHEMA_MIN_EXCLUSIVE) ? v <= key->min : v < key->min))
    return FALSE;
  return !(key->flags & DMAS_SCHEMA_HAS_MAX) || v <= key->max;
}

static DmasNode *
range_error (GError **error, const DmasSchemaKey *key, const DmasNode *value,
             const gchar *display)
{
  g_autofree gchar *expected = describe_expected (key);

  dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE, "%s: '%s' is out of range; "
                       "expected %s", display, value->scalar, expected);
  return NULL;
}

/* ---- canonical scalars ---- */

/* Strings that YAML readers (PyYAML's 1.1 rules included) would take for something else are
 * written quoted, so the resolved config means the same to every reader. */
static gboolean
looks_like_non_string (const gchar *s)
{
  static const gchar *const words[] = { "", "~", "null", "Null", "NULL", "true", "True",
                                        "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES",
                                        "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
                                        "y", "Y", "n", "N" };
  gchar *end = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (s, words[i]) == 0)
      return TRUE;
  g_ascii_strtod (s, &end);
  return end != s && *end == '\0';
}

static DmasNode *
canonical_scalar (const DmasNode *at, const gchar *text, gboolean quoted)
{
  DmasNode *node = dmas_node_new_scalar (text, at->file, at->base_dir, at->line, at->column);

  node->quoted = quoted;
  return node;
}


#define IDENT_CHARS G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "._-"

static gboolean
is_ident (const gchar *s)
{
  return *s != '\0' && strspn (s, IDENT_CHARS) == strlen (s);
}

/* ---- per-type checks ---- */

static DmasNode *
check_enum (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
            GError **error)
{
  const gchar *suggestion;

  if (g_strv_contains (key->values, value->scalar))
    return canonical_scalar (value, value->scalar, FALSE);
  if (key->later != NULL && g_strv_contains (key->later, value->scalar))
    {
      g_autofree gchar *values = join_values (key->values);

      if (key->values[1] == NULL)
        dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_UNSUPPORTED,
                             "%s: '%s' is not supported yet; use '%s'", display, value->scalar,
                             values);
      else
        dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_UNSUPPORTED,
                             "%s: '%s' is not supported yet; use one of: %s", display,
                             value->scalar, values);
      return NULL;
    }
  suggestion = dmas_did_you_mean (value->scalar, (const gchar *const *) key->values,
                                  g_strv_length ((gchar **) key->values));
  if (suggestion != NULL)
    {
      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE,
                           "%s: unknown value '%s' (did you mean '%s'?)", display,
                           value->scalar, suggestion);
      return NULL;
    }
  return NULL;
}

static DmasNode *
check_path (const DmasNode *value, const gchar *display, GError **error)
{
  if (value->kind != DMAS_NODE_SCALAR || dmas_node_is_null (value) || value->scalar[0] == '\0')
    {
      g_autofree gchar *found = describe_found (value);

      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE,
                           "%s: expected a directory, found %s", display, found);
      return NULL;
    }
  /* Relative to the directory of the file that wrote it (the working directory for --set),
   * so that a config means the same from wherever dmas is started. */
  {
    g_autofree gchar *abs = g_canonicalize_filename (value->scalar, value->base_dir);
    DmasNode *node = canonical_scalar (value, abs, FALSE);

    node->quoted = looks_like_non_string (abs);
    return node;
  }
}

static DmasNode *
check_paths (const DmasNode *value, const gchar *display, GError **error)
{
  g_autoptr (DmasNode) list = dmas_node_new_seq (value->file, value->base_dir, value->line,
                                                 value->column);
  const DmasNode *const *items = (const DmasNode *const *) &value;
  guint n = 1;

  if (value->kind == DMAS_NODE_SEQ)
    {
      items = (const DmasNode *const *) value->values->pdata;
      n = value->values->len;
    }
  for (guint i = 0; i < n; i++)
    {
      DmasNode *path = check_path (items[i], display, error);

      if (path == NULL)
        return NULL;
      g_ptr_array_add (list->values, path);
    }
  return g_steal_pointer (&list);
}

/* Each returns the canonical node, or NULL with *error set, or NULL without it when the text
 * is not of the key's type at all (the caller then reports what was expected). */

static DmasNode *
check_int (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
           GError **error)
{
  g_autofree gchar *text = NULL;
  gint64 v;

  if (value->quoted
      || !g_ascii_string_to_signed (value->scalar, 10, G_MININT64, G_MAXINT64, &v, NULL))
    return NULL;
  if (!range_ok (key, (gdouble) v))
    return range_error (error, key, value, display);
  text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
  return canonical_scalar (value, text, FALSE);
}

static DmasNode *
check_double (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
              GError **error)
{
  g_autofree gchar *text = NULL;
  gchar *end = NULL;
  gdouble v = g_ascii_strtod (value->scalar, &end);

  if (value->quoted || end == value->scalar || *end != '\0' || !isfinite (v))
    return NULL;
  if (!range_ok (key, v))
    return range_error (error, key, value, display);
  text = dmas_format_double (v);
  return canonical_scalar (value, text, FALSE);
}

static DmasNode *
check_bool (const DmasNode *value)
{
  static const gchar *const yes[] = { "true", "True", "TRUE", NULL };
  static const gchar *const no[] = { "false", "False", "FALSE", NULL };

  if (value->quoted)
    return NULL;
  if (g_strv_contains (yes, value->scalar))
    return canonical_scalar (value, "true", FALSE);
  if (g_strv_contains (no, value->scalar))
    return canonical_scalar (value, "false", FALSE);
  return NULL;
}

static DmasNode *
check_duration (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
                GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree gchar *text = NULL;
  guint64 ns;

  if (!dmas_parse_duration (value->scalar, &ns, &local))
    {
      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE, "%s: %s", display,
                           local->message);
      return NULL;
    }
  if (!range_ok (key, (gdouble) ns))
    return range_error (error, key, value, display);
  text = dmas_format_duration (ns);
  return canonical_scalar (value, text, FALSE);
}

static DmasNode *
check_string (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
              GError **error)
{
  if ((key->flags & DMAS_SCHEMA_IDENT) && !is_ident (value->scalar))
    {
      g_autofree gchar *fixed = g_strcanon (g_strdup (value->scalar), IDENT_CHARS, '-');

      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE,
                           "%s: '%s' may contain only letters, digits, '.', '_' and '-' "
                           "(e.g. '%s')", display, value->scalar, fixed);
      return NULL;
    }
  return canonical_scalar (value, value->scalar, looks_like_non_string (value->scalar));
}

static DmasNode *check_scalar (const DmasSchemaKey *key, const DmasNode *value,
                               const gchar *display, GError **error);

/* `seed: "42"` is a string in YAML; say so only when the quotes are the whole problem. */
static gboolean
unquoted_would_do (const DmasSchemaKey *key, const DmasNode *value, const gchar *display)
{
  g_autoptr (DmasNode) bare = dmas_node_copy (value);
  g_autoptr (DmasNode) checked = NULL;

  bare->quoted = FALSE;
  checked = check_scalar (key, bare, display, NULL);
  return checked != NULL;
}

static DmasNode *
check_scalar (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
              GError **error)
{
  g_autoptr (GError) local = NULL;
  DmasNode *node = NULL;

  switch (key->type)
    {
    case DMAS_SCHEMA_STRING: node = check_string (key, value, display, &local); break;
    case DMAS_SCHEMA_INT: node = check_int (key, value, display, &local); break;
    case DMAS_SCHEMA_DOUBLE: node = check_double (key, value, display, &local); break;
    case DMAS_SCHEMA_BOOL: node = check_bool (value); break;
    case DMAS_SCHEMA_DURATION: node = check_duration (key, value, display, &local); break;
    case DMAS_SCHEMA_ENUM: node = check_enum (key, value, display, &local); break;
    default: g_assert_not_reached ();
    }
  if (node != NULL)
    return node;
  if (local != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  else if (value->quoted && key->type != DMAS_SCHEMA_STRING && key->type != DMAS_SCHEMA_ENUM
           && key->type != DMAS_SCHEMA_DURATION && unquoted_would_do (key, value, display))
    {
      g_autofree gchar *expected = describe_expected (key);

      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE,
                           "%s: expected %s, found the quoted string '%s'; remove the quotes",
                           display, expected, value->scalar);
    }
  else
    type_error (error, key, value, display);
  return NULL;
}

/* "auction" and "consensus/auction" would silently shadow each other. */
static gboolean
check_params_names (const DmasNode *params, const gchar *display, GError **error)
{
  for (guint i = 0; i < params->keys->len; i++)
    {
      const gchar *key = g_ptr_array_index (params->keys, i);
      const gchar *slash = strchr (key, '/');
      const gchar *other = slash != NULL ? slash + 1 : NULL;

      if (other != NULL && dmas_node_get (params, other) != NULL)
        {
          DmasNode *a = dmas_node_get_key_node (params, key);
          DmasNode *b = dmas_node_get_key_node (params, other);

          gboolean a_later = a->line > b->line || (a->line == b->line && a->column > b->column);

          dmas_node_set_error (error, a_later ? a : b, DMAS_CONFIG_ERROR_VALUE,
                               "%s: '%s' and '%s' name the same component; merge them into one",
                               display, other, key);
          return FALSE;
        }
    }
  return TRUE;
}

DmasNode *
dmas_schema_check_value (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
                         GError **error)
{
  switch (key->type)
    {
    case DMAS_SCHEMA_PATHS:
      if (dmas_node_is_null (value) || value->kind == DMAS_NODE_MAP)
        break;
      return check_paths (value, display, error);
    case DMAS_SCHEMA_MAP:
      if (value->kind != DMAS_NODE_MAP)
        break;
      return dmas_node_copy (value);
    case DMAS_SCHEMA_OPEN_MAP:
      if (value->kind != DMAS_NODE_MAP)
        break;
      for (guint i = 0; i < value->values->len; i++)
        {
          const DmasNode *item = g_ptr_array_index (value->values, i);

          if (item->kind != DMAS_NODE_MAP)
            {
              g_autofree gchar *found = describe_found (item);

              dmas_node_set_error (error, item, DMAS_CONFIG_ERROR_TYPE,
                                   "%s.%s: expected a map of parameters, e.g. "
                                   "'{deadline: 50ms}', found %s", display,
                                   (const gchar *) g_ptr_array_index (value->keys, i), found);
              return NULL;
            }
        }
      return check_params_names (value, display, error) ? dmas_node_copy (value) : NULL;
    case DMAS_SCHEMA_SEQ_OF_MAPS:
      if (value->kind == DMAS_NODE_MAP && (key->flags & DMAS_SCHEMA_OPEN_ITEMS))
        return check_fault_preset (value, display, error) ? dmas_node_copy (value) : NULL;
      if (value->kind != DMAS_NODE_SEQ)
        break;
      return dmas_node_copy (value);
    case DMAS_SCHEMA_FILE:
      return dmas_schema_check_file (key, value, display, error);
    case DMAS_SCHEMA_DIST:
      return dmas_schema_check_dist (key, value, display, error);
    case DMAS_SCHEMA_JOB_MIX:
      return dmas_schema_check_job_mix (key, value, display, error);
    default:
      if (value->kind != DMAS_NODE_SCALAR || dmas_node_is_null (value))
        break;
      return check_scalar (key, value, display, error);
    }
  type_error (error, key, value, display);
  return NULL;
}

/* ---- the walk ---- */

static gboolean validate_map (const DmasNode *map, const gchar *schema_path,
                              const gchar *display, GError **error);

static gboolean
unknown_key (const DmasNode *map, guint i, const gchar *schema_path, const gchar *display,
             GError **error)
{
  const gchar *key = g_ptr_array_index (map->keys, i);
  const DmasNode *where = g_ptr_array_index (map->key_nodes, i);
  g_autoptr (GPtrArray) known = g_ptr_array_new ();
  g_autofree gchar *in = NULL;
  const gchar *suggestion;
  gsize n_keys;
  const DmasSchemaKey *keys = dmas_schema_keys (&n_keys);

  /* Keys of later versions are left out: suggesting one would only lead to a second error. */
  for (gsize k = 0; k < n_keys; k++)
    if (dmas_schema_is_child (&keys[k], schema_path) && !(keys[k].flags & DMAS_SCHEMA_LATER))
      g_ptr_array_add (known, (gpointer) dmas_schema_key_name (&keys[k]));
  in = display[0] == '\0' ? g_strdup ("at the top level") : g_strdup_printf ("in '%s'", display);
  suggestion = dmas_did_you_mean (key, (const gchar *const *) known->pdata, known->len);
  if (strchr (key, '.') != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (key, ".", 2);

      /* Dotted paths are how --set names keys; in a file they must be nested. */
      dmas_node_set_error (error, where, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                           "unknown key '%s' %s; in a file, nest it: '%s: {%s: ...}'", key, in,
                           parts[0], parts[1]);
    }
  else if (suggestion != NULL)
    dmas_node_set_error (error, where, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                         "unknown key '%s' %s (did you mean '%s'?)", key, in, suggestion);
  else
    {
      g_autofree gchar *list = NULL;

      g_ptr_array_add (known, NULL);
      list = join_values ((const gchar *const *) known->pdata);
      dmas_node_set_error (error, where, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                           "unknown key '%s' %s; known keys: %s", key, in, list);
    }
  return FALSE;
}

static gboolean validate_entry (const DmasSchemaKey *key, const DmasNode *key_node,
                                const DmasNode *value, const gchar *display, GError **error);

/* An item of an OPEN_ITEMS list: the keys the schema lists are checked, and required; the
 * others are a component's parameters, checked against its specs once the plugins are
 * loaded. */
static gboolean
validate_open_item (const DmasNode *item, const gchar *item_path, const gchar *display,
                    GError **error)
{
  gsize n_keys;
  const DmasSchemaKey *keys = dmas_schema_keys (&n_keys);

  /* Required first: "remove the key to use the default" would be wrong advice here. */
  for (gsize k = 0; k < n_keys; k++)
    {
      const gchar *name = dmas_schema_key_name (&keys[k]);
      const DmasNode *value = dmas_node_get (item, name);

      if (!dmas_schema_is_child (&keys[k], item_path))
        continue;
      if (value == NULL)
        {
          dmas_node_set_error (error, item, DMAS_CONFIG_ERROR_VALUE,
                               "%s: '%s' is missing; every entry names its component, e.g. "
                               "'" OPEN_ITEM_EXAMPLE "'", display, name);
          return FALSE;
        }
      if (dmas_node_is_null (value))
        {
          dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE,
                               "%s.%s: no value given; every entry names its component, e.g. "
                               "'" OPEN_ITEM_EXAMPLE "'", display, name);
          return FALSE;
        }
    }
  for (guint i = 0; i < item->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (item->keys, i);
      g_autofree gchar *path = g_strconcat (item_path, ".", name, NULL);
      g_autofree gchar *key_display = g_strconcat (display, ".", name, NULL);
      const DmasSchemaKey *key = dmas_schema_find (path);

      if (key != NULL && strchr (name, '[') == NULL && strchr (name, '.') == NULL
          && !validate_entry (key, g_ptr_array_index (item->key_nodes, i),
                              g_ptr_array_index (item->values, i), key_display, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_entry (const DmasSchemaKey *key, const DmasNode *key_node, const DmasNode *value,
                const gchar *display, GError **error)
{
  g_autoptr (DmasNode) checked = NULL;

  if (key->flags & DMAS_SCHEMA_CAMPAIGN)
    {
      dmas_node_set_error (error, key_node, DMAS_CONFIG_ERROR_UNSUPPORTED,
                           "'%s' is a campaign key, which 'dmas run' expands into several runs; "
                           "it cannot appear in the config of a single run", display);
      return FALSE;
    }
  if (key->flags & DMAS_SCHEMA_LATER)
    {
      dmas_node_set_error (error, key_node, DMAS_CONFIG_ERROR_UNSUPPORTED,
                           "'%s' (%s) is not supported yet; remove it", display, key->doc);
      return FALSE;
    }
  checked = dmas_schema_check_value (key, value, display, error);
  if (checked == NULL)
    return FALSE;
  if (key->type == DMAS_SCHEMA_MAP)
    return validate_map (value, key->path, display, error);
  /* A preset (the map form of an OPEN_ITEMS list) has no items: checked above. */
  if (key->type == DMAS_SCHEMA_SEQ_OF_MAPS && value->kind == DMAS_NODE_SEQ)
    {
      g_autofree gchar *item_path = g_strconcat (key->path, "[]", NULL);

      for (guint i = 0; i < value->values->len; i++)
        {
          const DmasNode *item = g_ptr_array_index (value->values, i);
          g_autofree gchar *item_display = g_strdup_printf ("%s[%u]", display, i);

          if (item->kind != DMAS_NODE_MAP)
            {
              g_autofree gchar *found = describe_found (item);

              dmas_node_set_error (error, item, DMAS_CONFIG_ERROR_TYPE,
                                   "%s: expected a map of keys such as '%s', found %s",
                                   item_display, (key->flags & DMAS_SCHEMA_OPEN_ITEMS)
                                   ? OPEN_ITEM_EXAMPLE : "{nodes: 4, cores: 32}", found);
              return FALSE;
            }
          if ((key->flags & DMAS_SCHEMA_OPEN_ITEMS)
              ? !validate_open_item (item, item_path, item_display, error)
              : !validate_map (item, item_path, item_display, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_map (const DmasNode *map, const gchar *schema_path, const gchar *display,
              GError **error)
{
  for (guint i = 0; i < map->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (map->keys, i);
      g_autofree gchar *path = schema_path[0] == '\0' ? g_strdup (name)
                                                      : g_strconcat (schema_path, ".", name, NULL);
      g_autofree gchar *key_display = display[0] == '\0' ? g_strdup (name)
                                                         : g_strconcat (display, ".", name, NULL);
      const DmasSchemaKey *key = dmas_schema_find (path);

      /* "[]" in a user's key must not reach the item schema by the back door. */
      if (key == NULL || strchr (name, '[') != NULL || strchr (name, '.') != NULL)
        return unknown_key (map, i, schema_path, display, error);
      if (!validate_entry (key, g_ptr_array_index (map->key_nodes, i),
                           g_ptr_array_index (map->values, i), key_display, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
dmas_config_validate (const DmasNode *root, GError **error)
{
  return validate_map (root, "", "", error);
}
