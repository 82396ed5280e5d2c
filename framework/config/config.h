/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The typed run configuration: validated against the schema, defaults filled. */
#ifndef DMAS_CONFIG_H
#define DMAS_CONFIG_H

#include <glib.h>

#include <dmas/types.h>
#include "config/node.h"

G_BEGIN_DECLS

/* One explicit cluster (platform.clusters[i]); one agent manages it. */
typedef struct {
  gchar *name;
  gchar *type;          /* hpc gpu ai memory storage hybrid general */
  guint nodes;
  guint cores;          /* per node */
  gdouble memory_gb;    /* per node */
  guint gpus;           /* per node */
  gdouble speed;
} DmasClusterSpec;

typedef struct {
  gchar *source;        /* the YAML file as given, or "<built-in>" */
  gchar *name;
  guint64 seed;
  DmasTime horizon;     /* jobs arrive in [0, horizon] */
  gboolean drain;       /* keep running after the horizon until accepted jobs finish */
  GPtrArray *plugin_path; /* gchar*, absolute directories */

  struct {
    gchar *preset;      /* NULL when clusters are explicit */
    guint agents;
    GArray *clusters;   /* DmasClusterSpec (explicit list; empty with a preset) */
  } platform;

  struct {
    gchar *generator;   /* constant burst poisson uniform */
    guint jobs;
    DmasTime span;      /* arrival window (defaults to the horizon) */
    DmasTime runtime_min, runtime_max;
    gdouble walltime_factor; /* requested walltime = runtime x factor */
    guint cores_min, cores_max;
    gdouble memory_gb_min, memory_gb_max;
    gdouble gpu_fraction;    /* share of jobs that want GPUs */
    guint gpus_max;
  } workload;

  struct {
    DmasTime latency;
  } network;

  struct {
    gchar *mode;          /* distributed */
    gchar *bidding;       /* component name */
    gchar *consensus;     /* component name */
    gchar *local_policy;  /* fcfs */
  } scheduling;

  DmasNode *params;       /* map component-name -> map of parameters (never NULL) */
  DmasNode *resolved;     /* the whole tree with defaults filled, schema key order */
} DmasConfig;

/* Loads `path`, applies the --set assignments (NULL-terminated, nullable) in order, validates
 * against the schema (unknown keys with did-you-mean, types, ranges; keys of later issues
 * rejected as "not supported yet") and fills defaults.
 * Returns: (transfer full) the config, or NULL with a file:line:column error. */
DmasConfig *dmas_config_load (const gchar *path, const gchar *const *sets, GError **error);
/* Same from YAML text; `name` is used in error positions, relative paths resolve against
 * base_dir. */
DmasConfig *dmas_config_load_string (const gchar *text, const gchar *name, const gchar *base_dir,
                                     const gchar *const *sets, GError **error);
void dmas_config_free (DmasConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasConfig, dmas_config_free)

/* Returns: (transfer full) the resolved config as YAML (what `dmas config` prints and what is
 * written with every result). */
gchar *dmas_config_to_yaml (const DmasConfig *config);

/* Parameters given for a component under `params:` (key "name" or "kind/name").
 * Returns: (transfer none) (nullable) a MAP node. */
DmasNode *dmas_config_component_params (const DmasConfig *config, const gchar *kind,
                                        const gchar *name);

/* Replaces the parameters of a component (after the registry resolved them against the
 * component's specs, so the written config shows every default).  Takes ownership of `params`
 * (a MAP). */
void dmas_config_set_component_params (DmasConfig *config, const gchar *kind, const gchar *name,
                                       DmasNode *params);

G_END_DECLS

#endif /* DMAS_CONFIG_H */
