/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The YAML document as a tree of nodes that remember where they came from. */
#ifndef DMAS_CONFIG_NODE_H
#define DMAS_CONFIG_NODE_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DMAS_NODE_SCALAR,
  DMAS_NODE_MAP,
  DMAS_NODE_SEQ
} DmasNodeKind;

typedef struct DmasNode DmasNode;

/* A node.  Positions are 1-based.  `file` is the YAML file (or "<command line>" for --set)
 * and `base_dir` the directory that relative paths in this node resolve against. */
struct DmasNode {
  DmasNodeKind kind;
  gchar *file;
  gchar *base_dir;
  guint line, column;
  gchar *scalar;         /* SCALAR: the text */
  gboolean quoted;       /* SCALAR: was quoted in YAML (so "yes" stays a string) */
  GPtrArray *keys;       /* MAP: gchar*, in document order */
  GPtrArray *values;     /* MAP: DmasNode*, parallel to keys; SEQ: items */
  /* Appended: MAP: DmasNode* (SCALAR), parallel to keys, where each key itself was written,
   * so that "unknown key" and "duplicate key" errors point at the key, not at its value. */
  GPtrArray *key_nodes;
};

/* Caps against hostile or mistaken input. */
#define DMAS_CONFIG_MAX_BYTES (1024 * 1024)
#define DMAS_CONFIG_MAX_DEPTH 32
#define DMAS_CONFIG_MAX_NODES 100000

/* Parses a YAML file into a tree.  Rejects aliases/anchors, multiple documents, files over
 * the size cap, nesting over the depth cap and too many nodes, each with file:line:column.
 * Returns: (transfer full) the root (a MAP), or NULL with error set. */
DmasNode *dmas_node_parse_file (const gchar *path, GError **error);
DmasNode *dmas_node_parse_string (const gchar *text, gsize len, const gchar *name,
                                  const gchar *base_dir, GError **error);
void dmas_node_free (DmasNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasNode, dmas_node_free)
DmasNode *dmas_node_copy (const DmasNode *node);

/* Map lookup of one key.  Returns: (transfer none) (nullable). */
DmasNode *dmas_node_get (const DmasNode *map, const gchar *key);
/* Dotted path lookup ("network.latency").  Returns: (transfer none) (nullable). */
DmasNode *dmas_node_lookup (const DmasNode *root, const gchar *path);
/* Sets map[key] = value (taking ownership of value), replacing an existing entry in place. */
void dmas_node_set (DmasNode *map, const gchar *key, DmasNode *value);
DmasNode *dmas_node_new_scalar (const gchar *text, const gchar *file, const gchar *base_dir,
                                guint line, guint column);
DmasNode *dmas_node_new_map (const gchar *file, const gchar *base_dir, guint line, guint column);

/* Applies "key.path=value": value is parsed as a YAML flow value (scalar, [list] or {map});
 * missing intermediate maps are created.  Relative paths in it resolve against the current
 * working directory.  Errors name the argument. */
gboolean dmas_node_apply_set (DmasNode *root, const gchar *assignment, GError **error);

/* Emits the tree as YAML (block style, keys in tree order).  Returns: (transfer full). */
gchar *dmas_node_to_yaml (const DmasNode *root);

/* Formats "file:line:column: " for error messages.  Returns: (transfer full). */
gchar *dmas_node_where (const DmasNode *node);

/* Value parsers.  They accept what the README documents and fail with a message that names
 * the expected form; callers prefix the node's position. */
gboolean dmas_parse_duration (const gchar *text, guint64 *out_ns, GError **error); /* "150ms" */
gboolean dmas_parse_size (const gchar *text, guint64 *out_bytes, GError **error);  /* "64GB", "1KiB" */
gboolean dmas_parse_rate (const gchar *text, gdouble *out_bits_per_s, GError **error); /* "10Gbps" */
/* Formats a double the way the resolved config writes it: the shortest text that reads back
 * to the same value, with ".0" when it has no fraction.  Returns: (transfer full). */
gchar *dmas_format_double (gdouble v);

/* TRUE when this process's executable lives under the build tree it was built in
 * (DMAS_ABS_BUILDDIR), so that `./dmas` and the tests use the source tree's plugins, presets
 * and configs without installing them. */
gboolean dmas_running_from_build_tree (void);
/* configs/`relative` ("demo", "prompts", "quickstart.yaml") beside the sources when running
 * from the build tree, else under the installed data directory.  Returns: (transfer full). */
gchar *dmas_configs_path (const gchar *relative);

/* Formats a duration the way it would be written in YAML ("150ms", "2h").  (transfer full) */
gchar *dmas_format_duration (guint64 ns);

/* The closest of `candidates` to `word` (Levenshtein, within a third of its length), or NULL.
 * Returns: (transfer none). */
const gchar *dmas_did_you_mean (const gchar *word, const gchar *const *candidates, gsize n);

/* Appended.  Sets map[key->scalar] = value, taking both; `key` carries the key's position.
 * An existing entry is replaced in place (document order kept). */
void dmas_node_set_keyed (DmasNode *map, DmasNode *key, DmasNode *value);
/* Appended.  The node of a map's key (for its position).  Returns: (transfer none) (nullable). */
DmasNode *dmas_node_get_key_node (const DmasNode *map, const gchar *key);

#define DMAS_CONFIG_ERROR (dmas_config_error_quark ())
GQuark dmas_config_error_quark (void);
typedef enum {
  DMAS_CONFIG_ERROR_IO,
  DMAS_CONFIG_ERROR_SYNTAX,
  DMAS_CONFIG_ERROR_LIMIT,
  DMAS_CONFIG_ERROR_UNKNOWN_KEY,
  DMAS_CONFIG_ERROR_TYPE,
  DMAS_CONFIG_ERROR_VALUE,
  DMAS_CONFIG_ERROR_UNSUPPORTED
} DmasConfigError;

G_END_DECLS

#endif /* DMAS_CONFIG_NODE_H */
