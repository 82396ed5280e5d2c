/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The config schema (every key, its type, default and doc) and the passes that apply it. */
#ifndef DMAS_CONFIG_SCHEMA_H
#define DMAS_CONFIG_SCHEMA_H

#include <glib.h>

#include "config/config.h"
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
  DMAS_SCHEMA_SEQ_OF_MAPS, /* a list of maps; the item's keys are the entries "<path>[].<key>" */
  /* Appended (checked in schema-types.c): */
  DMAS_SCHEMA_FILE,        /* one file path; resolved to absolute */
  DMAS_SCHEMA_DIST,        /* a distribution map or a constant; see DMAS_SCHEMA_DIST_* flags */
  DMAS_SCHEMA_JOB_MIX      /* "by-gpus", or a map job type -> weight */
} DmasSchemaType;

typedef enum {
  DMAS_SCHEMA_HAS_MIN = 1 << 0,
  DMAS_SCHEMA_HAS_MAX = 1 << 1,
  DMAS_SCHEMA_MIN_EXCLUSIVE = 1 << 2, /* "> min" instead of ">= min" */
  DMAS_SCHEMA_COMPUTED = 1 << 3,      /* default depends on other keys (see resolve.c) */
  DMAS_SCHEMA_IDENT = 1 << 4,         /* STRING limited to letters, digits, '.', '_', '-' */
  DMAS_SCHEMA_LATER = 1 << 5,         /* reserved for a later version: "not supported yet" */
  /* Appended.  DIST: the values are integers, or durations (default: numbers); min/max bound
   * every value the distribution can give; FRACTION adds the key 'fraction' (workload.gpus). */
  DMAS_SCHEMA_DIST_INT = 1 << 6,
  DMAS_SCHEMA_DIST_DURATION = 1 << 7,
  DMAS_SCHEMA_DIST_FRACTION = 1 << 8,
  /* Appended.  SEQ_OF_MAPS whose items also carry keys the schema does not list: a
   * component's parameters, checked against its specs once the plugins are loaded
   * (agents/faults.c).  The item keys the schema lists are required; a map instead of the
   * list is a later form (presets): "not supported yet". */
  DMAS_SCHEMA_OPEN_ITEMS = 1 << 9,
  /* Appended.  A campaign key (framework/campaign): the campaign runner takes it out of the
   * tree before each run's config is loaded, so the single-run loader rejects it. */
  DMAS_SCHEMA_CAMPAIGN = 1 << 10
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

/* Appended: the checks of the FILE, DIST and JOB_MIX types (schema-types.c), called by
 * dmas_schema_check_value.  Same contract: the canonical value, or NULL with a
 * file:line:column error.  A DIST's canonical form is always a map starting with 'dist' (with
 * 'fraction' first for FRACTION keys); a JOB_MIX's is "by-gpus" or a map in job type order. */
DmasNode *dmas_schema_check_file (const DmasSchemaKey *key, const DmasNode *value,
                                  const gchar *display, GError **error);
DmasNode *dmas_schema_check_dist (const DmasSchemaKey *key, const DmasNode *value,
                                  const gchar *display, GError **error);
DmasNode *dmas_schema_check_job_mix (const DmasSchemaKey *key, const DmasNode *value,
                                     const gchar *display, GError **error);
/* Typed readers of those canonical values (they cannot fail on a checked value); `flags` are
 * the key's; `out` of read_dist is overwritten, its arrays owned by the caller
 * (dmas_dist_clear). */
void dmas_schema_read_dist (const DmasNode *canonical, guint flags, DmasDist *out);
void dmas_schema_read_job_mix (const DmasNode *canonical, gboolean *by_gpus,
                               gdouble weights[DMAS_JOB_GENERAL + 1]);

G_END_DECLS

#endif /* DMAS_CONFIG_SCHEMA_H */
