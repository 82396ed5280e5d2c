/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opens one plugin file and runs the checks of DESIGN §4, in order, before trusting it. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plugin/plugin-private.h"

G_DEFINE_QUARK (dmas-plugin-error-quark, dmas_plugin_error)

/* The ABI 1.0 layout.  Later minors only append, so this stays the floor for ever, whereas
 * sizeof grows with the host and would wrongly refuse older plugins. */
#define DESC_MIN_SIZE (offsetof (DmasPluginDesc, n_components) + sizeof (uint32_t))
/* More components than this means a corrupt descriptor, not a big plugin. */
#define MAX_COMPONENTS 256

void
dmas_loaded_plugin_free (DmasLoadedPlugin *plugin)
{
  if (plugin == NULL)
    return;
  for (guint i = 0; i < plugin->components->len; i++)
    {
      DmasComponentInfo *info = g_ptr_array_index (plugin->components, i);
      g_free ((gpointer) info->ops);
      g_free (info);
    }
  g_ptr_array_unref (plugin->components);
  g_free (plugin->file);
  g_free (plugin->name);
  g_free (plugin->version);
  g_free (plugin);
}

gchar *
dmas_plugin_name_from_path (const gchar *path)
{
  gchar *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, ".so"))
    base[strlen (base) - 3] = '\0';
  return base;
}

/* Why these checks: the host runs plugin code with the user's rights, so a file that someone
 * else could replace, or a link that silently pulls code from elsewhere, is refused.  (A race
 * between this check and dlopen remains; it needs write access to the directory.) */
static gboolean
check_file (const gchar *path, GError **error)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_FILE, "%s: cannot be read: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  if (S_ISLNK (st.st_mode))
    {
      g_autofree gchar *dir = g_path_get_dirname (path);
      g_autofree gchar *target = realpath (path, NULL);
      g_autofree gchar *real_dir = realpath (dir, NULL);
      g_autofree gchar *target_dir = target != NULL ? g_path_get_dirname (target) : NULL;

      if (target == NULL || real_dir == NULL)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_FILE,
                       "%s: is a symbolic link that cannot be resolved", path);
          return FALSE;
        }
      if (strcmp (target_dir, real_dir) != 0)
        {
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_FILE,
                       "%s: is a symbolic link to %s, outside its directory: refusing it "
                       "(copy the plugin into the directory instead)", path, target);
          return FALSE;
        }
      if (stat (path, &st) != 0)
        {
          int saved = errno;
          g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_FILE,
                       "%s: cannot be read: %s", path, g_strerror (saved));
          return FALSE;
        }
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_FILE,
                   "%s: is not a regular file", path);
      return FALSE;
    }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_FILE,
                   "%s: is writable by group or others (mode %04o), so someone else could "
                   "replace its code: refusing it (fix: chmod go-w %s)",
                   path, (unsigned) (st.st_mode & 07777), path);
      return FALSE;
    }
  return TRUE;
}

/* Magic, ABI version, descriptor size, name, version and component array. */
static gboolean
check_desc (const gchar *path, const DmasPluginDesc *raw, DmasPluginDesc *desc, GError **error)
{
  g_autofree gchar *want = dmas_plugin_name_from_path (path);

  if (raw->magic != DMAS_PLUGIN_MAGIC)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_MAGIC,
                   "%s: bad magic number 0x%08x (expected 0x%08x): not a dmas plugin, or a "
                   "corrupt one", path, raw->magic, DMAS_PLUGIN_MAGIC);
      return FALSE;
    }
  if (raw->abi_major != DMAS_ABI_MAJOR)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_ABI,
                   "%s: plugin ABI %u.%u is not supported by this host (ABI %d.%d): rebuild "
                   "the plugin against dmas %d.x headers", path, raw->abi_major,
                   raw->abi_minor, DMAS_ABI_MAJOR, DMAS_ABI_MINOR, DMAS_ABI_MAJOR);
      return FALSE;
    }
  if (raw->abi_minor > DMAS_ABI_MINOR)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_ABI,
                   "%s: plugin ABI %u.%u is newer than this host's (ABI %d.%d): upgrade dmas, "
                   "or rebuild the plugin against these headers", path, raw->abi_major,
                   raw->abi_minor, DMAS_ABI_MAJOR, DMAS_ABI_MINOR);
      return FALSE;
    }
  if (raw->struct_size < DESC_MIN_SIZE)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                   "%s: descriptor struct_size %u is smaller than the ABI %d.0 layout "
                   "(%zu bytes): rebuild the plugin against these headers", path,
                   raw->struct_size, DMAS_ABI_MAJOR, (size_t) DESC_MIN_SIZE);
      return FALSE;
    }
  /* Zero-filled host-sized copy: fields a newer host appended read as NULL/0. */
  memset (desc, 0, sizeof *desc);
  memcpy (desc, raw, MIN ((gsize) raw->struct_size, sizeof *desc));

  if (desc->name == NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                   "%s: the descriptor has no name (it must be '%s')", path, want);
      return FALSE;
    }
  if (strcmp (desc->name, want) != 0)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                   "%s: the plugin calls itself '%.64s' but the file is named '%s.so': the "
                   "plugin name must equal the file's basename (rename one of them)", path,
                   desc->name, want);
      return FALSE;
    }
  if (desc->version == NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                   "%s: the descriptor has no version", path);
      return FALSE;
    }
  if (desc->components == NULL || desc->n_components == 0)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                   "%s: the plugin declares no components", path);
      return FALSE;
    }
  if (desc->n_components > MAX_COMPONENTS)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DESC,
                   "%s: the plugin declares %u components (at most %d are allowed): corrupt "
                   "descriptor?", path, desc->n_components, MAX_COMPONENTS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_init (const gchar *path, const DmasPluginDesc *desc, GError **error)
{
  DmasError err = { 0 };
  int status;

  if (desc->init == NULL)
    return TRUE;
  status = desc->init (&err);
  if (status == DMAS_OK)
    return TRUE;
  err.message[DMAS_ERROR_MAX - 1] = '\0';
  if (err.message[0] != '\0')
    g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_INIT, "%s: init() failed: %s",
                 path, err.message);
  else
    g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_INIT,
                 "%s: init() failed with status %d and no message", path, status);
  return FALSE;
}

DmasLoadedPlugin *
dmas_plugin_load (const gchar *path, DmasTakenFn taken, gpointer taken_data, GError **error)
{
  g_autoptr (DmasLoadedPlugin) plugin = NULL;
  DmasPluginDescribeFn describe;
  const DmasPluginDesc *raw;
  DmasPluginDesc desc;
  void *handle;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_file (path, error))
    return NULL;
  /* RTLD_NOW: a missing symbol fails here, not hours into a campaign.  RTLD_LOCAL: two
   * plugins' private symbols never interpose on each other. */
  handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    {
      const char *why = dlerror ();
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DLOPEN,
                   "%s: cannot be loaded: %s", path, why != NULL ? why : "unknown dlopen error");
      return NULL;
    }
  describe = (DmasPluginDescribeFn) dlsym (handle, DMAS_PLUGIN_ENTRY);
  if (describe == NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NO_ENTRY,
                   "%s: does not export %s(): not a dmas plugin", path, DMAS_PLUGIN_ENTRY);
      dlclose (handle);
      return NULL;
    }
  raw = describe ();
  if (raw == NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NO_ENTRY,
                   "%s: %s() returned NULL", path, DMAS_PLUGIN_ENTRY);
      dlclose (handle);
      return NULL;
    }

  plugin = g_new0 (DmasLoadedPlugin, 1);
  plugin->file = g_canonicalize_filename (path, NULL);
  plugin->name = dmas_plugin_name_from_path (path);
  plugin->components = g_ptr_array_new ();
  if (!check_desc (path, raw, &desc, error))
    {
      dlclose (handle);
      return NULL;
    }
  plugin->version = g_strdup (desc.version);
  if (!dmas_plugin_check_components (path, &desc, plugin, taken, taken_data, error))
    {
      dlclose (handle);
      return NULL;
    }
  /* Refused before init(): only the descriptor ran, so unmapping is safe.  After a failed
   * init() the plugin may have left state behind (atexit, threads), so it stays mapped. */
  if (!run_init (path, &desc, error))
    return NULL;
  plugin->handle = handle;
  plugin->fini = desc.fini;
  plugin->initialized = TRUE;
  return g_steal_pointer (&plugin);
}
