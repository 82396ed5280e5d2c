/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas check` end to end: a good installation passes, an unreachable model fails with a fix,
#include "config.h"

 * and a key's value never appears in what it prints. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "cli-tmp.h"

#define SENTINEL "sk-dmas-sentinel-7f3a9c1e"

typedef struct {
  gchar *dir;     /* a temporary working and home directory */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("dmas-check-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  cli_tmp_remove (f->dir);
  g_free (f->dir);
}

/* Runs `dmas check ARGS` in f->dir with HOME there too (no real ~/.env is read), the provider
 * variables cleared, then `env` (NULL-terminated NAME, VALUE pairs) set.  stdout and stderr
 * are joined into *out. */
static gint
run_check (Fixture *f, const gchar *const *args, const gchar *const *env, gchar **out)
{
  g_autofree gchar *dmas = g_build_filename (g_getenv ("DMAS_BUILDDIR"), "dmas", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, dmas);
  g_ptr_array_add (argv, "check");
  for (const gchar *const *a = args; a != NULL && *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);

  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_setenv (launcher, "HOME", f->dir, TRUE);
  static const gchar *const cleared[] = { "OLLAMA_HOST", "OPENAI_API_KEY", "OPENAI_BASE_URL",
                                          "SAMBASTUDIO_URL", "SAMBASTUDIO_API_KEY",
                                          "DMAS_GNUPLOT", NULL };
  for (const gchar *const *c = cleared; *c != NULL; c++)
    g_subprocess_launcher_unsetenv (launcher, *c);
  /* Whether gnuplot is installed is the machine's business, not this test's. */
  g_subprocess_launcher_setenv (launcher, "DMAS_GNUPLOT", "", TRUE);
  for (const gchar *const *e = env; e != NULL && *e != NULL; e += 2)
    g_subprocess_launcher_setenv (launcher, e[0], e[1], TRUE);

  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_launcher_spawnv (
    launcher, (const gchar *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("dmas check:\n%s", *out);
  return g_subprocess_get_exit_status (p);
}

/* A loopback port nobody listens on (bound, then closed). */
static guint
closed_port (void)
{
  const int fd = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (fd, >=, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof a;
  g_assert_cmpint (bind (fd, (struct sockaddr *) &a, sizeof a), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &a, &len), ==, 0);
  close (fd);
  return ntohs (a.sin_port);
}

/* Writes f->dir/llm.yaml: a small LLM run of `provider` whose endpoint is a closed port. */
static gchar *
write_llm_config (Fixture *f, const gchar *provider)
{
  g_autofree gchar *text = g_strdup_printf (
    "name: check-llm\n"
    "horizon: 1m\n"
    "platform: {clusters: [{name: a, nodes: 2}, {name: b, nodes: 2}, {name: c, nodes: 2}]}\n"
    "workload: {generator: constant, jobs: 2}\n"
    "scheduling: {bidding: llm, consensus: auction}\n"
    "llm: {provider: %s, retries: 0, connect_timeout: 2s, timeout: 5s}\n"
    "params: {llm/%s: {url: 'http://127.0.0.1:%u'}}\n", provider, provider, closed_port ());
  gchar *path = g_build_filename (f->dir, "llm.yaml", NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_default_passes (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *out = NULL;
  g_assert_cmpint (run_check (f, NULL, NULL, &out), ==, 0);
  g_assert_true (g_str_has_prefix (out, "ok   plugins: "));
  g_assert_nonnull (strstr (out, "\nok   config: "));
  g_assert_nonnull (strstr (out, "quickstart.yaml is valid: a campaign of "));
  g_assert_nonnull (strstr (out, "\nok   gnuplot: "));
  g_assert_nonnull (strstr (out, "\nok   llm: provider simulated answers offline"));
  g_assert_nonnull (strstr (out, "All checks passed."));
  g_assert_null (strstr (out, "FAIL"));
}

static void
test_missing_gnuplot (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const gchar *env[] = { "DMAS_GNUPLOT", "/nonexistent/gnuplot", NULL };
  g_autofree gchar *out = NULL;
  g_assert_cmpint (run_check (f, NULL, env, &out), ==, 1);
  g_assert_nonnull (strstr (out, "FAIL gnuplot: DMAS_GNUPLOT=/nonexistent/gnuplot: no such "
                                 "program; fix: "));
  g_assert_nonnull (strstr (out, "1 check(s) failed."));
}

static void
test_bad_config (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *path = g_build_filename (f->dir, "bad.yaml", NULL);
  g_assert_true (g_file_set_contents (path, "scheduling: {consensu: raft}\n", -1, NULL));
  const gchar *args[] = { path, NULL };
  g_autofree gchar *out = NULL;
  g_assert_cmpint (run_check (f, args, NULL, &out), ==, 1);
  g_assert_nonnull (strstr (out, "FAIL config: "));
  g_assert_nonnull (strstr (out, "bad.yaml"));
  g_assert_nonnull (strstr (out, "did you mean 'consensus'"));
  g_assert_nonnull (strstr (out, "; fix: "));
}

static void
test_ollama_closed_port (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *path = write_llm_config (f, "ollama");
  const gchar *args[] = { path, NULL };
  g_autofree gchar *out = NULL;
  g_assert_cmpint (run_check (f, args, NULL, &out), ==, 1);
  g_assert_nonnull (strstr (out, "\nok   config: "));
  g_assert_nonnull (strstr (out, "\nok   OLLAMA_HOST: not set; params llm/ollama url is used"));
  g_assert_nonnull (strstr (out, "\nFAIL llm endpoint: "));
  g_assert_nonnull (strstr (out, "; fix: "));
}

/* The key is found (in the environment, then in a .env file) and said to be set; its value
 * appears nowhere in the output. */
static void
test_key_never_printed (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *path = write_llm_config (f, "openai");
  const gchar *args[] = { path, NULL };

  const gchar *env[] = { "OPENAI_API_KEY", SENTINEL, NULL };
  g_autofree gchar *out = NULL;
  run_check (f, args, env, &out);
  g_assert_nonnull (strstr (out, "\nok   OPENAI_API_KEY: set (in the environment)"));
  g_assert_null (strstr (out, SENTINEL));
  g_assert_null (strstr (out, "7f3a9c1e"));

  g_autofree gchar *dotenv = g_build_filename (f->dir, ".env", NULL);
  g_assert_true (g_file_set_contents (dotenv, "# test\nOPENAI_API_KEY=" SENTINEL "\n", -1,
                                      NULL));
  g_autofree gchar *out2 = NULL;
  run_check (f, args, NULL, &out2);
  g_assert_nonnull (strstr (out2, "\nok   OPENAI_API_KEY: set (in "));
  g_assert_nonnull (strstr (out2, ".env)"));
  g_assert_null (strstr (out2, SENTINEL));
  g_assert_null (strstr (out2, "7f3a9c1e"));
}

static void
test_key_missing (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *path = write_llm_config (f, "openai");
  const gchar *args[] = { path, NULL };
  g_autofree gchar *out = NULL;
  g_assert_cmpint (run_check (f, args, NULL, &out), ==, 1);
  g_assert_nonnull (strstr (out, "\nFAIL OPENAI_API_KEY: not set"));
  g_assert_nonnull (strstr (out, "dmas setup-env --provider openai"));
}

/* --set changes what is checked, as for dmas run: the same file with another provider. */
static void
test_set_provider (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autofree gchar *path = write_llm_config (f, "ollama");
  const gchar *args[] = { path, "--set", "llm.provider=simulated", NULL };
  g_autofree gchar *out = NULL;
  g_assert_cmpint (run_check (f, args, NULL, &out), ==, 0);
  g_assert_nonnull (strstr (out, "\nok   llm: provider simulated answers offline"));
  g_assert_null (strstr (out, "OLLAMA_HOST"));
  const gchar *bad[] = { path, "--set", "llm.provider=nosuch", NULL };
  g_autofree gchar *out2 = NULL;
  g_assert_cmpint (run_check (f, bad, NULL, &out2), ==, 1);
  g_assert_nonnull (strstr (out2, "FAIL config: "));
  g_assert_nonnull (strstr (out2, "no llm component 'nosuch' found"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/check/default-passes", Fixture, NULL, fixture_set_up, test_default_passes,
              fixture_tear_down);
  g_test_add ("/cli/check/missing-gnuplot", Fixture, NULL, fixture_set_up,
              test_missing_gnuplot, fixture_tear_down);
  g_test_add ("/cli/check/bad-config", Fixture, NULL, fixture_set_up, test_bad_config,
              fixture_tear_down);
  g_test_add ("/cli/check/ollama-closed-port", Fixture, NULL, fixture_set_up,
              test_ollama_closed_port, fixture_tear_down);
  g_test_add ("/cli/check/key-never-printed", Fixture, NULL, fixture_set_up,
              test_key_never_printed, fixture_tear_down);
  g_test_add ("/cli/check/set-provider", Fixture, NULL, fixture_set_up, test_set_provider,
              fixture_tear_down);
  g_test_add ("/cli/check/key-missing", Fixture, NULL, fixture_set_up, test_key_missing,
              fixture_tear_down);
  return g_test_run ();
}
