/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the provider secrets (framework/llm/secrets.c): environment, .env files, syntax. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "llm/service.h"

typedef struct {
  gchar *project, *home;
} Fixture;

static void
remove_env_file (const gchar *dir)
{
  g_autofree gchar *path = g_build_filename (dir, ".env", NULL);

  g_unlink (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
setup (Fixture *f, gconstpointer data)
{
  (void) data;
  f->project = g_dir_make_tmp ("dmas-llm-project-XXXXXX", NULL);
  f->home = g_dir_make_tmp ("dmas-llm-home-XXXXXX", NULL);
  g_assert_nonnull (f->project);
  g_assert_nonnull (f->home);
  g_unsetenv ("DMAS_TEST_A");
  g_unsetenv ("DMAS_TEST_B");
  g_unsetenv ("DMAS_TEST_C");
}

static void
teardown (Fixture *f, gconstpointer data)
{
  (void) data;
  remove_env_file (f->project);
  remove_env_file (f->home);
  g_free (f->project);
  g_free (f->home);
  g_unsetenv ("DMAS_TEST_A");
}

static void
write_env (const gchar *dir, const gchar *text)
{
  g_autofree gchar *path = g_build_filename (dir, ".env", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static void
test_precedence (Fixture *f, gconstpointer data)
{
  g_autoptr (DmasLlmSecrets) s = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *project_env = g_build_filename (f->project, ".env", NULL);
  g_autofree gchar *home_env = g_build_filename (f->home, ".env", NULL);

  (void) data;
  write_env (f->project, "DMAS_TEST_A=from-project\nDMAS_TEST_B=project-b\n");
  write_env (f->home, "DMAS_TEST_A=from-home\nDMAS_TEST_B=home-b\nDMAS_TEST_C=home-c\n");
  g_assert_true (g_setenv ("DMAS_TEST_A", "from-env", TRUE));
  s = dmas_llm_secrets_load (f->project, f->home, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dmas_llm_secrets_get (s, "DMAS_TEST_A"), ==, "from-env");
  g_assert_null (dmas_llm_secrets_source (s, "DMAS_TEST_A"));
  g_assert_cmpstr (dmas_llm_secrets_get (s, "DMAS_TEST_B"), ==, "project-b");
  g_assert_cmpstr (dmas_llm_secrets_source (s, "DMAS_TEST_B"), ==, project_env);
  g_assert_cmpstr (dmas_llm_secrets_get (s, "DMAS_TEST_C"), ==, "home-c");
  g_assert_cmpstr (dmas_llm_secrets_source (s, "DMAS_TEST_C"), ==, home_env);
  g_assert_null (dmas_llm_secrets_get (s, "DMAS_TEST_UNSET"));
  g_assert_null (dmas_llm_secrets_source (s, "DMAS_TEST_UNSET"));
  /* The environment is read at each get: unsetting it uncovers the file's value. */
  g_unsetenv ("DMAS_TEST_A");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "DMAS_TEST_A"), ==, "from-project");
}

static void
test_syntax (Fixture *f, gconstpointer data)
{
  g_autoptr (DmasLlmSecrets) s = NULL;
  g_autoptr (GError) error = NULL;

  (void) data;
  write_env (f->project,
             "# a comment\n"
             "\n"
             "   \n"
             "export K1=plain\n"
             "K2 = spaced value  \r\n"
             "K3=\"double # not a comment \\\"q\\\" \\\\ \\n\"  # comment\n"
             "K4='single \\n # literal'\n"
             "K5=value # trailing comment\n"
             "K6=a#b\n"
             "K7=\n"
             "K8=first\n"
             "K8=last\n"
             "export\tK9=tab\n");
  write_env (f->home, "");
  s = dmas_llm_secrets_load (f->project, f->home, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K1"), ==, "plain");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K2"), ==, "spaced value");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K3"), ==, "double # not a comment \"q\" \\ \n");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K4"), ==, "single \\n # literal");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K5"), ==, "value");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K6"), ==, "a#b");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K7"), ==, "");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K8"), ==, "last");
  g_assert_cmpstr (dmas_llm_secrets_get (s, "K9"), ==, "tab");
}

static void
test_malformed (Fixture *f, gconstpointer data)
{
  static const gchar *const bad[] = {
    "GOOD=1\nthis is not an assignment\n",
    "GOOD=1\n1BAD=x\n",
    "GOOD=1\nK=\"unterminated\n",
    "GOOD=1\nK='x' trailing\n",
    "GOOD=1\n=value\n",
  };

  (void) data;
  write_env (f->home, "");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *expected = g_strdup_printf ("%s/.env:2: expected NAME=value",
                                                    f->project);

      write_env (f->project, bad[i]);
      g_assert_null (dmas_llm_secrets_load (f->project, f->home, &error));
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, expected));
    }
}

/* A malformed line's text is never echoed: it may be a key typed wrong. */
static void
test_error_hides_value (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  (void) data;
  write_env (f->project, "sk-SENTINEL-1234567890\n");
  write_env (f->home, "");
  g_assert_null (dmas_llm_secrets_load (f->project, f->home, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "SENTINEL"));
}

static void
test_missing_files (Fixture *f, gconstpointer data)
{
  g_autoptr (DmasLlmSecrets) s = NULL;
  g_autoptr (GError) error = NULL;

  (void) data;
  /* No .env at all is fine; create empty ones for the teardown. */
  s = dmas_llm_secrets_load (f->project, f->home, &error);
  g_assert_no_error (error);
  g_assert_null (dmas_llm_secrets_get (s, "DMAS_TEST_B"));
  write_env (f->project, "");
  write_env (f->home, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/llm/secrets/precedence", Fixture, NULL, setup, test_precedence, teardown);
  g_test_add ("/llm/secrets/syntax", Fixture, NULL, setup, test_syntax, teardown);
  g_test_add ("/llm/secrets/malformed", Fixture, NULL, setup, test_malformed, teardown);
  g_test_add ("/llm/secrets/error-hides-value", Fixture, NULL, setup, test_error_hides_value,
              teardown);
  g_test_add ("/llm/secrets/missing-files", Fixture, NULL, setup, test_missing_files, teardown);
  return g_test_run ();
}
