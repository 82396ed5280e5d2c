/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stable storage: one agent's durable key → bytes map for one component kind. */
#include "config.h"

#include <string.h>

#include "agents/storage.h"

struct DmasStorage {
  GHashTable *values; /* gchar* key → GBytes*; looked up only, never iterated */
};

DmasStorage *
dmas_storage_new (void)
{
  DmasStorage *storage = g_new0 (DmasStorage, 1);
  storage->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_bytes_unref);
  return storage;
}

void
dmas_storage_free (DmasStorage *storage)
{
  if (storage == NULL)
    return;
  g_hash_table_unref (storage->values);
  g_free (storage);
}

int
dmas_storage_put (DmasStorage *storage, const gchar *key, const void *data, gsize len)
{
  if (key == NULL || strlen (key) > DMAS_STORAGE_KEY_MAX || len > DMAS_STORAGE_VALUE_MAX
      || (data == NULL && len > 0))
    return DMAS_EINVAL;
  g_hash_table_replace (storage->values, g_strdup (key), g_bytes_new (data, len));
  return DMAS_OK;
}

const void *
dmas_storage_get (const DmasStorage *storage, const gchar *key, gsize *len_out)
{
  GBytes *value = key != NULL ? g_hash_table_lookup (storage->values, key) : NULL;
  gsize len = 0;
  const void *data = value != NULL ? g_bytes_get_data (value, &len) : NULL;
  /* GBytes hands out NULL for an empty value; the caller must still see "there is one". */
  if (value != NULL && data == NULL)
    data = "";
  if (len_out != NULL)
    *len_out = len;
  return data;
}
