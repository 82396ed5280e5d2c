/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the loader, the registry and parameter resolution (not for other modules). */
#ifndef DMAS_PLUGIN_PRIVATE_H
#define DMAS_PLUGIN_PRIVATE_H

#include <glib.h>

#include <dmas/dmas.h>
#include "plugin/registry.h"

G_BEGIN_DECLS

/* What the host knows about one kind it supports. */
typedef struct {
  DmasKind kind;
  const gchar *name;        /* "bidding" */
  guint api_major, api_minor;
  gsize ops_min_size;       /* the x.0 layout: anything smaller is refused */
  gsize ops_host_size;      /* sizeof the host's ops struct */
  const gsize *mandatory;   /* offsets of the mandatory op pointers ... */
  const gchar *const *mandatory_names; /* ... and their names */
  gsize n_mandatory;
} DmasKindInfo;

/* Returns: (transfer none) (nullable) the host's description of `kind`, or NULL when the
 * kind is unknown. */
const DmasKindInfo *dmas_kind_info (DmasKind kind);
/* The rules about a kind's ops beyond "these are non-NULL" (an llm component is offline or
 * online).  `ops` is the host-sized copy.  Returns: FALSE with *problem set (static). */
gboolean dmas_kind_check_ops (const DmasKindInfo *kind, const void *ops,
                              const gchar **problem);
/* Ops structs larger than this are taken for garbage rather than for a future minor. */
#define DMAS_OPS_MAX_SIZE 4096

/* TRUE when `name` is a valid component name: [a-z0-9-]+, at most DMAS_COMPONENT_NAME_MAX. */
#define DMAS_COMPONENT_NAME_MAX 64
gboolean dmas_component_name_valid (const gchar *name);

/* Checks that `text` is a valid value of `type`.  The error message says what was expected
 * and carries no position; callers prefix it. */
gboolean dmas_param_value_check (DmasParamType type, const gchar *text, GError **error);
/* TRUE when `name` is a valid parameter name: [a-z0-9_-]+, at most DMAS_COMPONENT_NAME_MAX. */
gboolean dmas_param_name_valid (const gchar *name);

/* A plugin file that passed every check, with its components ready to register. */
typedef struct {
  gchar *file;                 /* absolute path */
  gchar *name;                 /* plugin name == basename without .so */
  gchar *version;
  void (*fini) (void);         /* nullable */
  void *handle;                /* dlopen handle, never closed */
  GPtrArray *components;       /* DmasComponentInfo*, owned (ops copies included) */
  gboolean initialized;        /* init() ran and succeeded: fini() is due */
} DmasLoadedPlugin;

void dmas_loaded_plugin_free (DmasLoadedPlugin *plugin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasLoadedPlugin, dmas_loaded_plugin_free)

/* Returns: (transfer full) the plugin name a file must carry: its basename without ".so". */
gchar *dmas_plugin_name_from_path (const gchar *path);

/* Callback the loader uses to ask whether (kind, name) is taken.  Returns: (nullable) the
 * file that already provides it. */
typedef const gchar *(*DmasTakenFn) (gpointer data, DmasKind kind, const gchar *name);

/* Checks every component of `desc` (a host-sized copy of a descriptor that passed its own
 * checks) and appends their registry entries to plugin->components.  Returns FALSE with
 * error set at the first failure. */
gboolean dmas_plugin_check_components (const gchar *path, const DmasPluginDesc *desc,
                                       DmasLoadedPlugin *plugin, DmasTakenFn taken,
                                       gpointer taken_data, GError **error);

/* Runs every check of DESIGN §4 on `path` in order, then init().  Nothing is registered
 * here: the caller does that with the result.  Returns: (transfer full) the plugin, or NULL
 * with error set (DMAS_PLUGIN_ERROR_*). */
DmasLoadedPlugin *dmas_plugin_load (const gchar *path, DmasTakenFn taken, gpointer taken_data,
                                    GError **error);

G_END_DECLS

#endif /* DMAS_PLUGIN_PRIVATE_H */
