/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plugin loader and registry: finds .so files, checks them, and indexes their components. */
#ifndef DMAS_REGISTRY_H
#define DMAS_REGISTRY_H

#include <glib.h>

#include <dmas/plugin.h>
#include "config/config.h"

G_BEGIN_DECLS

/* One loaded component.  Owned by the registry; valid until dmas_registry_free(). */
typedef struct {
  DmasKind kind;
  const gchar *name;
  const gchar *summary;
  const gchar *plugin;    /* plugin name */
  const gchar *version;   /* plugin version */
  const gchar *file;      /* absolute path of the .so */
  guint api_major, api_minor;
  const DmasParamSpec *params; /* NULL-name terminated; never NULL (may be empty) */
  /* The plugin's ops copied into a zero-filled struct of the host's full size, so optional
   * ops that an older-minor plugin does not have read as NULL.  Cast by kind. */
  gconstpointer ops;
} DmasComponentInfo;

typedef struct DmasRegistry DmasRegistry;

#define DMAS_PLUGIN_ERROR (dmas_plugin_error_quark ())
GQuark dmas_plugin_error_quark (void);
typedef enum {
  DMAS_PLUGIN_ERROR_FILE,        /* not a regular file, symlink escape, writable by others */
  DMAS_PLUGIN_ERROR_DLOPEN,      /* dlopen failed (missing dependency, unresolved symbol) */
  DMAS_PLUGIN_ERROR_NO_ENTRY,    /* dmas_plugin_describe missing or returned NULL */
  DMAS_PLUGIN_ERROR_MAGIC,
  DMAS_PLUGIN_ERROR_ABI,         /* major differs or minor newer than the host */
  DMAS_PLUGIN_ERROR_DESC,        /* struct_size, name != basename, bad fields */
  DMAS_PLUGIN_ERROR_KIND,        /* unknown/unsupported kind, kind API mismatch */
  DMAS_PLUGIN_ERROR_OPS,         /* ops struct too small or mandatory op NULL */
  DMAS_PLUGIN_ERROR_DUPLICATE,   /* (kind, name) already registered */
  DMAS_PLUGIN_ERROR_INIT,        /* init() failed */
  DMAS_PLUGIN_ERROR_NOT_FOUND,   /* no component of that kind and name on the search path */
  DMAS_PLUGIN_ERROR_PARAMS       /* bad component parameters in the config */
} DmasPluginError;

DmasRegistry *dmas_registry_new (void);
/* Calls every loaded plugin's fini().  Libraries stay mapped until exit (no dlclose), so
 * pointers handed out earlier never dangle. */
void dmas_registry_free (DmasRegistry *registry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasRegistry, dmas_registry_free)

/* Loads one plugin file, running every check of DESIGN §4 in order before any plugin code
 * other than dmas_plugin_describe() runs; init() runs last.  On failure nothing of the file
 * is registered and error names the file, the check and both versions where relevant. */
gboolean dmas_registry_load_file (DmasRegistry *registry, const gchar *path, GError **error);

/* Loads every *.so in each directory (directories in order, files sorted by name).  A file
 * whose basename was already loaded from an earlier directory is skipped (first match wins).
 * Failures do not stop the scan: each is appended to `failures` (nullable, gchar* messages).
 * Returns: the number of plugin files loaded. */
guint dmas_registry_scan (DmasRegistry *registry, const gchar *const *dirs, GPtrArray *failures);

/* Returns: (transfer none) (nullable) the component, or NULL. */
const DmasComponentInfo *dmas_registry_find (DmasRegistry *registry, DmasKind kind,
                                             const gchar *name);
/* Like find, but on failure explains: the names of that kind that do exist (did-you-mean)
 * and the load failures collected by the scans. */
const DmasComponentInfo *dmas_registry_lookup (DmasRegistry *registry, DmasKind kind,
                                               const gchar *name, GError **error);
/* All components sorted by (kind, name).  Returns: (transfer container) of DmasComponentInfo*. */
GPtrArray *dmas_registry_list (DmasRegistry *registry);

/* Search path (DESIGN §4), first match wins: cli_path (colon-separated, nullable) →
 * $DMAS_PLUGIN_PATH → yaml_path (nullable array of absolute dirs) → the build tree's plugin
 * directories when this binary runs from the build tree → DMAS_PLUGINDIR.
 * Returns: (transfer full) NULL-terminated array of directories. */
gchar **dmas_plugin_search_path (const gchar *cli_path, GPtrArray *yaml_path);

/* Checks `given` (a MAP node from the config, nullable) against the component's parameter
 * specs: unknown keys (did-you-mean), types; fills defaults.
 * Returns: (transfer full) a MAP with one entry per declared parameter, in spec order, or NULL
 * with error set (file:line:column when the node has a position). */
DmasNode *dmas_component_resolve_params (const DmasComponentInfo *info, const DmasNode *given,
                                         GError **error);

/* The component of `kind` that the config names `given` ("raft" or "consensus/raft"), with its
 * parameters from the config's `params:` resolved against its specs.
 * params_out: (out) (transfer full) a MAP in spec order.
 * Returns: (transfer none) (nullable) the component, or NULL with error set. */
const DmasComponentInfo *dmas_registry_resolve (DmasRegistry *registry,
                                                const DmasConfig *config,
                                                DmasKind kind, const gchar *given,
                                                DmasNode **params_out, GError **error);
/* Resolves the components named under `scheduling:` (the hybrid pool's bidder too) and the
 * llm provider (when the config wants an LLM: dmas_config_wants_llm), and writes
 * their parameters, defaults filled, back into the config's resolved tree (so `dmas config`
 * and config.resolved.yaml show them).  Returns FALSE with error set when a component is
 * missing or a parameter is bad. */
gboolean dmas_registry_fill_config (DmasRegistry *registry, DmasConfig *config,
                                    GError **error);
/* Appended (llm).  The config's llm.provider (borrowed; NULL for a tree without it). */
const gchar *dmas_config_llm_provider (const DmasConfig *config);
/* Appended (llm).  TRUE when an agent bids with the LLM bidder (scheduling.bidding or the
 * hybrid pool's is `llm`): only then does a run set up its provider and the host's LLM
 * service (a bidder of another name gets DMAS_ESTATE from llm_request). */
gboolean dmas_config_wants_llm (const DmasConfig *config);

const gchar *dmas_kind_to_string (DmasKind kind);
gboolean dmas_kind_from_string (const gchar *text, DmasKind *out);

/* Appended.  "int", "double", "bool", "string", "duration"; NULL for an unknown type. */
const gchar *dmas_param_type_to_string (DmasParamType type);

G_END_DECLS

#endif /* DMAS_REGISTRY_H */
