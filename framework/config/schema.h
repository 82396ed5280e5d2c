/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The config schema (every key, its type, default and doc) and the passes that apply it. */
#ifndef DMAS_CONFIG_SCHEMA_H
#define DMAS_CONFIG_SCHEMA_H

#include <glib.h>

#include "config/node.h"

G_BEGIN_DECLS

typedef enum {
  DMAS_SCHEMA_STRING,
  DMAS_SCHEMA_INT,
  DMAS_SCHEMA_DOUBLE,
  DMAS_SCHEMA_BOOL,
  DMAS_SCHEMA_DURATION,
  DMAS_SCHEMA_PATHS,       /* one path or a list of paths; resolved to absolute */
  DMAS_SCHEMA_ENUM,
  DMAS_SCHEMA_MAP,         /* a section: its keys are the entries "<path>.<key>" */
  DMAS_SCHEMA_OPEN_MAP,    /* any keys, each holding a map (params) */
  DMAS_SCHEMA_SEQ_OF_MAPS  /* a list of maps; the item's keys are the entries "<path>[].<key>" */
} DmasSchemaType;

typedef enum {
  DMAS_SCHEMA_HAS_MIN = 1 << 0,
  DMAS_SCHEMA_HAS_MAX = 1 << 1,
  DMAS_SCHEMA_MIN_EXCLUSIVE = 1 << 2, /* "> min" instead of ">= min" */
  DMAS_SCHEMA_COMPUTED = 1 << 3,      /* default depends on other keys (see resolve.c) */
  DMAS_SCHEMA_IDENT = 1 << 4,         /* STRING limited to letters, digits, '.', '_', '-' */
  DMAS_SCHEMA_LATER = 1 << 5          /* reserved for a later version: "not supported yet" */
} DmasSchemaFlags;

typedef struct {
  const gchar *path;            /* dotted; "[]" marks the items of a list */
  DmasSchemaType type;
  guint flags;
  gdouble min, max;             /* INT, DOUBLE, DURATION (in ns) */
  const gchar *const *values;   /* ENUM: the values accepted now */
  const gchar *const *later;    /* ENUM: known values that are not supported yet */
  const gchar *default_yaml;    /* written as in YAML; NULL for sections and most computed keys */
  const gchar *doc;             /* one line; for computed keys it says what the default is */
} DmasSchemaKey;

/* The table, in the order keys appear in the resolved config.  Returns: (transfer none). */
const DmasSchemaKey *dmas_schema_keys (gsize *n_keys);
/* The entry of `path`, or NULL.  Returns: (transfer none) (nullable). */
const DmasSchemaKey *dmas_schema_find (const gchar *path);
/* The last part of an entry's path ("latency" for "network.latency"). */
const gchar *dmas_schema_key_name (const DmasSchemaKey *key);
/* TRUE when `key` sits directly under the section `parent` ("" is the top level). */
gboolean dmas_schema_is_child (const DmasSchemaKey *key, const gchar *parent);

/* Checks a value against its entry and returns it in canonical form (durations formatted,
 * numbers normalised, paths made absolute), keeping the user's position.  Sections are
 * checked for their kind only; their keys are the walk's business.  `display` names the key
 * in messages ("platform.clusters[1].cores").
 * Returns: (transfer full) the canonical value, or NULL with a file:line:column error. */
DmasNode *dmas_schema_check_value (const DmasSchemaKey *key, const DmasNode *value,
                                   const gchar *display, GError **error);

/* Pass 1, in document order: unknown keys (with did-you-mean), keys and values of later
 * versions, types and ranges.  The first problem found is the error. */
gboolean dmas_config_validate (const DmasNode *root, GError **error);

/* Pass 2, in schema order: fills defaults, applies the rules between keys, and returns the
 * resolved tree (every key present except the platform keys that exclude each other).
 * `source` is the file as given, or "<built-in>", for the default name.
 * Returns: (transfer full) or NULL with error. */
DmasNode *dmas_config_resolve (const DmasNode *root, const gchar *source, GError **error);

G_END_DECLS

#endif /* DMAS_CONFIG_SCHEMA_H */
