/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault injection through the real `dmas run` and `dmas config`: faults.jsonl, summary counts. */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
  gchar *tmpdir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  f->tmpdir = g_dir_make_tmp ("dmas-faults-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const gchar *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const gchar *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  (void) data;
  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static gchar *
scenario (void)
{
  const gchar *src = g_getenv ("DMAS_SRCDIR");
  g_assert_nonnull (src);
  return g_build_filename (src, "tests", "scenarios", "crash-30s.yaml", NULL);
}

/* Runs `dmas ARGS...`; returns its exit status, stdout in *out (nullable). */
static gint
dmas (const gchar *const *args, gchar **out)
{
  const gchar *build = g_getenv ("DMAS_BUILDDIR");
  g_assert_nonnull (build);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_build_filename (build, "dmas", NULL));
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, g_strdup (*args));
  g_ptr_array_add (argv, NULL);

  g_autofree gchar *stdout_text = NULL, *stderr_text = NULL;
  gint status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text,
                &stderr_text, &status, &error);
  g_assert_no_error (error);
  if (stderr_text != NULL && *stderr_text != '\0')
    g_test_message ("stderr: %s", stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gchar *
read_file (const gchar *dir, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gint64
summary_int (const gchar *dir, const gchar *member)
{
  g_autofree gchar *text = read_file (dir, "summary.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, member));
  return json_object_get_int_member (root, member);
}

/* The crash and the restart, each with its time, agent, source and the entry's parameters
 * with defaults filled; the summary counts one fault and one agent failure. */
static void
test_crash_logged (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "run", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q", NULL };

  g_assert_cmpint (dmas (args, NULL), ==, 0);
  g_autofree gchar *jsonl = read_file (out, "faults.jsonl");
  g_assert_cmpstr (jsonl, ==,
                   "{\"t\":30,\"fault\":\"crash\",\"agent\":1,\"source\":\"crash#0\","
                   "\"agents\":\"1\",\"pattern\":\"fixed\",\"at\":\"30s\",\"every\":\"0s\","
                   "\"mtbf\":\"1h\",\"restart_after\":\"60s\",\"count\":1}\n"
                   "{\"t\":90,\"fault\":\"restart\",\"agent\":1,\"source\":\"crash#0\","
                   "\"agents\":\"1\",\"pattern\":\"fixed\",\"at\":\"30s\",\"every\":\"0s\","
                   "\"mtbf\":\"1h\",\"restart_after\":\"60s\",\"count\":1}\n");
  g_assert_cmpint (summary_int (out, "faults_injected"), ==, 1);
  g_assert_cmpint (summary_int (out, "agent_failures"), ==, 1);
}

/* Every line is one JSON object; times never go back. */
static void
check_jsonl (const gchar *text, guint *n_lines)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gdouble last = 0.0;
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        {
          g_assert_null (lines[i + 1]); /* only after the final newline */
          continue;
        }
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      gdouble t = json_object_get_double_member (o, "t");
      g_assert_cmpfloat (t, >=, last);
      last = t;
      n++;
    }
  *n_lines = n;
}

/* A random schedule: the same seed gives the same bytes, another seed another schedule. */
static void
test_random_deterministic (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *a = g_build_filename (f->tmpdir, "a", NULL);
  g_autofree gchar *b = g_build_filename (f->tmpdir, "b", NULL);
  g_autofree gchar *c = g_build_filename (f->tmpdir, "c", NULL);
  const gchar *set = "faults=[{type: crash, agents: all, pattern: random, mtbf: 40s, "
                     "restart_after: 10s, count: 2}]";
  const gchar *run_a[] = { "run", config, "-o", a, "-q", "--set", set, NULL };
  const gchar *run_b[] = { "run", config, "-o", b, "-q", "--set", set, NULL };
  const gchar *run_c[] = { "run", config, "-o", c, "-q", "--set", set, "--seed", "6", NULL };

  g_assert_cmpint (dmas (run_a, NULL), ==, 0);
  g_assert_cmpint (dmas (run_b, NULL), ==, 0);
  g_assert_cmpint (dmas (run_c, NULL), ==, 0);
  g_autofree gchar *ja = read_file (a, "faults.jsonl");
  g_autofree gchar *jb = read_file (b, "faults.jsonl");
  g_autofree gchar *jc = read_file (c, "faults.jsonl");
  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpstr (ja, !=, jc);
  guint n = 0;
  check_jsonl (ja, &n);
  g_assert_cmpint (summary_int (a, "faults_injected"), >=, 1);
  /* Crashes and restarts alternate per agent, so the log holds up to twice the crashes. */
  g_assert_cmpint (n, >=, summary_int (a, "faults_injected"));
  g_assert_cmpint (n, <=, 2 * summary_int (a, "faults_injected"));
}

/* No faults: an empty faults.jsonl, and a zero count. */
static void
test_no_faults (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *out = g_build_filename (f->tmpdir, "none", NULL);
  const gchar *args[] = { "run", config, "-o", out, "-q", "--set", "faults=[]", NULL };

  g_assert_cmpint (dmas (args, NULL), ==, 0);
  g_autofree gchar *jsonl = read_file (out, "faults.jsonl");
  g_assert_cmpstr (jsonl, ==, "");
  g_assert_cmpint (summary_int (out, "faults_injected"), ==, 0);
  g_assert_cmpint (summary_int (out, "agent_failures"), ==, 0);
}

/* `dmas config` shows each entry with every parameter, defaults filled, in spec order; an
 * unknown parameter is a usage error (exit status 2). */
static void
test_config (Fixture *f, gconstpointer data)
{
  (void) f;
  (void) data;
  g_autofree gchar *config = scenario ();
  g_autofree gchar *text = NULL;
  const gchar *show[] = { "config", config, NULL };
  const gchar *typo[] = { "config", config, "--set", "faults=[{type: crash, restart: 5s}]",
                          NULL };

  g_assert_cmpint (dmas (show, &text), ==, 0);
  g_assert_nonnull (strstr (text, "faults:\n"
                                  "- type: crash\n"
                                  "  agents: \"1\"\n"
                                  "  pattern: fixed\n"
                                  "  at: 30s\n"
                                  "  every: 0s\n"
                                  "  mtbf: 1h\n"
                                  "  restart_after: 60s\n"
                                  "  count: 1\n"));
  g_assert_cmpint (dmas (typo, NULL), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/faults-e2e/crash/logged", Fixture, NULL, fixture_setup, test_crash_logged,
              fixture_teardown);
  g_test_add ("/faults-e2e/random/deterministic", Fixture, NULL, fixture_setup,
              test_random_deterministic, fixture_teardown);
  g_test_add ("/faults-e2e/none/empty-log", Fixture, NULL, fixture_setup, test_no_faults,
              fixture_teardown);
  g_test_add ("/faults-e2e/config/defaults-filled", Fixture, NULL, fixture_setup, test_config,
              fixture_teardown);
  return g_test_run ();
}
