/* SPDX-License-Identifier: GPL-3.0-or-later */
/* In-process tests' plugin registry: every plugin of the build tree, plus test plugins. */
#ifndef DMAS_TESTS_SCEN_REGISTRY_H
#define DMAS_TESTS_SCEN_REGISTRY_H

#include <glib.h>

#include "plugin/registry.h"

/* A registry scanned from the search path dmas itself uses in a build tree (every
 * plugins/KIND/.libs: the test programs live in the build tree too), with
 * $DMAS_BUILDDIR/tests/TEST_DIR/.libs first when `test_dir` is non-NULL ("consensus-broken").
 * Load failures are printed as TAP comments.  Returns: (transfer full). */
static inline DmasRegistry *
scen_registry_new (const gchar *test_dir)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *extra = test_dir == NULL
      ? NULL
      : g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR, "tests", test_dir,
                          ".libs", NULL);
  g_auto (GStrv) dirs = dmas_plugin_search_path (extra, NULL);
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  DmasRegistry *registry = dmas_registry_new ();
  dmas_registry_scan (registry, (const gchar *const *) dirs, failures);
  for (guint i = 0; i < failures->len; i++)
    g_printerr ("# plugin load failure: %s\n", (const gchar *) failures->pdata[i]);
  return registry;
}

#endif /* DMAS_TESTS_SCEN_REGISTRY_H */
