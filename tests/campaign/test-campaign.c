/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Campaigns end to end: sweep expansion, seeds, -j, crash isolation, resume, replay, progress. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* Small runs (a few ms each): four agents, a dozen jobs. */
#define BASE                                                                                  \
  "name: tiny\n"                                                                             \
  "seed: 7\n"                                                                                \
  "horizon: 2m\n"                                                                            \
  "platform: {preset: seed-resilience, agents: 4}\n"                                         \
  "workload: {generator: poisson, jobs: 12, runtime: {dist: uniform, min: 10s, max: 30s}}\n" \
  "network: {latency: 1ms}\n"                                                                \
  "scheduling: {mode: distributed, bidding: heuristic, consensus: auction, "                 \
  "local_policy: fcfs}\n"

#define SWEEP                                                                                 \
  BASE                                                                                       \
  "sweep:\n"                                                                                 \
  "  scheduling.consensus: [auction, raft]\n"                                                \
  "  faults:\n"                                                                              \
  "    none: []\n"                                                                           \
  "    crash: [{type: crash, mtbf: 60s, count: 1}]\n"                                        \
  "repetitions: 2\n"

typedef struct {
  gchar *dir;     /* temporary working directory */
  gchar *dmas;
  gchar *crashy_dir;
} Fixture;

static void
remove_tree (const gchar *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
      const gchar *name;
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("dmas-campaign-XXXXXX", &error);
  g_assert_no_error (error);
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_assert_nonnull (builddir);
  f->dmas = g_build_filename (builddir, "dmas", NULL);
  f->crashy_dir = g_build_filename (builddir, "tests", "campaign", ".libs", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  (void) data;
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->dmas);
  g_free (f->crashy_dir);
}

static gchar *
path_in (Fixture *f, const gchar *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
write_file (Fixture *f, const gchar *name, const gchar *text)
{
  g_autofree gchar *path = path_in (f, name);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static gchar *
read_file (Fixture *f, const gchar *name)
{
  g_autofree gchar *path = path_in (f, name);
  gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
exists (Fixture *f, const gchar *name)
{
  g_autofree gchar *path = path_in (f, name);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Runs `dmas ARGS...` (NULL-terminated) in the fixture's directory.  Returns the exit status
 * (128 + signal when it died on one). */
static int
dmas (Fixture *f, gchar **out, gchar **err, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, f->dmas);
  va_list ap;
  va_start (ap, err);
  for (const gchar *arg = va_arg (ap, const gchar *); arg != NULL;
       arg = va_arg (ap, const gchar *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_autofree gchar *o = NULL, *e = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (f->dir, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &o, &e,
                &status, &error);
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_printerr ("%s%s", o, e);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static JsonObject *
load_json (JsonParser *parser, Fixture *f, const gchar *name)
{
  g_autofree gchar *path = path_in (f, name);
  g_autoptr (GError) error = NULL;
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* "id seed world_seed" lines of `dmas config --plan`, as a NULL-terminated array. */
static gchar **
plan_lines (Fixture *f, const gchar *config)
{
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (dmas (f, &out, &err, "config", "--plan", config, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "# "));
  g_auto (GStrv) lines = g_strsplit (strchr (out, '\n') + 1, "\n", -1);
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (kept, g_strdup (lines[i]));
  g_ptr_array_add (kept, NULL);
  return (gchar **) g_ptr_array_free (g_steal_pointer (&kept), FALSE);
}

/* ---- sweep expansion ---- */

static void
test_expansion (Fixture *f, gconstpointer data)
{
  (void) data;
  write_file (f, "c.yaml", SWEEP);
  g_auto (GStrv) plan = plan_lines (f, "c.yaml");
  const gchar *const ids[] = {
    "000-auction+none-r1", "000-auction+none-r2", "001-auction+crash-r1",
    "001-auction+crash-r2", "002-raft+none-r1", "002-raft+none-r2", "003-raft+crash-r1",
    "003-raft+crash-r2",
  };
  g_assert_cmpuint (g_strv_length (plan), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_auto (GStrv) parts = g_strsplit (plan[i], " ", -1);
      g_assert_cmpstr (parts[0], ==, ids[i]);
    }

  /* Named variants with their own repetitions, crossed with a list of scalars; the
   * nested form that --set builds is the same axis as the dotted one. */
  write_file (f, "v.yaml",
              BASE "sweep:\n"
                   "  variants:\n"
                   "    - {name: fast, network.latency: 1ms}\n"
                   "    - {name: slow, network: {latency: 50ms}, repetitions: 1}\n"
                   "  workload.jobs: [5, 10]\n"
                   "repetitions: 2\n");
  g_auto (GStrv) v = plan_lines (f, "v.yaml");
  g_assert_cmpuint (g_strv_length (v), ==, 6);
  g_assert_true (g_str_has_prefix (v[0], "000-fast+5-r1 "));
  g_assert_true (g_str_has_prefix (v[3], "001-fast+10-r2 "));
  g_assert_true (g_str_has_prefix (v[4], "002-slow+5-r1 "));
  g_assert_true (g_str_has_prefix (v[5], "003-slow+10-r1 "));

  /* The variant's values reach the run's config. */
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (dmas (f, &out, &err, "run", "v.yaml", "-o", "vout", "-j", "2", "-q",
                         "--progress=none", NULL), ==, 0);
  g_autofree gchar *slow = read_file (f, "vout/runs/002-slow+5-r1/config.resolved.yaml");
  g_assert_nonnull (strstr (slow, "latency: 50ms"));
  g_assert_nonnull (strstr (slow, "jobs: 5\n"));
  /* Without compare:, the first axis with a choice is compared. */
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *vplan = load_json (parser, f, "vout/campaign.json");
  g_assert_cmpstr (json_object_get_string_member (vplan, "compare"), ==, "variants");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (vplan, "runs")), ==, 6);

  /* --set on the raw tree: makes a plain file a campaign, and overrides an axis. */
  write_file (f, "plain.yaml", BASE);
  g_autofree gchar *o2 = NULL;
  g_assert_cmpint (dmas (f, &o2, NULL, "config", "--plan", "plain.yaml", "--set",
                         "repetitions=3", "--set", "sweep.scheduling.consensus=[raft, pbft]",
                         NULL), ==, 0);
  g_assert_nonnull (strstr (o2, "# 6 runs"));
  g_assert_nonnull (strstr (o2, "001-pbft-r3 "));
}

static void
expect_error (Fixture *f, const gchar *yaml, const gchar *where, const gchar *what)
{
  write_file (f, "bad.yaml", yaml);
  g_autofree gchar *err = NULL;
  g_assert_cmpint (dmas (f, NULL, &err, "run", "bad.yaml", "-o", "badout", NULL), ==, 2);
  g_assert_nonnull (strstr (err, where));
  g_assert_nonnull (strstr (err, what));
  /* Config errors show before anything is written. */
  g_assert_false (exists (f, "badout"));
}

static void
test_errors (Fixture *f, gconstpointer data)
{
  (void) data;
  expect_error (f, BASE "sweep:\n  scheduling.consensu: [raft]\n", "bad.yaml:9:3:",
                "did you mean 'scheduling.consensus'");
  expect_error (f, BASE "sweep:\n  scheduling.consensus: [raft, raft]\n", "bad.yaml:9:",
                "appears twice");
  expect_error (f, BASE "sweep:\n  workload.jobs: []\n", "bad.yaml:9:",
                "empty");
  expect_error (f, BASE "sweep:\n  seed: [1, 2]\n", "bad.yaml:9:3:", "cannot be swept");
  expect_error (f, BASE "sweep:\n  workload.jobs: [1, 2]\ncompare: workload.job\n",
                "bad.yaml:10:10:", "did you mean 'workload.jobs'");
  expect_error (f, BASE "repetitions: 0\n", "bad.yaml:8:14:", "repetitions must be");
  expect_error (f, BASE "sweep:\n  variants: [{network.latency: 1ms}]\n", "bad.yaml:9:",
                "has no name");
  /* A bad value inside a sweep is reported at the sweep, by the run's config check. */
  expect_error (f, BASE "sweep:\n  network.latency: [1ms, fast]\n", "bad.yaml:9:",
                "network.latency");
}

/* ---- seeds ---- */

static const gchar *
seed_of (gchar **plan, const gchar *id_suffix, guint field)
{
  for (guint i = 0; plan[i] != NULL; i++)
    {
      gchar **parts = g_strsplit (plan[i], " ", -1);
      gboolean match = g_str_has_suffix (parts[0], id_suffix);
      g_strfreev (parts);
      if (match)
        {
          /* Returned from the line itself: valid while `plan` is. */
          const gchar *p = plan[i];
          for (guint k = 0; k < field; k++)
            p = strchr (p, ' ') + 1;
          return p;
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static gchar *
field (const gchar *from)
{
  const gchar *end = strchr (from, ' ');
  return end != NULL ? g_strndup (from, (gsize) (end - from)) : g_strdup (from);
}

static void
test_seeds (Fixture *f, gconstpointer data)
{
  (void) data;
  write_file (f, "a.yaml",
              BASE "sweep:\n  scheduling.consensus: [auction, raft, pbft]\nrepetitions: 2\n");
  write_file (f, "b.yaml",
              BASE "sweep:\n  scheduling.consensus: [pbft, auction, raft]\nrepetitions: 2\n");
  g_auto (GStrv) a = plan_lines (f, "a.yaml");
  g_auto (GStrv) b = plan_lines (f, "b.yaml");
  const gchar *const points[] = { "-auction-r1", "-raft-r2", "-pbft-r1", "-pbft-r2" };
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree gchar *sa = field (seed_of (a, points[i], 1));
      g_autofree gchar *sb = field (seed_of (b, points[i], 1));
      g_assert_cmpstr (sa, ==, sb);
      g_autofree gchar *wa = field (seed_of (a, points[i], 2));
      g_autofree gchar *wb = field (seed_of (b, points[i], 2));
      g_assert_cmpstr (wa, ==, wb);
    }
  /* Pairing: one world per repetition, shared by every method; run seeds all differ. */
  g_autofree gchar *w1 = field (seed_of (a, "-auction-r1", 2));
  g_autofree gchar *w1b = field (seed_of (a, "-pbft-r1", 2));
  g_autofree gchar *w2 = field (seed_of (a, "-auction-r2", 2));
  g_assert_cmpstr (w1, ==, w1b);
  g_assert_cmpstr (w1, !=, w2);
  g_autofree gchar *s1 = field (seed_of (a, "-auction-r1", 1));
  g_autofree gchar *s1b = field (seed_of (a, "-pbft-r1", 1));
  g_assert_cmpstr (s1, !=, s1b);

  /* Unpaired: every point gets its own world. */
  write_file (f, "u.yaml", BASE "sweep:\n  scheduling.consensus: [auction, raft]\n"
                                "paired: false\n");
  g_auto (GStrv) u = plan_lines (f, "u.yaml");
  g_autofree gchar *u1 = field (seed_of (u, "-auction-r1", 2));
  g_autofree gchar *u2 = field (seed_of (u, "-raft-r1", 2));
  g_assert_cmpstr (u1, !=, u2);

  /* Another master seed, other seeds. */
  g_autofree gchar *o = NULL;
  g_assert_cmpint (dmas (f, &o, NULL, "config", "--plan", "a.yaml", "--set", "seed=8", NULL), ==,
                   0);
  g_autofree gchar *s8 = field (strchr (strstr (o, "-auction-r1 "), ' ') + 1);
  g_assert_cmpstr (s8, !=, s1);
}

/* ---- -j and completion order ---- */

static void
test_jobs_identical (Fixture *f, gconstpointer data)
{
  (void) data;
  write_file (f, "c.yaml", SWEEP);
  g_assert_cmpint (dmas (f, NULL, NULL, "run", "c.yaml", "-o", "j1", "-j", "1", "-q", NULL),
                   ==, 0);
  g_assert_cmpint (dmas (f, NULL, NULL, "run", "c.yaml", "-o", "j2", "-j", "2", "-q", NULL),
                   ==, 0);
  const gchar *const files[] = { "summary.csv", "stats.json", "campaign.json" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree gchar *n1 = g_build_filename ("j1", files[i], NULL);
      g_autofree gchar *n2 = g_build_filename ("j2", files[i], NULL);
      g_autofree gchar *t1 = read_file (f, n1);
      g_autofree gchar *t2 = read_file (f, n2);
      g_assert_cmpstr (t1, ==, t2);
    }
  /* A campaign's directory is not reused by accident. */
  g_autofree gchar *err = NULL;
  g_assert_cmpint (dmas (f, NULL, &err, "run", "c.yaml", "-o", "j1", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--resume j1"));
}

/* ---- crash isolation ---- */

static void
test_crash (Fixture *f, gconstpointer data)
{
  (void) data;
  write_file (f, "c.yaml",
              BASE "sweep:\n"
                   "  variants:\n"
                   "    - {name: ok, scheduling.bidding: crashy}\n"
                   "    - {name: boom, scheduling.bidding: crashy, params.crashy.crash: true}\n"
                   "repetitions: 2\n");
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (dmas (f, &out, &err, "run", "c.yaml", "-o", "out", "-j", "2",
                         "--plugin-path", f->crashy_dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "run 001-boom-r1 (seed "));
  g_assert_nonnull (strstr (err, "reproduce: dmas replay out/runs/001-boom-r1"));
  g_assert_nonnull (strstr (out, "report: out/report.html"));
  g_assert_true (exists (f, "out/report.html"));
  g_assert_true (exists (f, "out/runs/000-ok-r1/summary.json"));
  g_assert_true (exists (f, "out/runs/000-ok-r2/summary.json"));
  g_assert_false (exists (f, "out/runs/001-boom-r2/summary.json"));

  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *failure = load_json (parser, f, "out/runs/001-boom-r2/failure.json");
  g_assert_cmpstr (json_object_get_string_member (failure, "id"), ==, "001-boom-r2");
#ifdef DMAS_TEST_SANITIZERS
  g_assert_cmpstr (json_object_get_string_member (failure, "status"), ==, "failed");
#else
  g_assert_nonnull (strstr (err, "crashed: signal 11 ("));
  g_assert_cmpstr (json_object_get_string_member (failure, "status"), ==, "crashed");
  g_assert_cmpint (json_object_get_int_member (failure, "signal"), ==, SIGSEGV);
  g_assert_cmpstr (json_object_get_string_member (failure, "signal_name"), ==, "SIGSEGV");
#endif
  g_assert_cmpstr (json_object_get_string_member (failure, "replay"), ==,
                   "dmas replay out/runs/001-boom-r2");
  g_autoptr (JsonParser) plan_parser = json_parser_new ();
  JsonObject *plan = load_json (plan_parser, f, "out/campaign.json");
  JsonObject *run = json_array_get_object_element (json_object_get_array_member (plan, "runs"),
                                                   3);
  g_assert_cmpstr (json_object_get_string_member (run, "id"), ==, "001-boom-r2");
  g_assert_cmpint (json_object_get_int_member (failure, "seed"), ==,
                   json_object_get_int_member (run, "seed"));
}

/* ---- resume ---- */

#define HEAVY                                                                                 \
  "name: heavy\n"                                                                            \
  "seed: 3\n"                                                                                \
  "horizon: 10m\n"                                                                           \
  "platform: {preset: seed-resilience, agents: 5}\n"                                         \
  "workload: {generator: poisson, jobs: 300, runtime: {dist: uniform, min: 10s, max: 60s}}\n" \
  "scheduling: {mode: distributed, bidding: heuristic, consensus: raft, local_policy: fcfs}\n" \
  "sweep:\n"                                                                                 \
  "  network.latency: [1ms, 5ms]\n"                                                          \
  "repetitions: 5\n"

/* Starts `dmas run heavy.yaml -o OUT -j 1 --progress=jsonl`, waits for its first progress
 * line, then sends `sig`.  Returns the runner's exit status; the rest of its stderr goes to
 * *rest. */
static int
start_and_signal (Fixture *f, const gchar *outdir, int sig, gchar **rest)
{
  const gchar *argv[] = { f->dmas, "run", "heavy.yaml", "-o", outdir, "-j", "1", "-q",
                          "--progress=jsonl", NULL };
  GPid pid;
  gint err_fd;
  g_autoptr (GError) error = NULL;
  g_spawn_async_with_pipes (f->dir, (gchar **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                            NULL, &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);
  FILE *err = fdopen (err_fd, "r");
  gchar line[1024];
  g_assert_nonnull (fgets (line, sizeof line, err));
  g_assert_true (g_str_has_prefix (line, "{\"id\":"));
  kill (pid, sig);
  g_autoptr (GString) tail = g_string_new (NULL);
  while (fgets (line, sizeof line, err) != NULL)
    g_string_append (tail, line);
  fclose (err);
  if (g_test_verbose ())
    g_printerr ("%s", tail->str);
  *rest = g_string_free (g_steal_pointer (&tail), FALSE);
  int status = 0;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static guint
count_finished (Fixture *f, const gchar *outdir)
{
  g_autofree gchar *runs = g_build_filename (f->dir, outdir, "runs", NULL);
  g_autoptr (GDir) d = g_dir_open (runs, 0, NULL);
  guint n = 0;
  const gchar *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *summary = g_build_filename (runs, name, "summary.json", NULL);
      n += g_file_test (summary, G_FILE_TEST_EXISTS);
    }
  return n;
}

static void
test_resume_after_kill (Fixture *f, gconstpointer data)
{
  (void) data;
  write_file (f, "heavy.yaml", HEAVY);
  g_assert_cmpint (dmas (f, NULL, NULL, "run", "heavy.yaml", "-o", "ref", "-q", NULL), ==, 0);
  g_autofree gchar *reference = read_file (f, "ref/summary.csv");

  /* kill -9: no chance to clean up; the runs that had not finished have no summary.json. */
  g_autofree gchar *killed_err = NULL;
  g_assert_cmpint (start_and_signal (f, "killed", SIGKILL, &killed_err), ==, 128 + SIGKILL);
  guint before = count_finished (f, "killed");
  g_assert_cmpuint (before, >=, 1);
  g_assert_cmpuint (before, <, 10);
  g_assert_false (exists (f, "killed/summary.csv"));
  g_autofree gchar *out = NULL;
  g_assert_cmpint (dmas (f, &out, NULL, "run", "heavy.yaml", "--resume", "killed", "-q", NULL),
                   ==, 0);
  g_autofree gchar *resumed = read_file (f, "killed/summary.csv");
  g_assert_cmpstr (resumed, ==, reference);

  /* Ctrl-C: the runner stops its worker and says how to resume. */
  g_autofree gchar *int_err = NULL;
  g_assert_cmpint (start_and_signal (f, "int", SIGINT, &int_err), ==, 130);
  g_assert_nonnull (strstr (int_err, "dmas: interrupted: "));
  g_assert_nonnull (strstr (int_err, " of 10 runs finished; resume: dmas run heavy.yaml "
                                     "--resume int\n"));
  g_assert_cmpuint (count_finished (f, "int"), <, 10);
  g_autofree gchar *progress = NULL;
  g_assert_cmpint (dmas (f, NULL, &progress, "run", "heavy.yaml", "--resume", "int", "-q",
                         "--progress=jsonl", NULL), ==, 0);
  g_autofree gchar *after_int = read_file (f, "int/summary.csv");
  g_assert_cmpstr (after_int, ==, reference);
  /* Only the runs left were run, and progress counts from those already done. */
  g_auto (GStrv) lines = g_strsplit (progress, "\n", -1);
  guint n_lines = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    n_lines += g_str_has_prefix (lines[i], "{\"id\":");
  g_assert_cmpuint (n_lines, >=, 1);
  g_assert_cmpuint (n_lines, <, 10);
  g_assert_nonnull (strstr (progress, "\"done\":10,\"total\":10,"));
}

static void
test_resume_refused (Fixture *f, gconstpointer data)
{
  (void) data;
  /* A private copy of the plugin, so that the test can change the file. */
  g_autofree gchar *plugins = path_in (f, "plugins");
  g_assert_cmpint (g_mkdir (plugins, 0755), ==, 0);
  g_autofree gchar *src = g_build_filename (f->crashy_dir, "crashy.so", NULL);
  g_autofree gchar *bytes = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (src, &bytes, &len, &error);
  g_assert_no_error (error);
  g_autofree gchar *copy = g_build_filename (plugins, "crashy.so", NULL);
  g_file_set_contents_full (copy, bytes, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0755, &error);
  g_assert_no_error (error);

  write_file (f, "c.yaml", BASE "sweep:\n  workload.jobs: [5, 8]\n");
  g_assert_cmpint (dmas (f, NULL, NULL, "run", "c.yaml", "-o", "out", "-q", "--set",
                         "scheduling.bidding=crashy", "--plugin-path", plugins, NULL), ==, 0);
  g_autofree gchar *before = read_file (f, "out/campaign.json");

  /* Same campaign: nothing to do, accepted. */
  g_assert_cmpint (dmas (f, NULL, NULL, "run", "c.yaml", "--resume", "out", "-q", "--set",
                         "scheduling.bidding=crashy", "--plugin-path", plugins, NULL), ==, 0);

  /* A config change: refused with the run and the first line that differs. */
  g_autofree gchar *err = NULL;
  g_assert_cmpint (dmas (f, NULL, &err, "run", "c.yaml", "--resume", "out", "--set",
                         "scheduling.bidding=crashy", "--set", "horizon=3m", "--plugin-path",
                         plugins, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "cannot resume out: the config of run 000-5-r1 changed"));
  g_assert_nonnull (strstr (err, "'horizon: 2m' is now 'horizon: 3m'"));

  /* A run removed. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dmas (f, NULL, &err, "run", "c.yaml", "--resume", "out", "--set",
                         "scheduling.bidding=crashy", "--set", "sweep.workload.jobs=[5]",
                         "--plugin-path", plugins, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "001-8-r1 of the recorded campaign is no longer in the plan"));

  /* The plugin file changed (same version): refused, naming it. */
  g_autofree gchar *changed = g_malloc (len + 1);
  memcpy (changed, bytes, len);
  changed[len] = '\n';
  g_file_set_contents_full (copy, changed, (gssize) len + 1, G_FILE_SET_CONTENTS_NONE, 0755,
                            &error);
  g_assert_no_error (error);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (dmas (f, NULL, &err, "run", "c.yaml", "--resume", "out", "--set",
                         "scheduling.bidding=crashy", "--plugin-path", plugins, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "the bidding component crashy is another file"));

  /* Nothing was written by the refusals. */
  g_autofree gchar *after = read_file (f, "out/campaign.json");
  g_assert_cmpstr (after, ==, before);
}

/* ---- replay, progress ---- */

static void
test_replay (Fixture *f, gconstpointer data)
{
  (void) data;
  write_file (f, "c.yaml", SWEEP);
  g_assert_cmpint (dmas (f, NULL, NULL, "run", "c.yaml", "-o", "out", "-q", NULL), ==, 0);
  g_autofree gchar *out = NULL;
  g_assert_cmpint (dmas (f, &out, NULL, "replay", "out/runs/003-raft+crash-r2", NULL), ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *summary = load_json (parser, f, "out/runs/003-raft+crash-r2/summary.json");
  g_autofree gchar *digest = g_strdup (json_object_get_string_member (summary, "trace_digest"));
  g_autofree gchar *expected = g_strdup_printf ("replay: digest matches (%s)\n", digest);
  g_assert_cmpstr (out, ==, expected);

  /* A tampered digest is caught. */
  g_autofree gchar *text = read_file (f, "out/runs/003-raft+crash-r2/summary.json");
  g_autofree gchar *tampered = NULL;
  {
    g_autoptr (GString) s = g_string_new (text);
    g_string_replace (s, digest, "0123456789abcdef", 1);
    tampered = g_string_free (g_steal_pointer (&s), FALSE);
  }
  write_file (f, "out/runs/003-raft+crash-r2/summary.json", tampered);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (dmas (f, &out, NULL, "replay", "out/runs/003-raft+crash-r2", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "DIFFERS: recorded 0123456789abcdef, replayed "));
  g_assert_nonnull (strstr (out, digest));
}

static void
test_progress_jsonl (Fixture *f, gconstpointer data)
{
  (void) data;
  write_file (f, "c.yaml", SWEEP);
  g_autofree gchar *out = NULL, *err = NULL;
  g_assert_cmpint (dmas (f, &out, &err, "run", "c.yaml", "-o", "out", "-j", "2",
                         "--progress=jsonl", NULL), ==, 0);
  g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      n++;
      g_hash_table_add (ids, g_strdup (json_object_get_string_member (o, "id")));
      g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "complete");
      g_assert_cmpint (json_object_get_int_member (o, "done"), ==, n);
      g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 8);
      g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 0);
      g_assert_cmpfloat (json_object_get_double_member (o, "elapsed_s"), >=, 0.0);
    }
  g_assert_cmpuint (n, ==, 8);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 8);
  /* Results on stdout, progress on stderr only. */
  g_assert_null (strstr (out, "{\"id\""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/campaign/sweep/expansion", test_expansion);
  ADD ("/campaign/sweep/errors", test_errors);
  ADD ("/campaign/seeds/order-and-pairing", test_seeds);
  ADD ("/campaign/jobs/identical-results", test_jobs_identical);
  ADD ("/campaign/crash/isolated", test_crash);
  ADD ("/campaign/resume/after-kill-and-interrupt", test_resume_after_kill);
  ADD ("/campaign/resume/refused", test_resume_refused);
  ADD ("/campaign/replay/digest", test_replay);
  ADD ("/campaign/progress/jsonl", test_progress_jsonl);
#undef ADD
  return g_test_run ();
}
