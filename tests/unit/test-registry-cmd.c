/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas plugins`: the listing, --params, failures on stderr and exit statuses. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli/cli.h"
#include "plugin/registry.h"

typedef struct {
  gchar *dir;   /* plugin directory given with --plugin-path */
  gchar *out;   /* what the command printed */
  gchar *err;
  int status;
} Fixture;

static void
put_plugin (const gchar *dir, const gchar *name)
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
  g_assert_cmpint (g_chmod (to, 0755), ==, 0);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  (void) data;
  fx->dir = g_dir_make_tmp ("dmas-cmd-XXXXXX", &error);
  g_assert_no_error (error);
  g_unsetenv ("DMAS_PLUGIN_PATH");
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  GDir *dir = g_dir_open (fx->dir, 0, NULL);
  const gchar *entry;

  (void) data;
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *child = g_build_filename (fx->dir, entry, NULL);
      g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->out);
  g_free (fx->err);
}

/* Sends fd `fd` to a fresh temporary file; returns the saved original. */
static int
capture (int fd, gchar **path)
{
  g_autoptr (GError) error = NULL;
  int saved = dup (fd);
  int tmp = g_file_open_tmp ("dmas-cmd-out-XXXXXX", path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (dup2 (tmp, fd), ==, fd);
  close (tmp);
  return saved;
}

static gchar *
release (int fd, int saved, gchar *path)
{
  gchar *text = NULL;

  g_assert_cmpint (dup2 (saved, fd), ==, fd);
  close (saved);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_unlink (path);
  g_free (path);
  return text;
}

/* Runs `dmas plugins ARGS...` in this process with stdout and stderr captured. */
static void
run (Fixture *fx, const gchar *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  gchar *out_path = NULL, *err_path = NULL;
  int saved_out, saved_err;

  g_ptr_array_add (argv, (gpointer) "plugins");
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  fflush (stdout);
  fflush (stderr);
  saved_out = capture (STDOUT_FILENO, &out_path);
  saved_err = capture (STDERR_FILENO, &err_path);
  fx->status = dmas_cmd_plugins ((int) argv->len - 1, (char **) argv->pdata);
  fflush (stdout);
  fflush (stderr);
  g_free (fx->out);
  g_free (fx->err);
  fx->out = release (STDOUT_FILENO, saved_out, out_path);
  fx->err = release (STDERR_FILENO, saved_err, err_path);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", fx->status, fx->out, fx->err);
}

/* Returns the index of the line starting with `prefix` ("kind/name "), or -1. */
static gint
find_row (gchar **lines, const gchar *prefix)
{
  for (gint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return i;
  return -1;
}

static void
assert_contains (const gchar *text, const gchar *part)
{
  if (strstr (text, part) == NULL)
    g_error ("'%s' lacks '%s'", text, part);
}

/* Other plugins built in this tree are listed too (the build tree is on the search path), so
 * rows are found by name and the alignment is checked over whatever rows there are. */
static void
test_list (Fixture *fx, gconstpointer data)
{
  const gchar *args[] = { "--plugin-path", fx->dir, NULL };
  const gchar *order[] = { "bidding/beta ", "bidding/old-minor ", "consensus/alpha ",
                           "consensus/zeta " };
  g_auto (GStrv) lines = NULL;
  g_autoptr (GRegex) spaces = g_regex_new (" +", 0, 0, NULL);
  g_autofree gchar *alpha = NULL;
  g_autofree gchar *expected = NULL;
  g_autofree gchar *failure = NULL;
  gint previous = -1;
  gsize column = 0;

  (void) data;
  put_plugin (fx->dir, "good-multi");
  put_plugin (fx->dir, "good-old-minor");
  put_plugin (fx->dir, "init-fails");
  run (fx, args);
  g_assert_cmpint (fx->status, ==, DMAS_EXIT_OK);

  lines = g_strsplit (fx->out, "\n", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    {
      gint at = find_row (lines, order[i]);
      g_assert_cmpint (at, >, previous);
      previous = at;
    }
  /* One row in full, with its runs of padding squeezed. */
  alpha = g_regex_replace_literal (spaces, lines[find_row (lines, "consensus/alpha ")], -1, 0,
                                   " ", 0, NULL);
  expected = g_strdup_printf ("consensus/alpha 2.3.4 alpha test protocol %s/good-multi.so",
                              fx->dir);
  g_assert_cmpstr (alpha, ==, expected);

  /* Aligned: every row's second column starts at the same offset. */
  for (gint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const gchar *gap = strstr (lines[i], "  ");
      gsize offset;

      g_assert_nonnull (gap);
      offset = (gsize) (gap - lines[i]) + strspn (gap, " ");
      if (i == 0)
        column = offset;
      g_assert_cmpuint (offset, ==, column);
    }

  failure = g_strdup_printf ("dmas plugins: %s/init-fails.so: init() failed: the frobnicator "
                             "is missing", fx->dir);
  assert_contains (fx->err, failure);
}

/* Each row is followed by its parameters, in spec order, aligned within the component. */
static void
test_params (Fixture *fx, gconstpointer data)
{
  const gchar *args[] = { "--params", "--plugin-path", fx->dir, NULL };
  const gchar *alpha[] = {
    "    deadline  duration  default 50ms      how long the home agent collects bids",
    "    min-bids  int       default 1         bids needed before awarding early",
    "    ratio     double    default 0.5       a fraction",
    "    verbose   bool      default false     log every round",
    "    label     string    default \"\"        free text",
  };
  g_auto (GStrv) lines = NULL;
  gint row;

  (void) data;
  put_plugin (fx->dir, "good-multi");
  run (fx, args);
  g_assert_cmpint (fx->status, ==, DMAS_EXIT_OK);
  lines = g_strsplit (fx->out, "\n", -1);

  row = find_row (lines, "consensus/alpha ");
  g_assert_cmpint (row, >=, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (alpha); i++)
    {
      g_assert_nonnull (lines[row + 1 + i]);
      g_assert_cmpstr (lines[row + 1 + i], ==, alpha[i]);
    }
  g_assert_false (g_str_has_prefix (lines[row + 1 + G_N_ELEMENTS (alpha)], "    "));

  row = find_row (lines, "consensus/zeta ");
  g_assert_cmpint (row, >=, 0);
  g_assert_cmpstr (lines[row + 1], ==, "    (no parameters)");
}

/* Exit 1 when nothing at all is found.  From the build tree the built plugins are always on
 * the search path, so the test reruns itself from a copy of this program outside the tree. */
static void
test_nothing_found (Fixture *fx, gconstpointer data)
{
  const gchar *args[] = { "--plugin-path", fx->dir, NULL };
  g_autofree gchar *searched = NULL;

  (void) data;
  if (g_getenv ("DMAS_TEST_OUTSIDE_BUILD_TREE") == NULL)
    {
      g_autofree gchar *copy = g_build_filename (fx->dir, "test-copy", NULL);
      g_autofree gchar *bytes = NULL;
      g_autofree gchar *out = NULL;
      gsize len = 0;
      gint status = 0;
      g_autoptr (GError) error = NULL;
      const gchar *argv[] = { copy, "-p", "/registry/cmd/nothing-found", NULL };
      g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "DMAS_TEST_OUTSIDE_BUILD_TREE",
                                              "1", TRUE);

      g_file_get_contents ("/proc/self/exe", &bytes, &len, &error);
      g_assert_no_error (error);
      g_file_set_contents (copy, bytes, (gssize) len, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (copy, 0755), ==, 0);
      g_spawn_sync (NULL, (gchar **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_test_message ("copy said:\n%s", out);
      g_spawn_check_wait_status (status, &error);
      g_assert_no_error (error);
      assert_contains (out, "ok 1 /registry/cmd/nothing-found");
      g_assert_null (strstr (out, "SKIP"));
      return;
    }

  run (fx, args);
  if (fx->out[0] != '\0')
    {
      /* Only when plugins are installed in DMAS_PLUGINDIR. */
      g_assert_cmpint (fx->status, ==, DMAS_EXIT_OK);
      g_test_skip ("plugins are installed, so something is always found");
      return;
    }
  g_assert_cmpint (fx->status, ==, DMAS_EXIT_FAILURE);
  searched = g_strdup_printf ("dmas plugins: no plugin components found; searched: %s\n",
                              fx->dir);
  g_assert_cmpstr (fx->err, ==, searched);
}

static void
test_usage_errors (Fixture *fx, gconstpointer data)
{
  const gchar *surplus[] = { "surplus", NULL };
  const gchar *typo[] = { "--plugin-paht", "x", NULL };

  (void) data;
  run (fx, surplus);
  g_assert_cmpint (fx->status, ==, DMAS_EXIT_USAGE);
  assert_contains (fx->err, "dmas plugins: unexpected argument 'surplus'");
  g_assert_cmpstr (fx->out, ==, "");

  run (fx, typo);
  g_assert_cmpint (fx->status, ==, DMAS_EXIT_USAGE);
  assert_contains (fx->err, "--plugin-paht");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/registry/cmd/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);
  g_test_add ("/registry/cmd/params", Fixture, NULL, fixture_setup, test_params,
              fixture_teardown);
  g_test_add ("/registry/cmd/nothing-found", Fixture, NULL, fixture_setup, test_nothing_found,
              fixture_teardown);
  g_test_add ("/registry/cmd/usage", Fixture, NULL, fixture_setup, test_usage_errors,
              fixture_teardown);
  return g_test_run ();
}
