/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas demo --fast` end to end: its three scenarios, what it shows, colour rules, determinism. */
#define _XOPEN_SOURCE 700
#include "config.h"

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib.h>

static gchar *
dmas_path (void)
{
  const gchar *dir = g_getenv ("DMAS_BUILDDIR");
  g_assert_nonnull (dir);
  return g_build_filename (dir, "dmas", NULL);
}

/* Runs dmas with `args` (stdout and stderr to pipes), NO_COLOR unset or set as given. */
static gint
run_dmas (const gchar *const *args, const gchar *no_color, gchar **out, gchar **err)
{
  g_autofree gchar *dmas = dmas_path ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, dmas);
  for (const gchar *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);

  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (no_color != NULL)
    g_subprocess_launcher_setenv (launcher, "NO_COLOR", no_color, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "NO_COLOR");
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_launcher_spawnv (
    launcher, (const gchar *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (p);
}

/* Runs dmas with its stdout on a pseudo-terminal: returns what it wrote there, or NULL when
 * the system has no pseudo-terminals to give. */
static gchar *
run_on_tty (const gchar *const *args, const gchar *no_color, gint *status)
{
  const int master = posix_openpt (O_RDWR | O_NOCTTY);
  if (master < 0)
    return NULL;
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  const int slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  g_autofree gchar *dmas = dmas_path ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, dmas);
  for (const gchar *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);

  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if (no_color != NULL)
    g_subprocess_launcher_setenv (launcher, "NO_COLOR", no_color, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "NO_COLOR");
  g_subprocess_launcher_take_stdout_fd (launcher, slave);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_launcher_spawnv (
    launcher, (const gchar *const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* The launcher holds the slave until it is freed: drop it, so the master sees EOF (EIO)
   * once the child is gone. */
  g_clear_object (&launcher);

  GString *text = g_string_new (NULL);
  gchar buf[4096];
  for (;;)
    {
      const ssize_t n = read (master, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (text, buf, n);
    }
  close (master);
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (p);
  return g_string_free (text, FALSE);
}

/* How many times `needle` occurs in `haystack`. */
static guint
count (const gchar *haystack, const gchar *needle)
{
  guint n = 0;
  for (const gchar *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The sum over the scenario summaries of the numbers in "impossible claims:   N: R refused, A
 * accepted". */
static void
sum_claims (const gchar *text, guint *impossible, guint *refused, guint *accepted)
{
  *impossible = *refused = *accepted = 0;
  for (const gchar *p = strstr (text, "impossible claims:"); p != NULL;
       p = strstr (p + 1, "impossible claims:"))
    {
      guint i = 0, r = 0, a = 0;
      g_assert_cmpint (sscanf (p, "impossible claims: %u: %u refused, %u accepted", &i, &r, &a),
                       ==, 3);
      *impossible += i;
      *refused += r;
      *accepted += a;
    }
}

static void
test_fast (void)
{
  const gchar *args[] = { "demo", "--fast", NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  const gint status = run_dmas (args, NULL, &out, &err);
  if (status != 0)
    g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);

  /* All three scenarios, each with its summary. */
  g_assert_nonnull (strstr (out, "=== Scenario 1 of 3: healthy consensus"));
  g_assert_nonnull (strstr (out, "=== Scenario 2 of 3: Byzantine injection"));
  g_assert_nonnull (strstr (out, "=== Scenario 3 of 3: recovery"));
  g_assert_cmpuint (count (out, "Summary of scenario"), ==, 3);

  /* Every model exchange shows its prompt and its reply; the system message at least once. */
  const guint asks = count (out, " asks its model about job ");
  g_assert_cmpuint (asks, >, 0);
  g_assert_cmpuint (count (out, "prompt |"), >=, asks);
  g_assert_cmpuint (count (out, "reply  |"), >=, asks);
  g_assert_nonnull (strstr (out, "system |"));
  g_assert_nonnull (strstr (out, "Job id: "));
  g_assert_nonnull (strstr (out, "\"job_id\""));

  /* Votes, decisions, faults, jobs. */
  g_assert_nonnull (strstr (out, " votes on job "));
  g_assert_nonnull (strstr (out, "consensus on job 1: "));
  g_assert_nonnull (strstr (out, " decides the same: "));
  g_assert_nonnull (strstr (out, "turns Byzantine"));
  g_assert_nonnull (strstr (out, "is correct again"));
  g_assert_nonnull (strstr (out, "crashes"));
  g_assert_nonnull (strstr (out, "starts on agent"));
  g_assert_nonnull (strstr (out, "finishes on agent"));
  g_assert_nonnull (strstr (out, ", COMPROMISED"));

  /* Scenario 2 is built so that compromised agents make impossible claims; each one shown as
   * refused is counted so, and the summaries add up to what the lines say. */
  guint impossible, refused, accepted;
  sum_claims (out, &impossible, &refused, &accepted);
  g_assert_cmpuint (impossible, >, 0);
  g_assert_cmpuint (count (out, ": an impossible claim, its cluster cannot run this job"), ==,
                    impossible);
  g_assert_cmpuint (count (out, ": refused as implausible"), ==, refused);
  g_assert_cmpuint (count (out, "impossible claim on job"), ==, accepted);
  g_assert_cmpuint (refused + accepted, <=, impossible);

  /* Consensus kept its promise, and every scenario completed its jobs. */
  g_assert_cmpuint (count (out, "safety violations:   0\n"), ==, 3);
  g_assert_null (strstr (out, "DISAGREES"));
  g_assert_cmpuint (count (out, "(complete)"), ==, 3);

  /* Not a terminal: no colour at all. */
  g_assert_null (strstr (out, "\033["));

  /* The same text again: --fast output is a function of the configs and the seeds. */
  g_autofree gchar *again = NULL, *err2 = NULL;
  g_assert_cmpint (run_dmas (args, NULL, &again, &err2), ==, 0);
  g_assert_cmpstr (out, ==, again);
}

static void
test_colour (void)
{
  const gchar *args[] = { "demo", "--fast", "--scenario", "1", NULL };
  gint status = -1;
  g_autofree gchar *coloured = run_on_tty (args, NULL, &status);
  if (coloured == NULL)
    {
      g_test_skip ("no pseudo-terminal (posix_openpt failed)");
      return;
    }
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (coloured, "Scenario 1 of 3"));
  g_assert_nonnull (strstr (coloured, "\033["));

  g_autofree gchar *plain = run_on_tty (args, "1", &status);
  g_assert_nonnull (plain);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (plain, "Scenario 1 of 3"));
  g_assert_null (strstr (plain, "\033["));
}

static void
test_one_scenario (void)
{
  const gchar *args[] = { "demo", "--fast", "--scenario", "2", NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (run_dmas (args, NULL, &out, &err), ==, 0);
  g_assert_null (strstr (out, "Scenario 1 of 3"));
  g_assert_nonnull (strstr (out, "Scenario 2 of 3"));
  g_assert_null (strstr (out, "Scenario 3 of 3"));
}

static void
test_usage (void)
{
  const gchar *bad_scenario[] = { "demo", "--fast", "--scenario", "4", NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (run_dmas (bad_scenario, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "give 1, 2 or 3"));

  const gchar *bad_provider[] = { "demo", "--fast", "--provider", "no-such-provider", NULL };
  g_autofree gchar *out2 = NULL, *err2 = NULL;
  g_assert_cmpint (run_dmas (bad_provider, NULL, &out2, &err2), ==, 2);
  g_assert_nonnull (strstr (err2, "no-such-provider"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/demo/fast", test_fast);
  g_test_add_func ("/cli/demo/colour", test_colour);
  g_test_add_func ("/cli/demo/one-scenario", test_one_scenario);
  g_test_add_func ("/cli/demo/usage", test_usage);
  return g_test_run ();
}
