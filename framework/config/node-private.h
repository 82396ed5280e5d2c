/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the files of framework/config only. */
#ifndef DMAS_CONFIG_NODE_PRIVATE_H
#define DMAS_CONFIG_NODE_PRIVATE_H

#include <glib.h>

#include "config/node.h"

G_BEGIN_DECLS

/* Parses `text` as one YAML value of any kind (scalar, list or map), as used for --set values.
 * Positions on the first line are shifted right by `column_offset` so that they point into
 * the whole command-line argument.  Empty text gives an empty plain scalar (a YAML null).
 * Returns: (transfer full) the value, or NULL with a file:line:column error. */
DmasNode *dmas_node_parse_value (const gchar *text, const gchar *name, const gchar *base_dir,
                                 guint column_offset, GError **error);

/* An empty sequence.  Returns: (transfer full). */
DmasNode *dmas_node_new_seq (const gchar *file, const gchar *base_dir, guint line, guint column);

/* TRUE when a plain scalar is a YAML null: empty, "~" or "null". */
gboolean dmas_node_is_null (const DmasNode *node);

/* Sets error to "WHERE: message" with `node`'s position. */
void dmas_node_set_error (GError **error, const DmasNode *node, DmasConfigError code,
                          const gchar *format, ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS

#endif /* DMAS_CONFIG_NODE_PRIVATE_H */
