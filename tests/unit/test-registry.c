/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Registry tests: search path order, scan order and first match, sorted lists, lookup errors. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <dmas/dmas.h>
#include "plugin/registry.h"

/* A private directory tree per test; the check plugins are copied into it. */
typedef struct {
  gchar *root;
} Fixture;

static void
remove_tree (const gchar *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *entry;

  if (dir != NULL)
    {
      while ((entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, entry, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  (void) data;
  fx->root = g_dir_make_tmp ("dmas-registry-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  (void) data;
  remove_tree (fx->root);
  g_free (fx->root);
}

/* Creates ROOT/name and returns its path. */
static gchar *
make_dir (Fixture *fx, const gchar *name)
{
  gchar *path = g_build_filename (fx->root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  return path;
}

/* Copies the check plugin `name` (tests/abi) into `dir` with `mode`. */
static void
put_plugin (const gchar *dir, const gchar *name, int mode)
{
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *file = g_strconcat (name, ".so", NULL);
  g_autofree gchar *from = g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR,
                                             "tests", "abi", ".libs", file, NULL);
  g_autofree gchar *to = g_build_filename (dir, file, NULL);
  g_autofree gchar *bytes = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (from, &bytes, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, bytes, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (to, mode), ==, 0);
}

static void
assert_contains (const gchar *text, const gchar *part)
{
  if (strstr (text, part) == NULL)
    g_error ("'%s' lacks '%s'", text, part);
}

/* ---- search path ------------------------------------------------------------------------- */

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

static guint
index_of (gchar **dirs, const gchar *dir)
{
  for (guint i = 0; dirs[i] != NULL; i++)
    if (strcmp (dirs[i], dir) == 0)
      return i;
  return G_MAXUINT;
}

/* --plugin-path, then $DMAS_PLUGIN_PATH, then YAML; missing ones dropped, no duplicates. */
static void
test_search_path_order (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *a = make_dir (fx, "a");
  g_autofree gchar *b = make_dir (fx, "b");
  g_autofree gchar *c = make_dir (fx, "c");
  g_autofree gchar *d = make_dir (fx, "d");
  g_autofree gchar *missing = g_build_filename (fx->root, "missing", NULL);
  g_autofree gchar *cli = g_strjoin (":", a, missing, "", b, NULL);
  g_autofree gchar *env = g_strjoin (":", c, a, NULL);
  g_autoptr (GPtrArray) yaml = g_ptr_array_new ();
  g_auto (GStrv) dirs = NULL;

  (void) data;
  g_ptr_array_add (yaml, d);
  g_ptr_array_add (yaml, b);
  g_setenv ("DMAS_PLUGIN_PATH", env, TRUE);
  dirs = dmas_plugin_search_path (cli, yaml);
  g_unsetenv ("DMAS_PLUGIN_PATH");

  g_assert_cmpuint (g_strv_length (dirs), >=, 4);
  g_assert_cmpstr (dirs[0], ==, a);
  g_assert_cmpstr (dirs[1], ==, b);
  g_assert_cmpstr (dirs[2], ==, c);
  g_assert_cmpstr (dirs[3], ==, d);
  for (guint i = 4; dirs[i] != NULL; i++)
    {
      g_assert_false (g_str_has_prefix (dirs[i], fx->root));
      g_assert_true (g_file_test (dirs[i], G_FILE_TEST_IS_DIR));
    }
}

/* Without --plugin-path, the environment comes first; relative entries become absolute. */
static void
test_search_path_env_relative (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *a = make_dir (fx, "a");
  g_autofree gchar *b = make_dir (fx, "b");
  g_autofree gchar *cwd = g_get_current_dir ();
  g_auto (GStrv) dirs = NULL;

  (void) data;
  g_assert_cmpint (g_chdir (fx->root), ==, 0);
  g_setenv ("DMAS_PLUGIN_PATH", "b:./a/", TRUE);
  dirs = dmas_plugin_search_path (NULL, NULL);
  g_unsetenv ("DMAS_PLUGIN_PATH");
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  g_assert_cmpstr (dirs[0], ==, b);
  g_assert_cmpstr (dirs[1], ==, a);
}

/* This test program runs from the build tree, so every built plugins/NAME/.libs is listed,
 * in name order, after the user's directories. */
static void
test_search_path_build_tree (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *a = make_dir (fx, "a");
  g_autofree gchar *plugins = g_build_filename (DMAS_ABS_BUILDDIR, "plugins", NULL);
  g_auto (GStrv) dirs = dmas_plugin_search_path (a, NULL);
  g_autoptr (GDir) handle = g_dir_open (plugins, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const gchar *entry;
  guint last = 0;

  (void) data;
  g_assert_cmpstr (dirs[0], ==, a);
  while (handle != NULL && (entry = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree gchar *libs = g_build_filename (plugins, g_ptr_array_index (names, i),
                                                 ".libs", NULL);
      guint at;

      if (!g_file_test (libs, G_FILE_TEST_IS_DIR))
        continue;
      at = index_of (dirs, libs);
      g_assert_cmpuint (at, !=, G_MAXUINT);
      g_assert_cmpuint (at, >, last);
      last = at;
    }
  g_test_message ("last build-tree plugin directory at position %u", last);
}

/* ---- scanning ---------------------------------------------------------------------------- */

/* An earlier directory shadows a later one; other files of the later one still load. */
static void
test_scan_first_match (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *first = make_dir (fx, "first");
  g_autofree gchar *second = make_dir (fx, "second");
  g_autofree gchar *first_multi = g_build_filename (first, "good-multi.so", NULL);
  g_autofree gchar *second_old = g_build_filename (second, "good-old-minor.so", NULL);
  const gchar *dirs[] = { first, second, NULL };
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);

  (void) data;
  put_plugin (first, "good-multi", 0755);
  put_plugin (second, "good-multi", 0755);
  put_plugin (second, "good-old-minor", 0755);

  g_assert_cmpuint (dmas_registry_scan (registry, dirs, failures), ==, 2);
  g_assert_cmpuint (failures->len, ==, 0);
  g_assert_cmpstr (dmas_registry_find (registry, DMAS_KIND_CONSENSUS, "alpha")->file, ==,
                   first_multi);
  g_assert_cmpstr (dmas_registry_find (registry, DMAS_KIND_BIDDING, "old-minor")->file, ==,
                   second_old);
}

/* A refused file does not shadow a good copy further down the path, but is reported. */
static void
test_scan_failure_does_not_shadow (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *first = make_dir (fx, "first");
  g_autofree gchar *second = make_dir (fx, "second");
  g_autofree gchar *bad = g_build_filename (first, "good-multi.so", NULL);
  g_autofree gchar *good = g_build_filename (second, "good-multi.so", NULL);
  const gchar *dirs[] = { first, second, NULL };
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);

  (void) data;
  put_plugin (first, "good-multi", 0775);
  put_plugin (second, "good-multi", 0755);

  g_assert_cmpuint (dmas_registry_scan (registry, dirs, failures), ==, 1);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (failures, 0), bad));
  assert_contains (g_ptr_array_index (failures, 0), "chmod go-w");
  g_assert_cmpstr (dmas_registry_find (registry, DMAS_KIND_CONSENSUS, "alpha")->file, ==, good);
}

/* Files load in name order, whatever order they were created in: when two files clash, the
 * one that sorts first wins and the other is reported. */
static void
test_scan_sorted_order (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *dir = make_dir (fx, "dir");
  const gchar *dirs[] = { dir, NULL };
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);

  (void) data;
  put_plugin (dir, "good-old-minor", 0755);
  put_plugin (dir, "dup-across", 0755);

  g_assert_cmpuint (dmas_registry_scan (registry, dirs, failures), ==, 1);
  g_assert_cmpstr (dmas_registry_find (registry, DMAS_KIND_BIDDING, "old-minor")->plugin, ==,
                   "dup-across");
  g_assert_cmpuint (failures->len, ==, 1);
  assert_contains (g_ptr_array_index (failures, 0), "good-old-minor.so: component "
                                                    "bidding/old-minor is already provided by");
}

static void
test_scan_missing_dir (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *missing = g_build_filename (fx->root, "missing", NULL);
  const gchar *dirs[] = { missing, NULL };
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);

  (void) data;
  g_assert_cmpuint (dmas_registry_scan (registry, dirs, failures), ==, 0);
  g_assert_cmpuint (failures->len, ==, 1);
  assert_contains (g_ptr_array_index (failures, 0), "cannot list the directory");
}

/* ---- listing and lookup ------------------------------------------------------------------ */

static void
test_list_sorted (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *dir = make_dir (fx, "dir");
  const gchar *dirs[] = { dir, NULL };
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GPtrArray) list = NULL;
  const gchar *expected[] = { "bidding/beta", "bidding/old-minor", "consensus/alpha",
                              "consensus/zeta" };

  (void) data;
  put_plugin (dir, "good-old-minor", 0755);
  put_plugin (dir, "good-multi", 0755);
  g_assert_cmpuint (dmas_registry_scan (registry, dirs, NULL), ==, 2);

  list = dmas_registry_list (registry);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < list->len; i++)
    {
      const DmasComponentInfo *info = g_ptr_array_index (list, i);
      g_autofree gchar *key = g_strdup_printf ("%s/%s", dmas_kind_to_string (info->kind),
                                               info->name);
      g_assert_cmpstr (key, ==, expected[i]);
    }
}

static void
test_lookup_errors (Fixture *fx, gconstpointer data)
{
  g_autofree gchar *dir = make_dir (fx, "dir");
  g_autofree gchar *empty = make_dir (fx, "empty");
  const gchar *dirs[] = { dir, empty, NULL };
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autofree gchar *searched = g_strdup_printf ("; searched: %s, %s", dir, empty);
  g_autoptr (GError) error = NULL;

  (void) data;
  put_plugin (dir, "good-multi", 0755);
  put_plugin (dir, "init-fails", 0755);
  g_assert_cmpuint (dmas_registry_scan (registry, dirs, NULL), ==, 1);

  g_assert_nonnull (dmas_registry_lookup (registry, DMAS_KIND_CONSENSUS, "alpha", &error));
  g_assert_no_error (error);

  g_assert_null (dmas_registry_lookup (registry, DMAS_KIND_CONSENSUS, "alpah", &error));
  g_assert_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  assert_contains (error->message,
                   "no consensus component 'alpah' found (did you mean 'alpha'?)");
  assert_contains (error->message, searched);
  assert_contains (error->message, "; plugins that failed to load: ");
  assert_contains (error->message, "init-fails.so: init() failed: the frobnicator is missing");
  g_clear_error (&error);

  g_assert_null (dmas_registry_lookup (registry, DMAS_KIND_BIDDING, "zeta", &error));
  assert_contains (error->message, "no bidding component 'zeta' found (there is a consensus "
                                   "component 'zeta')");
  g_clear_error (&error);

  g_assert_null (dmas_registry_lookup (registry, DMAS_KIND_LLM, "chat", &error));
  assert_contains (error->message, "no llm component 'chat' found");
}

static void
test_lookup_nothing_searched (void)
{
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  g_autoptr (GError) error = NULL;

  g_assert_null (dmas_registry_lookup (registry, DMAS_KIND_BIDDING, "heuristic", &error));
  g_assert_error (error, DMAS_PLUGIN_ERROR, DMAS_PLUGIN_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "no bidding component 'heuristic' found; searched: no directories");
}

static void
test_kind_strings (void)
{
  DmasKind kind = 0;

  g_assert_cmpstr (dmas_kind_to_string (DMAS_KIND_BIDDING), ==, "bidding");
  g_assert_cmpstr (dmas_kind_to_string (DMAS_KIND_CONSENSUS), ==, "consensus");
  g_assert_cmpstr (dmas_kind_to_string (DMAS_KIND_FAULT), ==, "fault");
  g_assert_cmpstr (dmas_kind_to_string (DMAS_KIND_LLM), ==, "llm");
  g_assert_cmpstr (dmas_kind_to_string ((DmasKind) 99), ==, "unknown");
  g_assert_true (dmas_kind_from_string ("consensus", &kind));
  g_assert_cmpint (kind, ==, DMAS_KIND_CONSENSUS);
  g_assert_true (dmas_kind_from_string ("llm", &kind));
  g_assert_cmpint (kind, ==, DMAS_KIND_LLM);
  g_assert_false (dmas_kind_from_string ("consensu", &kind));
  g_assert_false (dmas_kind_from_string ("unknown", &kind));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/registry/search-path/order", Fixture, NULL, fixture_setup,
              test_search_path_order, fixture_teardown);
  g_test_add ("/registry/search-path/env-relative", Fixture, NULL, fixture_setup,
              test_search_path_env_relative, fixture_teardown);
  g_test_add ("/registry/search-path/build-tree", Fixture, NULL, fixture_setup,
              test_search_path_build_tree, fixture_teardown);
  g_test_add ("/registry/scan/first-match", Fixture, NULL, fixture_setup,
              test_scan_first_match, fixture_teardown);
  g_test_add ("/registry/scan/failure-does-not-shadow", Fixture, NULL, fixture_setup,
              test_scan_failure_does_not_shadow, fixture_teardown);
  g_test_add ("/registry/scan/sorted-order", Fixture, NULL, fixture_setup,
              test_scan_sorted_order, fixture_teardown);
  g_test_add ("/registry/scan/missing-dir", Fixture, NULL, fixture_setup,
              test_scan_missing_dir, fixture_teardown);
  g_test_add ("/registry/list/sorted", Fixture, NULL, fixture_setup, test_list_sorted,
              fixture_teardown);
  g_test_add ("/registry/lookup/errors", Fixture, NULL, fixture_setup, test_lookup_errors,
              fixture_teardown);
  g_test_add_func ("/registry/lookup/nothing-searched", test_lookup_nothing_searched);
  g_test_add_func ("/registry/kind/strings", test_kind_strings);
  return g_test_run ();
}
