/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stable storage: one agent's durable key → bytes map for one component kind. */
#ifndef DMAS_AGENTS_STORAGE_H
#define DMAS_AGENTS_STORAGE_H

#include <glib.h>

#include <dmas/host.h>

G_BEGIN_DECLS

/* Owned by the agent record, not by a plugin instance: it outlives a crash and is what the
 * restarted instance restores from.  Behaviour never depends on the order of its keys (the
 * map is only looked up). */
typedef struct DmasStorage DmasStorage;

/* Returns: (transfer full) an empty storage. */
DmasStorage *dmas_storage_new (void);
void dmas_storage_free (DmasStorage *storage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasStorage, dmas_storage_free)

/* Stores a copy of `data` under `key`, replacing (and freeing) any older value.
 * Returns: DMAS_OK, or DMAS_EINVAL for a NULL key, a key longer than DMAS_STORAGE_KEY_MAX
 * bytes, a value longer than DMAS_STORAGE_VALUE_MAX bytes, or NULL data with len > 0. */
int dmas_storage_put (DmasStorage *storage, const gchar *key, const void *data, gsize len);
/* Returns: (transfer none) (nullable) the value under `key` (valid until the next put of that
 * key or the storage's end; an empty value is a non-NULL pointer) with its length in
 * *len_out (nullable; 0 when there is none), or NULL when there is none. */
const void *dmas_storage_get (const DmasStorage *storage, const gchar *key, gsize *len_out);

G_END_DECLS

#endif /* DMAS_AGENTS_STORAGE_H */
