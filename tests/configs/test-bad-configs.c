/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The corpus of bad configs: each file must fail with exactly the message beside it. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config/config.h"

/* Layout of tests/configs/bad/: NN-what.yaml is loaded, NN-what.expected holds the whole
 * error message, and an optional NN-what.set lists --set arguments (one per line) applied
 * after loading.  Files are loaded by their bare name after a chdir into the corpus
 * directory, so messages start with "NN-what.yaml:LINE:COLUMN:" wherever the tree lives
 * (also under make distcheck).  The two cases that need big inputs (file size and node
 * count caps) generate them in a temporary directory instead of shipping them. */

static gchar *
corpus_dir (void)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");

  return g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR, "tests", "configs", "bad",
                           NULL);
}

static gchar *
read_text (const gchar *path)
{
  g_autoptr (GError) error = NULL;
  gchar *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_bad_file (gconstpointer data)
{
  const gchar *stem = data;
  g_autofree gchar *dir = corpus_dir ();
  g_autofree gchar *yaml = g_strconcat (stem, ".yaml", NULL);
  g_autofree gchar *expected_file = g_strconcat (stem, ".expected", NULL);
  g_autofree gchar *set_file = g_strconcat (stem, ".set", NULL);
  g_autofree gchar *expected = NULL;
  g_autoptr (GPtrArray) sets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = NULL;

  g_assert_cmpint (g_chdir (dir), ==, 0);
  expected = g_strchomp (read_text (expected_file));
  if (g_file_test (set_file, G_FILE_TEST_EXISTS))
    {
      g_autofree gchar *text = read_text (set_file);
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0')
          g_ptr_array_add (sets, g_strdup (lines[i]));
    }
  g_ptr_array_add (sets, NULL);

  config = dmas_config_load (yaml, (const gchar *const *) sets->pdata, &error);
  g_assert_null (config);
  g_assert_nonnull (error);
  g_assert_true (error->domain == DMAS_CONFIG_ERROR);
  g_assert_cmpstr (error->message, ==, expected);
}

/* Every input has its expectation and the other way round, and the corpus keeps its size. */
static void
test_corpus_complete (void)
{
  g_autofree gchar *dir = corpus_dir ();
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint n_yaml = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      const gchar *dot = strrchr (name, '.');
      g_autofree gchar *stem = g_strndup (name, dot != NULL ? (gsize) (dot - name) : strlen (name));
      g_autofree gchar *yaml = g_strconcat (dir, "/", stem, ".yaml", NULL);
      g_autofree gchar *expected = g_strconcat (dir, "/", stem, ".expected", NULL);

      g_assert_true (g_file_test (yaml, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (expected, G_FILE_TEST_EXISTS));
      if (g_str_has_suffix (name, ".yaml"))
        n_yaml++;
    }
  g_assert_cmpuint (n_yaml, >=, 20);
}

/* Runs `fn` with a fresh temporary directory as the working directory. */
static void
in_temp_dir (void (*fn) (void))
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *old = g_get_current_dir ();
  g_autofree gchar *tmp = g_dir_make_tmp ("dmas-config-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_chdir (tmp), ==, 0);
  fn ();
  g_assert_cmpint (g_chdir (old), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

static void
check_over_size (void)
{
  gsize len = DMAS_CONFIG_MAX_BYTES + 1;
  g_autofree gchar *text = g_malloc (len);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = NULL;

  /* A valid YAML comment, so that only the size can be the reason for refusing it. */
  memset (text, ' ', len);
  text[0] = '#';
  text[len - 1] = '\n';
  g_assert_true (g_file_set_contents ("big.yaml", text, (gssize) len, NULL));
  config = dmas_config_load ("big.yaml", NULL, &error);
  g_assert_null (config);
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_LIMIT);
  g_assert_cmpstr (error->message, ==,
                   "big.yaml:1:1: the config is 1048577 bytes, over the limit of 1048576 bytes "
                   "(1 MiB); keep large data such as traces in separate files");
  g_assert_cmpint (g_unlink ("big.yaml"), ==, 0);
}

static void
test_over_size (void)
{
  in_temp_dir (check_over_size);
}

static void
check_too_many_nodes (void)
{
  g_autoptr (GString) text = g_string_new ("params:\n  x:\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = NULL;
  g_autofree gchar *expected = NULL;
  /* Nodes counted before the list items: root map, "params", its map, "x", the list. */
  guint before_items = 5;
  guint failing_item = DMAS_CONFIG_MAX_NODES + 1 - before_items;

  for (guint i = 0; i < DMAS_CONFIG_MAX_NODES; i++)
    g_string_append (text, "    - 0\n");
  g_assert_cmpuint (text->len, <, DMAS_CONFIG_MAX_BYTES);
  g_assert_true (g_file_set_contents ("many.yaml", text->str, (gssize) text->len, NULL));
  config = dmas_config_load ("many.yaml", NULL, &error);
  g_assert_null (config);
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_LIMIT);
  expected = g_strdup_printf ("many.yaml:%u:7: more than 100000 values in one config; put "
                              "large data (job lists, traces) in separate files",
                              2 + failing_item);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (g_unlink ("many.yaml"), ==, 0);
}

static void
test_too_many_nodes (void)
{
  in_temp_dir (check_too_many_nodes);
}

static void
test_good_quickstart (void)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");
  g_autofree gchar *path = g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR,
                                             "configs", "single.yaml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = dmas_config_load (path, NULL, &error);
  g_autoptr (DmasConfig) again = NULL;
  g_autofree gchar *yaml = NULL;
  g_autofree gchar *yaml_again = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (config->name, ==, "single");
  g_assert_cmpuint (config->seed, ==, 42);
  g_assert_cmpuint (config->horizon, ==, 10 * 60 * DMAS_S);
  g_assert_true (config->drain);
  g_assert_cmpstr (config->platform.preset, ==, "seed-resilience");
  g_assert_cmpuint (config->platform.agents, ==, 5);
  g_assert_cmpuint (config->platform.clusters->len, ==, 0);
  g_assert_cmpstr (config->workload.generator, ==, "poisson");
  g_assert_cmpuint (config->workload.jobs, ==, 60);
  g_assert_cmpuint (config->workload.span, ==, config->horizon);
  g_assert_cmpuint (config->network.latency, ==, DMAS_MS);
  g_assert_cmpstr (config->scheduling.mode, ==, "distributed");
  g_assert_cmpstr (config->scheduling.bidding, ==, "heuristic");
  g_assert_cmpstr (config->scheduling.consensus, ==, "auction");
  g_assert_cmpstr (config->scheduling.local_policy, ==, "fcfs");

  /* What `dmas config` prints must load back to the same config. */
  yaml = dmas_config_to_yaml (config);
  again = dmas_config_load_string (yaml, "quickstart.resolved.yaml", NULL, NULL, &error);
  g_assert_no_error (error);
  yaml_again = dmas_config_to_yaml (again);
  g_assert_cmpstr (yaml_again, ==, yaml);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = NULL;
  const gchar *name;

  g_test_init (&argc, &argv, NULL);

  dir = corpus_dir ();
  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".yaml"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".yaml")));
  /* Directory order is the file system's; test order must not be. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/configs/bad/%s",
                                                (const gchar *) g_ptr_array_index (names, i));

      g_test_add_data_func_full (path, g_strdup (g_ptr_array_index (names, i)), test_bad_file,
                                 g_free);
    }
  g_test_add_func ("/configs/bad/corpus-complete", test_corpus_complete);
  g_test_add_func ("/configs/bad/over-size", test_over_size);
  g_test_add_func ("/configs/bad/too-many-nodes", test_too_many_nodes);
  g_test_add_func ("/configs/good/quickstart", test_good_quickstart);
  return g_test_run ();
}
