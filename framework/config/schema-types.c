/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The schema's composite value types: trace file names, distributions and job type mixes. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "config/node-private.h"
#include "config/schema.h"

/* ---- shared helpers ---- */

static const gchar *const job_type_names[] = {
  [DMAS_JOB_HPC] = "hpc",         [DMAS_JOB_AI] = "ai",           [DMAS_JOB_HYBRID] = "hybrid",
  [DMAS_JOB_MEMORY] = "memory",   [DMAS_JOB_STORAGE] = "storage", [DMAS_JOB_GENERAL] = "general",
  [DMAS_JOB_GENERAL + 1] = NULL,
};

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
parse_number (const DmasNode *node, gdouble *out)
{
  gchar *end = NULL;

  if (node->kind != DMAS_NODE_SCALAR || dmas_node_is_null (node) || node->quoted)
    return FALSE;
  *out = g_ascii_strtod (node->scalar, &end);
  return end != node->scalar && *end == '\0' && isfinite (*out);
}

static DmasNode *
scalar_at (const DmasNode *at, const gchar *text)
{
  return dmas_node_new_scalar (text, at->file, at->base_dir, at->line, at->column);
}

/* Adds key: value to a canonical map, the key keeping the user's position when there is one. */
static void
put (DmasNode *map, const DmasNode *user_map, const gchar *name, DmasNode *value)
{
  const DmasNode *key = user_map->kind == DMAS_NODE_MAP ? dmas_node_get_key_node (user_map, name)
                                                        : NULL;

  dmas_node_set_keyed (map, key != NULL ? dmas_node_copy (key) : scalar_at (value, name), value);
}

static gchar *
join (const gchar *const *words, gsize n)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (gsize i = 0; i < n && words[i] != NULL; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? "" : ", ", words[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---- FILE ---- */

DmasNode *
dmas_schema_check_file (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
                        GError **error)
{
  (void) key;
  if (value->kind != DMAS_NODE_SCALAR || dmas_node_is_null (value) || value->scalar[0] == '\0')
    {
      g_autofree gchar *found = describe_found (value);

      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE,
                           "%s: expected a file name (e.g. 'path: traces/KTH-SP2-1996-2.swf'), "
                           "found %s", display, found);
      return NULL;
    }
  /* Relative to the file that wrote it, like plugin_path; whether it exists is the reader's
   * business at run time, so that a resolved config still loads on another machine. */
  {
    g_autofree gchar *abs = g_canonicalize_filename (value->scalar, value->base_dir);

    return scalar_at (value, abs);
  }
}

/* ---- DIST ---- */

typedef enum { VALUE_INT, VALUE_NUMBER, VALUE_DURATION } ValueType;

/* Indexed by DmasDistKind.  Parameters in canonical order; the first n_required are needed. */
static const struct {
  const gchar *name;
  const gchar *params[3];
  guint n_params, n_required;
} dists[] = {
  [DMAS_DIST_CONSTANT] = { "constant", { "value" }, 1, 1 },
  [DMAS_DIST_UNIFORM] = { "uniform", { "min", "max" }, 2, 2 },
  [DMAS_DIST_EXPONENTIAL] = { "exponential", { "mean", "max" }, 2, 1 },
  [DMAS_DIST_LOGNORMAL] = { "lognormal", { "median", "p95", "max" }, 3, 2 },
  [DMAS_DIST_CHOICE] = { "choice", { "values", "weights" }, 2, 1 },
};

static const gchar *const dist_names[] = { "constant", "uniform", "exponential", "lognormal",
                                           "choice", NULL };

static ValueType
value_type (guint flags)
{
  if (flags & DMAS_SCHEMA_DIST_INT)
    return VALUE_INT;
  return (flags & DMAS_SCHEMA_DIST_DURATION) ? VALUE_DURATION : VALUE_NUMBER;
}

/* Values the distribution can give (value, min, max, values) are held to the key's range;
 * the shape parameters (mean, median, p95) only have to be positive, and are numbers even
 * for integer keys. */
static gboolean
is_bounded (const gchar *param)
{
  return strcmp (param, "mean") != 0 && strcmp (param, "median") != 0
         && strcmp (param, "p95") != 0;
}

static gchar *
describe_value (const DmasSchemaKey *key, ValueType type, gboolean bounded)
{
  const gchar *what = type == VALUE_INT        ? "an integer"
                      : type == VALUE_DURATION ? "a duration"
                                               : "a number";

  if (!bounded)
    return g_strdup_printf ("%s > %s", what, type == VALUE_DURATION ? "0s" : "0");
  if (!(key->flags & DMAS_SCHEMA_HAS_MIN))
    return g_strdup (what);
  {
    g_autofree gchar *lo = type == VALUE_DURATION ? dmas_format_duration ((guint64) key->min)
                                                  : g_strdup_printf ("%g", key->min);

    return g_strdup_printf ("%s %s %s", what,
                            (key->flags & DMAS_SCHEMA_MIN_EXCLUSIVE) ? ">" : ">=", lo);
  }
}

/* One value of a distribution: *out in the key's unit (ns for durations), *canonical its
 * text as the resolved config writes it. */
static gboolean
parse_value (const DmasSchemaKey *key, gboolean bounded, const DmasNode *node,
             const gchar *display, gdouble *out, gchar **canonical, GError **error)
{
  ValueType type = value_type (key->flags);
  gboolean ok = FALSE;

  if (!bounded && type == VALUE_INT)
    type = VALUE_NUMBER;
  if (node->kind == DMAS_NODE_SCALAR && !dmas_node_is_null (node))
    switch (type)
      {
      case VALUE_INT:
        {
          gint64 v = 0;

          ok = !node->quoted
               && g_ascii_string_to_signed (node->scalar, 10, G_MININT64, G_MAXINT64, &v, NULL);
          if (ok && (v > G_MAXUINT32 || v < -(gint64) G_MAXUINT32))
            {
              dmas_node_set_error (error, node, DMAS_CONFIG_ERROR_VALUE,
                                   "%s: '%s' is too large; the most is %u", display,
                                   node->scalar, G_MAXUINT32);
              return FALSE;
            }
          *out = (gdouble) v;
          if (ok)
            *canonical = g_strdup_printf ("%" G_GINT64_FORMAT, v);
        }
        break;
      case VALUE_NUMBER:
        ok = parse_number (node, out);
        if (ok)
          *canonical = dmas_format_double (*out);
        break;
      case VALUE_DURATION:
        {
          g_autoptr (GError) local = NULL;
          guint64 ns = 0;

          if (!dmas_parse_duration (node->scalar, &ns, &local))
            {
              dmas_node_set_error (error, node, DMAS_CONFIG_ERROR_VALUE, "%s: %s", display,
                                   local->message);
              return FALSE;
            }
          ok = TRUE;
          *out = (gdouble) ns;
          *canonical = dmas_format_duration (ns);
        }
        break;
      }
  if (!ok)
    {
      g_autofree gchar *expected = describe_value (key, type, bounded);
      g_autofree gchar *found = describe_found (node);

      dmas_node_set_error (error, node, DMAS_CONFIG_ERROR_TYPE, "%s: expected %s, found %s",
                           display, expected, found);
      return FALSE;
    }
  {
    gboolean in_range = bounded ? (!(key->flags & DMAS_SCHEMA_HAS_MIN)
                                   || ((key->flags & DMAS_SCHEMA_MIN_EXCLUSIVE)
                                           ? *out > key->min : *out >= key->min))
                                : *out > 0;

    if (!in_range)
      {
        g_autofree gchar *expected = describe_value (key, type, bounded);

        dmas_node_set_error (error, node, DMAS_CONFIG_ERROR_VALUE,
                             "%s: '%s' is out of range; expected %s", display, node->scalar,
                             expected);
        g_clear_pointer (canonical, g_free);
        return FALSE;
      }
  }
  return TRUE;
}

/* Checks one parameter and adds its canonical form to `out`; *v gets its value. */
static gboolean
put_value (const DmasSchemaKey *key, DmasNode *out, const DmasNode *map, const gchar *param,
           const gchar *display, gdouble *v, GError **error)
{
  const DmasNode *node = dmas_node_get (map, param);
  g_autofree gchar *where = g_strdup_printf ("%s.%s", display, param);
  g_autofree gchar *text = NULL;

  if (!parse_value (key, is_bounded (param), node, where, v, &text, error))
    return FALSE;
  put (out, map, param, scalar_at (node, text));
  return TRUE;
}

static gboolean
put_list (const DmasSchemaKey *key, DmasNode *out, const DmasNode *map, const gchar *param,
          const gchar *display, GArray *got, GError **error)
{
  const DmasNode *list = dmas_node_get (map, param);
  g_autofree gchar *where = g_strdup_printf ("%s.%s", display, param);
  const gboolean weights = strcmp (param, "weights") == 0;
  g_autoptr (DmasNode) canonical = NULL;

  if (list->kind != DMAS_NODE_SEQ || list->values->len == 0)
    {
      g_autofree gchar *found = describe_found (list);

      dmas_node_set_error (error, list, DMAS_CONFIG_ERROR_TYPE,
                           "%s: expected a non-empty list, e.g. '[1, 2, 4]', found %s", where,
                           found);
      return FALSE;
    }
  canonical = dmas_node_new_seq (list->file, list->base_dir, list->line, list->column);
  for (guint i = 0; i < list->values->len; i++)
    {
      const DmasNode *item = g_ptr_array_index (list->values, i);
      g_autofree gchar *item_where = g_strdup_printf ("%s[%u]", where, i);
      g_autofree gchar *text = NULL;
      gdouble v = 0;

      if (weights)
        {
          if (!parse_number (item, &v) || v < 0)
            {
              g_autofree gchar *found = describe_found (item);

              dmas_node_set_error (error, item, DMAS_CONFIG_ERROR_VALUE,
                                   "%s: expected a weight (a number >= 0), found %s",
                                   item_where, found);
              return FALSE;
            }
          text = dmas_format_double (v);
        }
      else if (!parse_value (key, TRUE, item, item_where, &v, &text, error))
        return FALSE;
      g_array_append_val (got, v);
      g_ptr_array_add (canonical->values, scalar_at (item, text));
    }
  put (out, map, param, g_steal_pointer (&canonical));
  return TRUE;
}

/* Keys of the map that are neither 'dist', 'fraction' (where allowed) nor a parameter of the
 * chosen distribution. */
static gboolean
check_keys (const DmasSchemaKey *key, const DmasNode *map, DmasDistKind kind,
            const gchar *display, GError **error)
{
  const gboolean fraction = (key->flags & DMAS_SCHEMA_DIST_FRACTION) != 0;

  for (guint i = 0; i < map->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (map->keys, i);
      const DmasNode *where = g_ptr_array_index (map->key_nodes, i);
      const gchar *allowed[6] = { "dist" };
      gsize n = 1;
      gboolean elsewhere = FALSE;

      if (fraction)
        allowed[n++] = "fraction";
      for (guint p = 0; p < dists[kind].n_params; p++)
        allowed[n++] = dists[kind].params[p];
      /* At most 5 names: allowed stays NULL-terminated. */
      if (g_strv_contains (allowed, name))
        continue;
      for (gsize d = 0; d < G_N_ELEMENTS (dists); d++)
        for (guint p = 0; p < dists[d].n_params; p++)
          elsewhere |= strcmp (dists[d].params[p], name) == 0;
      if (elsewhere)
        {
          g_autofree gchar *takes = join (dists[kind].params, dists[kind].n_params);

          dmas_node_set_error (error, where, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                               "%s: '%s' is not a parameter of dist %s; it takes: %s", display,
                               name, dists[kind].name, takes);
        }
      else
        {
          const gchar *suggestion = dmas_did_you_mean (name, allowed, n);
          g_autofree gchar *known = join (allowed, n);

          if (suggestion != NULL)
            dmas_node_set_error (error, where, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                                 "unknown key '%s' in '%s' (did you mean '%s'?)", name, display,
                                 suggestion);
          else
            dmas_node_set_error (error, where, DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                                 "unknown key '%s' in '%s'; known keys: %s", name, display,
                                 known);
        }
      return FALSE;
    }
  for (guint p = 0; p < dists[kind].n_required; p++)
    if (dmas_node_get (map, dists[kind].params[p]) == NULL)
      {
        dmas_node_set_error (error, map, DMAS_CONFIG_ERROR_VALUE,
                             "%s: dist %s needs '%s'", display, dists[kind].name,
                             dists[kind].params[p]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
dist_kind (const DmasSchemaKey *key, const DmasNode *map, const gchar *display,
           DmasDistKind *out, GError **error)
{
  const DmasNode *node = dmas_node_get (map, "dist");
  g_autofree gchar *names = join (dist_names, G_N_ELEMENTS (dist_names));

  if (node == NULL)
    {
      dmas_node_set_error (error, map, DMAS_CONFIG_ERROR_VALUE,
                           "%s: 'dist' is missing; write e.g. '%s', or a single value for a "
                           "constant", display, key->default_yaml);
      return FALSE;
    }
  for (gsize d = 0; d < G_N_ELEMENTS (dists); d++)
    if (node->kind == DMAS_NODE_SCALAR && strcmp (node->scalar, dists[d].name) == 0)
      {
        *out = (DmasDistKind) d;
        return TRUE;
      }
  {
    const gchar *suggestion = node->kind == DMAS_NODE_SCALAR
        ? dmas_did_you_mean (node->scalar, dist_names, G_N_ELEMENTS (dist_names) - 1) : NULL;
    g_autofree gchar *found = describe_found (node);

    if (suggestion != NULL)
      dmas_node_set_error (error, node, DMAS_CONFIG_ERROR_VALUE,
                           "%s.dist: unknown distribution %s (did you mean '%s'?)", display,
                           found, suggestion);
    else
      dmas_node_set_error (error, node, DMAS_CONFIG_ERROR_VALUE,
                           "%s.dist: unknown distribution %s; expected one of: %s", display,
                           found, names);
  }
  return FALSE;
}

/* TRUE when every draw of a checked distribution is 0 (only integer keys can say so). */
static gboolean
always_zero (DmasDistKind kind, const GArray *values, gdouble value, gdouble max)
{
  switch (kind)
    {
    case DMAS_DIST_CONSTANT:
      return value == 0;
    case DMAS_DIST_UNIFORM:
      return max == 0;
    case DMAS_DIST_CHOICE:
      for (guint i = 0; i < values->len; i++)
        if (g_array_index (values, gdouble, i) != 0)
          return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

/* The canonical map of a FRACTION key: 'fraction' first, then the distribution. */
static DmasNode *
with_fraction (DmasNode *dist, const DmasNode *user, const DmasNode *fraction_node,
               gdouble fraction)
{
  DmasNode *out = dmas_node_new_map (dist->file, dist->base_dir, dist->line, dist->column);
  g_autofree gchar *text = dmas_format_double (fraction);

  put (out, user, "fraction", scalar_at (fraction_node != NULL ? fraction_node : user, text));
  for (guint i = 0; i < dist->keys->len; i++)
    dmas_node_set_keyed (out, dmas_node_copy (g_ptr_array_index (dist->key_nodes, i)),
                         dmas_node_copy (g_ptr_array_index (dist->values, i)));
  return out;
}

static DmasNode *
check_dist_map (const DmasSchemaKey *key, const DmasNode *map, const gchar *display,
                GError **error)
{
  g_autoptr (DmasNode) out = dmas_node_new_map (map->file, map->base_dir, map->line,
                                                map->column);
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) weights = g_array_new (FALSE, FALSE, sizeof (gdouble));
  const DmasNode *fraction_node = dmas_node_get (map, "fraction");
  gdouble fraction = 1.0, value = 0, min = 0, max = 0, median = 0, p95 = 0, mean = 0;
  DmasDistKind kind;

  if (!dist_kind (key, map, display, &kind, error) || !check_keys (key, map, kind, display, error))
    return NULL;
  if (fraction_node != NULL
      && (!parse_number (fraction_node, &fraction) || fraction < 0 || fraction > 1))
    {
      g_autofree gchar *found = describe_found (fraction_node);

      dmas_node_set_error (error, fraction_node, DMAS_CONFIG_ERROR_VALUE,
                           "%s.fraction: expected a number between 0 and 1 (the share of jobs "
                           "that want any), found %s", display, found);
      return NULL;
    }
  put (out, map, "dist", scalar_at (dmas_node_get (map, "dist"), dists[kind].name));

  switch (kind)
    {
    case DMAS_DIST_CONSTANT:
      if (!put_value (key, out, map, "value", display, &value, error))
        return NULL;
      break;
    case DMAS_DIST_UNIFORM:
      if (!put_value (key, out, map, "min", display, &min, error)
          || !put_value (key, out, map, "max", display, &max, error))
        return NULL;
      if (min > max)
        {
          const DmasNode *lo = dmas_node_get (out, "min"), *hi = dmas_node_get (out, "max");

          dmas_node_set_error (error, lo, DMAS_CONFIG_ERROR_VALUE,
                               "%s: min (%s) is greater than max (%s); make min <= max",
                               display, lo->scalar, hi->scalar);
          return NULL;
        }
      break;
    case DMAS_DIST_EXPONENTIAL:
      if (!put_value (key, out, map, "mean", display, &mean, error)
          || (dmas_node_get (map, "max") != NULL
              && !put_value (key, out, map, "max", display, &max, error)))
        return NULL;
      break;
    case DMAS_DIST_LOGNORMAL:
      if (!put_value (key, out, map, "median", display, &median, error)
          || !put_value (key, out, map, "p95", display, &p95, error)
          || (dmas_node_get (map, "max") != NULL
              && !put_value (key, out, map, "max", display, &max, error)))
        return NULL;
      if (!(p95 > median))
        {
          const DmasNode *a = dmas_node_get (out, "median"), *b = dmas_node_get (out, "p95");

          dmas_node_set_error (error, b, DMAS_CONFIG_ERROR_VALUE,
                               "%s: p95 (%s) must be greater than the median (%s)", display,
                               b->scalar, a->scalar);
          return NULL;
        }
      break;
    case DMAS_DIST_CHOICE:
      if (!put_list (key, out, map, "values", display, values, error)
          || (dmas_node_get (map, "weights") != NULL
              && !put_list (key, out, map, "weights", display, weights, error)))
        return NULL;
      if (dmas_node_get (map, "weights") != NULL)
        {
          const DmasNode *w = dmas_node_get (map, "weights");
          gdouble sum = 0;

          for (guint i = 0; i < weights->len; i++)
            sum += g_array_index (weights, gdouble, i);
          if (weights->len != values->len)
            {
              dmas_node_set_error (error, w, DMAS_CONFIG_ERROR_VALUE,
                                   "%s.weights: %u weights for %u values; give one weight per "
                                   "value", display, weights->len, values->len);
              return NULL;
            }
          if (!(sum > 0))
            {
              dmas_node_set_error (error, w, DMAS_CONFIG_ERROR_VALUE,
                                   "%s.weights: the weights add up to 0; give at least one "
                                   "value a weight above 0", display);
              return NULL;
            }
        }
      break;
    }
  if (!(key->flags & DMAS_SCHEMA_DIST_FRACTION))
    return g_steal_pointer (&out);
  if (always_zero (kind, values, value, max))
    {
      /* Only an explicit fraction says "some jobs want GPUs"; '{dist: constant, value: 0}'
       * just means none, and is written with fraction 0 so that it reads back the same. */
      if (fraction_node != NULL && fraction > 0)
        {
          dmas_node_set_error (error, fraction_node, DMAS_CONFIG_ERROR_VALUE,
                               "%s: fraction is %s but every draw gives 0; draw at least 1 "
                               "(e.g. '{fraction: %s, dist: uniform, min: 1, max: 2}'), or "
                               "write fraction: 0", display, fraction_node->scalar,
                               fraction_node->scalar);
          return NULL;
        }
      fraction = 0;
    }
  return with_fraction (out, map, fraction_node, fraction);
}

DmasNode *
dmas_schema_check_dist (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
                        GError **error)
{
  if (value->kind == DMAS_NODE_MAP)
    return check_dist_map (key, value, display, error);
  if (value->kind == DMAS_NODE_SCALAR && !dmas_node_is_null (value))
    {
      /* A single value is the constant distribution. */
      g_autoptr (DmasNode) out = dmas_node_new_map (value->file, value->base_dir, value->line,
                                                    value->column);
      g_autofree gchar *text = NULL;
      gdouble v = 0;

      if (!parse_value (key, TRUE, value, display, &v, &text, error))
        return NULL;
      put (out, value, "dist", scalar_at (value, "constant"));
      put (out, value, "value", scalar_at (value, text));
      if (key->flags & DMAS_SCHEMA_DIST_FRACTION)
        return with_fraction (out, value, NULL, v > 0 ? 1.0 : 0.0);
      return g_steal_pointer (&out);
    }
  {
    g_autofree gchar *found = describe_found (value);

    dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE,
                         "%s: expected a value or a distribution (e.g. '%s'), found %s", display,
                         key->default_yaml, found);
  }
  return NULL;
}

static gdouble
read_value (const DmasNode *node, guint flags)
{
  guint64 ns = 0;

  if ((flags & DMAS_SCHEMA_DIST_DURATION) && dmas_parse_duration (node->scalar, &ns, NULL))
    return (gdouble) ns;
  return g_ascii_strtod (node->scalar, NULL);
}

static gdouble *
read_list (const DmasNode *list, guint flags)
{
  gdouble *out = g_new (gdouble, list->values->len);

  for (guint i = 0; i < list->values->len; i++)
    out[i] = read_value (g_ptr_array_index (list->values, i), flags);
  return out;
}

void
dmas_schema_read_dist (const DmasNode *canonical, guint flags, DmasDist *out)
{
  memset (out, 0, sizeof *out);
  out->fraction = 1.0;
  for (guint i = 0; i < canonical->keys->len; i++)
    {
      const gchar *name = g_ptr_array_index (canonical->keys, i);
      const DmasNode *v = g_ptr_array_index (canonical->values, i);

      if (strcmp (name, "dist") == 0)
        {
          for (gsize d = 0; d < G_N_ELEMENTS (dists); d++)
            if (strcmp (v->scalar, dists[d].name) == 0)
              out->kind = (DmasDistKind) d;
        }
      else if (strcmp (name, "fraction") == 0)
        out->fraction = g_ascii_strtod (v->scalar, NULL);
      else if (strcmp (name, "value") == 0)
        out->value = read_value (v, flags);
      else if (strcmp (name, "min") == 0)
        out->min = read_value (v, flags);
      else if (strcmp (name, "max") == 0)
        out->max = read_value (v, flags);
      else if (strcmp (name, "mean") == 0)
        out->mean = read_value (v, flags);
      else if (strcmp (name, "median") == 0)
        out->median = read_value (v, flags);
      else if (strcmp (name, "p95") == 0)
        out->p95 = read_value (v, flags);
      else if (strcmp (name, "values") == 0)
        {
          out->n_values = v->values->len;
          out->values = read_list (v, flags);
        }
      else if (strcmp (name, "weights") == 0)
        out->weights = read_list (v, 0);
    }
}

void
dmas_dist_clear (DmasDist *dist)
{
  g_free (dist->values);
  g_free (dist->weights);
  memset (dist, 0, sizeof *dist);
}

/* ---- JOB_MIX ---- */

DmasNode *
dmas_schema_check_job_mix (const DmasSchemaKey *key, const DmasNode *value, const gchar *display,
                           GError **error)
{
  const gsize n_types = G_N_ELEMENTS (job_type_names) - 1;

  (void) key;
  if (value->kind == DMAS_NODE_SCALAR && !value->quoted && strcmp (value->scalar, "by-gpus") == 0)
    return scalar_at (value, "by-gpus");
  if (value->kind != DMAS_NODE_MAP)
    {
      g_autofree gchar *found = describe_found (value);

      dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_TYPE,
                           "%s: expected by-gpus (ai when a job wants GPUs, else hpc) or a map "
                           "of job types to weights, e.g. '{hpc: 0.8, ai: 0.2}', found %s",
                           display, found);
      return NULL;
    }
  {
    g_autoptr (DmasNode) out = dmas_node_new_map (value->file, value->base_dir, value->line,
                                                  value->column);
    gdouble sum = 0;

    for (guint i = 0; i < value->keys->len; i++)
      {
        const gchar *name = g_ptr_array_index (value->keys, i);
        const DmasNode *weight = g_ptr_array_index (value->values, i);
        gdouble w = 0;

        if (!g_strv_contains (job_type_names, name))
          {
            const gchar *suggestion = dmas_did_you_mean (name, job_type_names, n_types);
            g_autofree gchar *types = join (job_type_names, n_types);

            if (suggestion != NULL)
              dmas_node_set_error (error, g_ptr_array_index (value->key_nodes, i),
                                   DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                                   "unknown job type '%s' in '%s' (did you mean '%s'?)", name,
                                   display, suggestion);
            else
              dmas_node_set_error (error, g_ptr_array_index (value->key_nodes, i),
                                   DMAS_CONFIG_ERROR_UNKNOWN_KEY,
                                   "unknown job type '%s' in '%s'; job types: %s", name,
                                   display, types);
            return NULL;
          }
        if (!parse_number (weight, &w) || w < 0)
          {
            g_autofree gchar *found = describe_found (weight);

            dmas_node_set_error (error, weight, DMAS_CONFIG_ERROR_VALUE,
                                 "%s.%s: expected a weight (a number >= 0), found %s", display,
                                 name, found);
            return NULL;
          }
        sum += w;
      }
    if (!(sum > 0))
      {
        dmas_node_set_error (error, value, DMAS_CONFIG_ERROR_VALUE,
                             "%s: the weights add up to 0; give at least one job type a weight "
                             "above 0", display);
        return NULL;
      }
    /* Job type order, not the user's: the draw walks the weights in this order, so writing
     * the same mix in another order gives the same jobs. */
    for (gsize t = 0; t < n_types; t++)
      {
        const DmasNode *weight = dmas_node_get (value, job_type_names[t]);
        gdouble w = 0;
        g_autofree gchar *text = NULL;

        if (weight == NULL)
          continue;
        parse_number (weight, &w);
        text = dmas_format_double (w);
        put (out, value, job_type_names[t], scalar_at (weight, text));
      }
    return g_steal_pointer (&out);
  }
}

void
dmas_schema_read_job_mix (const DmasNode *canonical, gboolean *by_gpus,
                          gdouble weights[DMAS_JOB_GENERAL + 1])
{
  for (gsize t = 0; t <= DMAS_JOB_GENERAL; t++)
    weights[t] = 0;
  *by_gpus = canonical->kind == DMAS_NODE_SCALAR;
  if (*by_gpus)
    return;
  for (gsize t = 0; t <= DMAS_JOB_GENERAL; t++)
    {
      const DmasNode *weight = dmas_node_get (canonical, job_type_names[t]);

      if (weight != NULL)
        weights[t] = g_ascii_strtod (weight->scalar, NULL);
    }
}
