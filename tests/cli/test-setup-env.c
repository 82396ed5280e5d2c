/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas setup-env` end to end: .env written with mode 0600, other lines kept, key never shown. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "cli-tmp.h"

#define SENTINEL "sk-dmas-sentinel-41b7e2d0"

typedef struct {
  gchar *dir;
  gchar *env;     /* dir/.env */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("dmas-setup-env-XXXXXX", &error);
  g_assert_no_error (error);
  f->env = g_build_filename (f->dir, ".env", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  cli_tmp_remove (f->dir);
  g_free (f->env);
  g_free (f->dir);
}

/* Runs `dmas setup-env ARGS` in f->dir with `input` on stdin (a pipe: no terminal). */
static gint
run_setup (Fixture *f, const gchar *const *args, const gchar *input, gchar **out, gchar **err)
{
  g_autofree gchar *dmas = g_build_filename (g_getenv ("DMAS_BUILDDIR"), "dmas", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, dmas);
  g_ptr_array_add (argv, "setup-env");
  for (const gchar *const *a = args; a != NULL && *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);

  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
    | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_launcher_spawnv (
    launcher, (const gchar *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, input, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (p);
}

static guint
file_mode (const gchar *path)
{
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static gchar *
read_text (const gchar *path)
{
  gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* An existing .env (world-readable, with other variables, a comment and an old key): the key
 * is replaced in place, the URL appended, the rest kept, the mode made 0600. */
static void
test_keeps_lines (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_assert_true (g_file_set_contents (f->env, "# my settings\nOTHER=1\nOPENAI_API_KEY=old\n"
                                              "export FOO='a b'\n", -1, NULL));
  g_assert_cmpint (g_chmod (f->env, 0644), ==, 0);
  const gchar *args[] = { "--provider", "openai", "--url", "http://127.0.0.1:8000", NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (run_setup (f, args, SENTINEL "\n", &out, &err), ==, 0);

  g_assert_cmpuint (file_mode (f->env), ==, 0600);
  g_autofree gchar *text = read_text (f->env);
  g_assert_cmpstr (text, ==, "# my settings\nOTHER=1\nOPENAI_API_KEY=" SENTINEL "\n"
                             "export FOO='a b'\nOPENAI_BASE_URL=http://127.0.0.1:8000\n");
  g_assert_null (strstr (out, SENTINEL));
  g_assert_null (strstr (err, SENTINEL));
  g_assert_nonnull (strstr (out, "provider: openai"));
  g_assert_nonnull (strstr (out, "(mode 0600)"));
}

/* Everything asked: provider, URL, key, read from a pipe. */
static void
test_asks_everything (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (run_setup (f, NULL, "sambastudio\nhttps://studio.example/api/v2\n"
                                        SENTINEL "\n", &out, &err), ==, 0);
  g_assert_cmpuint (file_mode (f->env), ==, 0600);
  g_autofree gchar *text = read_text (f->env);
  g_assert_cmpstr (text, ==, "SAMBASTUDIO_URL=https://studio.example/api/v2\n"
                             "SAMBASTUDIO_API_KEY=" SENTINEL "\n");
  g_assert_null (strstr (out, SENTINEL));
  g_assert_null (strstr (err, SENTINEL));
  g_assert_nonnull (strstr (out, "provider: sambastudio"));
}

/* A value with spaces or quotes is quoted so that the reader gets it back whole. */
static void
test_quotes (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *file = g_build_filename (f->dir, "other.env", NULL);
  const gchar *args[] = { "--provider", "openai", "--url", "http://h:1", "--file", file,
                          "--model", "m1", NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (run_setup (f, args, "a key with spaces\n", &out, &err), ==, 0);
  g_autofree gchar *text = read_text (file);
  g_assert_cmpstr (text, ==, "OPENAI_BASE_URL=http://h:1\nOPENAI_API_KEY='a key with spaces'\n");
  g_assert_cmpuint (file_mode (file), ==, 0600);
  g_assert_nonnull (strstr (out, "model: m1\n"));
  g_assert_false (g_file_test (f->env, G_FILE_TEST_EXISTS));
}

static void
test_refusals (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const gchar *bad[] = { "--provider", "nope", NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (run_setup (f, bad, "", &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "'nope' is not a provider"));

  /* SambaStudio needs a key: nothing is written without one. */
  const gchar *samba[] = { "--provider", "sambastudio", "--url", "https://s.example", NULL };
  g_autofree gchar *out2 = NULL, *err2 = NULL;
  g_assert_cmpint (run_setup (f, samba, "\n", &out2, &err2), ==, 2);
  g_assert_nonnull (strstr (err2, "SAMBASTUDIO_API_KEY is required"));
  g_assert_false (g_file_test (f->env, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/setup-env/keeps-lines", Fixture, NULL, fixture_set_up, test_keeps_lines,
              fixture_tear_down);
  g_test_add ("/cli/setup-env/asks-everything", Fixture, NULL, fixture_set_up,
              test_asks_everything, fixture_tear_down);
  g_test_add ("/cli/setup-env/quotes", Fixture, NULL, fixture_set_up, test_quotes,
              fixture_tear_down);
  g_test_add ("/cli/setup-env/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);
  return g_test_run ();
}
