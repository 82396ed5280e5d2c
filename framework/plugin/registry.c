/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry: which components are loaded, from where, and why others are missing. */
#include "config.h"

#include <string.h>

#include "plugin/plugin-private.h"

struct DmasRegistry {
  GPtrArray *plugins;   /* DmasLoadedPlugin*, in load order */
  GPtrArray *searched;  /* gchar*, directories scanned so far, in order */
  GPtrArray *failures;  /* gchar*, load errors collected by scans */
};

DmasRegistry *
dmas_registry_new (void)
{
  DmasRegistry *registry = g_new0 (DmasRegistry, 1);

  registry->plugins = g_ptr_array_new ();
  registry->searched = g_ptr_array_new_with_free_func (g_free);
  registry->failures = g_ptr_array_new_with_free_func (g_free);
  return registry;
}

void
dmas_registry_free (DmasRegistry *registry)
{
  if (registry == NULL)
    return;
  /* Reverse load order, like destructors: a plugin loaded later may rely on one loaded
   * earlier having been initialized. */
  for (guint i = registry->plugins->len; i-- > 0;)
    {
      DmasLoadedPlugin *plugin = g_ptr_array_index (registry->plugins, i);
      if (plugin->initialized && plugin->fini != NULL)
        plugin->fini ();
      dmas_loaded_plugin_free (plugin);
    }
  g_ptr_array_unref (registry->plugins);
  g_ptr_array_unref (registry->searched);
  g_ptr_array_unref (registry->failures);
  g_free (registry);
}

const DmasComponentInfo *
dmas_registry_find (DmasRegistry *registry, DmasKind kind, const gchar *name)
{
  g_return_val_if_fail (registry != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* A linear walk: a registry holds tens of components and is searched once per run. */
  for (guint i = 0; i < registry->plugins->len; i++)
    {
      const DmasLoadedPlugin *plugin = g_ptr_array_index (registry->plugins, i);
      for (guint j = 0; j < plugin->components->len; j++)
        {
          const DmasComponentInfo *info = g_ptr_array_index (plugin->components, j);
          if (info->kind == kind && strcmp (info->name, name) == 0)
            return info;
        }
    }
  return NULL;
}

static const gchar *
taken_by (gpointer data, DmasKind kind, const gchar *name)
{
  const DmasComponentInfo *info = dmas_registry_find (data, kind, name);

  return info != NULL ? info->file : NULL;
}

static const DmasLoadedPlugin *
find_plugin (DmasRegistry *registry, const gchar *name)
{
  for (guint i = 0; i < registry->plugins->len; i++)
    {
      const DmasLoadedPlugin *plugin = g_ptr_array_index (registry->plugins, i);
      if (strcmp (plugin->name, name) == 0)
        return plugin;
    }
  return NULL;
}

gboolean
dmas_registry_load_file (DmasRegistry *registry, const gchar *path, GError **error)
{
  g_autofree gchar *name = NULL;
  const DmasLoadedPlugin *same;
  DmasLoadedPlugin *plugin;

  g_return_val_if_fail (registry != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = dmas_plugin_name_from_path (path);
  same = find_plugin (registry, name);
  if (same != NULL)
    {
      g_set_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_DUPLICATE,
                   "%s: a plugin named '%s' is already loaded from %s", path, name, same->file);
      return FALSE;
    }
  plugin = dmas_plugin_load (path, taken_by, registry, error);
  if (plugin == NULL)
    return FALSE;
  g_ptr_array_add (registry->plugins, plugin);
  return TRUE;
}

static void
add_failure (DmasRegistry *registry, GPtrArray *failures, const gchar *message)
{
  g_ptr_array_add (registry->failures, g_strdup (message));
  if (failures != NULL)
    g_ptr_array_add (failures, g_strdup (message));
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

/* Returns: (transfer full) the *.so names in `dir`, sorted bytewise so that the load order
 * (and therefore which of two clashing components wins) never depends on the file system. */
static GPtrArray *
list_plugins (const gchar *dir, GError **error)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const gchar *entry;

  if (handle == NULL)
    return NULL;
  while ((entry = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (entry, ".so") && strlen (entry) > 3)
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_strings);
  return g_steal_pointer (&names);
}

static gboolean
contains_string (GPtrArray *array, const gchar *text)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp (g_ptr_array_index (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

guint
dmas_registry_scan (DmasRegistry *registry, const gchar *const *dirs, GPtrArray *failures)
{
  guint loaded = 0;

  g_return_val_if_fail (registry != NULL, 0);

  for (gsize d = 0; dirs != NULL && dirs[d] != NULL; d++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) names = list_plugins (dirs[d], &error);

      if (!contains_string (registry->searched, dirs[d]))
        g_ptr_array_add (registry->searched, g_strdup (dirs[d]));
      if (names == NULL)
        {
          g_autofree gchar *message = g_strdup_printf ("%s: cannot list the directory: %s",
                                                       dirs[d], error->message);
          add_failure (registry, failures, message);
          continue;
        }
      for (guint i = 0; i < names->len; i++)
        {
          const gchar *file = g_ptr_array_index (names, i);
          g_autofree gchar *name = dmas_plugin_name_from_path (file);
          g_autofree gchar *path = NULL;
          g_autoptr (GError) local = NULL;

          /* First match wins: an earlier directory shadows a later one.  Only a plugin that
           * actually loaded shadows; a broken one is reported and the next copy is tried. */
          if (find_plugin (registry, name) != NULL)
            continue;
          path = g_build_filename (dirs[d], file, NULL);
          if (dmas_registry_load_file (registry, path, &local))
            loaded++;
          else
            add_failure (registry, failures, local->message);
        }
    }
  return loaded;
}

static gint
compare_components (gconstpointer a, gconstpointer b)
{
  const DmasComponentInfo *x = *(const DmasComponentInfo *const *) a;
  const DmasComponentInfo *y = *(const DmasComponentInfo *const *) b;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp (x->name, y->name);
}

GPtrArray *
dmas_registry_list (DmasRegistry *registry)
{
  GPtrArray *list;

  g_return_val_if_fail (registry != NULL, NULL);

  list = g_ptr_array_new ();
  for (guint i = 0; i < registry->plugins->len; i++)
    {
      const DmasLoadedPlugin *plugin = g_ptr_array_index (registry->plugins, i);
      for (guint j = 0; j < plugin->components->len; j++)
        g_ptr_array_add (list, g_ptr_array_index (plugin->components, j));
    }
  g_ptr_array_sort (list, compare_components);
  return list;
}

/* The same name under another kind first (the user most likely put it under the wrong key),
 * else "(did you mean 'raft'?)" among the names of the kind asked for, else nothing. */
static void
append_hint (DmasRegistry *registry, DmasKind kind, const gchar *name, GString *out)
{
  g_autoptr (GPtrArray) all = dmas_registry_list (registry);
  g_autoptr (GPtrArray) same_kind = g_ptr_array_new ();
  const gchar *guess;

  for (guint i = 0; i < all->len; i++)
    {
      const DmasComponentInfo *info = g_ptr_array_index (all, i);
      if (info->kind != kind && strcmp (info->name, name) == 0)
        {
          g_string_append_printf (out, " (there is a %s component '%s')",
                                  dmas_kind_to_string (info->kind), name);
          return;
        }
      if (info->kind == kind)
        g_ptr_array_add (same_kind, (gpointer) info->name);
    }
  guess = dmas_did_you_mean (name, (const gchar *const *) same_kind->pdata, same_kind->len);
  if (guess != NULL)
    g_string_append_printf (out, " (did you mean '%s'?)", guess);
}

const DmasComponentInfo *
dmas_registry_lookup (DmasRegistry *registry, DmasKind kind, const gchar *name,
                      GError **error)
{
  const DmasComponentInfo *info;
  g_autoptr (GString) message = NULL;

  g_return_val_if_fail (registry != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = dmas_registry_find (registry, kind, name);
  if (info != NULL)
    return info;

  message = g_string_new (NULL);
  g_string_append_printf (message, "no %s component '%s' found", dmas_kind_to_string (kind),
                          name);
  append_hint (registry, kind, name, message);
  g_string_append (message, "; searched: ");
  if (registry->searched->len == 0)
    g_string_append (message, "no directories");
  for (guint i = 0; i < registry->searched->len; i++)
    g_string_append_printf (message, "%s%s", i > 0 ? ", " : "",
                            (const gchar *) g_ptr_array_index (registry->searched, i));
  if (registry->failures->len > 0)
    g_string_append (message, "; plugins that failed to load: ");
  for (guint i = 0; i < registry->failures->len; i++)
    g_string_append_printf (message, "%s%s", i > 0 ? "; " : "",
                            (const gchar *) g_ptr_array_index (registry->failures, i));
  g_set_error_literal (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NOT_FOUND, message->str);
  return NULL;
}
