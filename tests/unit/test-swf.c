/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the SWF reader: every rule on a hand-made file, malformed lines, gzip, the
 * real KTH and NASA traces when ../shared/traces is present. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "world/swf.h"

static gchar *
data_path (const gchar *name)
{
  const gchar *srcdir = g_getenv ("DMAS_SRCDIR");

  return g_build_filename (srcdir != NULL ? srcdir : DMAS_ABS_SRCDIR, "tests", "data", "swf",
                           name, NULL);
}

/* A job as tests/data/swf/rules.swf should give it. */
typedef struct {
  const gchar *id;
  DmasTime submit;
  guint32 nodes;
  DmasTime walltime, runtime;
  gint32 user;
} Expected;

/* rules.swf kept these, in (submit, id) order; see the comments in the file. */
static const Expected rules_jobs[] = {
  { "1", 0, 4, 200 * DMAS_S, 100 * DMAS_S, 7 },
  { "10", 5500 * DMAS_MS, 1, 12500 * DMAS_MS, 12250 * DMAS_MS, 7 },
  { "2", 10 * DMAS_S, 2, 50 * DMAS_S, 50 * DMAS_S, 8 },
  { "9", 10 * DMAS_S, 3, 20 * DMAS_S, 20 * DMAS_S, -1 },
  { "8", 50 * DMAS_S, 8, 300 * DMAS_S, 300 * DMAS_S, 9 },
};

static void
assert_rules_workload (const DmasWorkload *w)
{
  const DmasWorkloadStats *stats = dmas_workload_stats (w);

  g_assert_cmpuint (w->n_jobs, ==, G_N_ELEMENTS (rules_jobs));
  for (guint i = 0; i < w->n_jobs; i++)
    {
      const DmasJob *job = &w->jobs[i];
      const Expected *e = &rules_jobs[i];

      g_assert_cmpuint (job->id, ==, i + 1);
      g_assert_cmpstr (dmas_workload_source_id (w, job->id), ==, e->id);
      g_assert_cmpuint (job->submit, ==, e->submit);
      g_assert_cmpuint (job->nodes, ==, e->nodes);
      g_assert_cmpuint (job->cores, ==, 1);
      g_assert_cmpfloat (job->memory_gb, ==, 0.0);
      g_assert_cmpuint (job->gpus, ==, 0);
      g_assert_cmpuint (job->walltime, ==, e->walltime);
      g_assert_cmpuint (job->runtime, ==, e->runtime);
      g_assert_cmpint (job->type, ==, DMAS_JOB_HPC);
      g_assert_cmpint (w->users[i], ==, e->user);
    }
  g_assert_cmpuint (stats->records, ==, 10);
  g_assert_cmpuint (stats->dropped_runtime, ==, 2);
  g_assert_cmpuint (stats->dropped_processors, ==, 2);
  g_assert_cmpuint (stats->dropped_submit, ==, 1);
  g_assert_cmpuint (stats->runtime_capped, ==, 1);
  g_assert_cmpuint (stats->malformed, ==, 0);
  g_assert_cmpuint (stats->jobs, ==, 5);
}

static void
test_rules (void)
{
  g_autofree gchar *path = data_path ("rules.swf");
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasWorkload) w = dmas_swf_read (path, TRUE, NULL, &error);
  DmasSwfHeader header = { 0 };

  g_assert_no_error (error);
  assert_rules_workload (w);
  g_assert_true (dmas_swf_read_header (path, &header, &error));
  g_assert_cmpuint (header.max_procs, ==, 16);
  g_assert_cmpuint (header.max_nodes, ==, 8);
}

static void
test_header_only_comments (void)
{
  static const gchar text[] = "; Version: 2.2\n;MaxProcs:   64\n;  MaxNodes: 32 \n; MaxProcs is "
                              "not a number here: x\n";
  DmasSwfHeader header = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasWorkload) w = dmas_swf_parse (text, strlen (text), "h.swf", TRUE, &header,
                                               NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (w->n_jobs, ==, 0);
  g_assert_cmpuint (header.max_procs, ==, 64);
  g_assert_cmpuint (header.max_nodes, ==, 32);
}

static void
test_malformed_skip (void)
{
  g_autofree gchar *path = data_path ("malformed.swf");
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasWorkload) w = dmas_swf_read (path, FALSE, warnings, &error);
  const gchar *const messages[] = {
    "3: expected 18 fields, found 17",
    "4: field 4 (run time) is not a number: 'ten'",
    "6: field 5 (allocated processors) is not an integer: '1.5'",
    "8: expected 18 fields, found 19",
  };

  g_assert_no_error (error);
  /* Line 7 uses tabs and ends in CR LF; line 10 writes numbers with exponents and has no
   * final newline: both are well formed. */
  g_assert_cmpuint (w->n_jobs, ==, 3);
  g_assert_cmpstr (dmas_workload_source_id (w, 1), ==, "1");
  g_assert_cmpstr (dmas_workload_source_id (w, 2), ==, "5");
  g_assert_cmpstr (dmas_workload_source_id (w, 3), ==, "7");
  g_assert_cmpuint (w->jobs[2].runtime, ==, 10 * DMAS_S);
  g_assert_cmpuint (w->jobs[2].walltime, ==, 20 * DMAS_S);
  g_assert_cmpuint (dmas_workload_stats (w)->malformed, ==, 4);
  g_assert_cmpuint (dmas_workload_stats (w)->records, ==, 3);
  g_assert_cmpuint (warnings->len, ==, G_N_ELEMENTS (messages));
  for (guint i = 0; i < warnings->len; i++)
    {
      g_autofree gchar *expected = g_strdup_printf ("%s:%s", path, messages[i]);
      g_assert_cmpstr (g_ptr_array_index (warnings, i), ==, expected);
    }
}

static void
test_malformed_fail (void)
{
  g_autofree gchar *path = data_path ("malformed.swf");
  g_autofree gchar *expected = g_strdup_printf ("%s:3: expected 18 fields, found 17", path);
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasWorkload) w = dmas_swf_read (path, TRUE, NULL, &error);

  g_assert_null (w);
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, expected);
}

/* Values that are numbers but not usable, each its own message. */
static void
test_malformed_values (void)
{
  static const struct { const gchar *line; const gchar *message; } cases[] = {
    { "1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 1 -1 --1",
      "x.swf:1: field 18 (think time) is not a number: '--1'" },
    { "1.5 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 1 -1 -1",
      "x.swf:1: field 1 (job number) is not an integer: '1.5'" },
    { "1 0 0 10 1 -1 -1 99999999999 20 -1 1 1 1 1 1 1 -1 -1",
      "x.swf:1: field 8 (requested processors) is too large: '99999999999'" },
    { "1 1e12 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 1 -1 -1",
      "x.swf:1: field 2 (submit time) is too large: '1e12'" },
    { "1 0 0 10 1 -1 -1 1 20 -1 1 1 1 1 1 1 -1 0x1",
      "x.swf:1: field 18 (think time) is not a number: '0x1'" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DmasWorkload) w = dmas_swf_parse (cases[i].line, strlen (cases[i].line),
                                                   "x.swf", TRUE, NULL, NULL, &error);

      g_assert_null (w);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Compresses `from` into `to` with GIO's zlib compressor. */
static void
gzip_file (const gchar *from, const gchar *to)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;
  gsize len = 0;
  g_autoptr (GFile) file = g_file_new_for_path (to);
  g_autoptr (GFileOutputStream) out = NULL;
  g_autoptr (GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr (GOutputStream) zout = NULL;

  g_assert_true (g_file_get_contents (from, &text, &len, &error));
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  zout = g_converter_output_stream_new (G_OUTPUT_STREAM (out), G_CONVERTER (gzip));
  g_assert_true (g_output_stream_write_all (zout, text, len, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (zout, NULL, &error));
  g_assert_no_error (error);
}

/* gzip is recognised by its first bytes, not by the name: the file here has none. */
static void
test_gzip (void)
{
  g_autofree gchar *path = data_path ("rules.swf");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("dmas-swf-XXXXXX", &error);
  g_autofree gchar *packed = g_build_filename (dir, "rules.trace", NULL);
  g_autofree gchar *broken = g_build_filename (dir, "broken.swf.gz", NULL);
  DmasSwfHeader header = { 0 };

  g_assert_no_error (error);
  gzip_file (path, packed);
  {
    g_autoptr (DmasWorkload) w = dmas_swf_read (packed, TRUE, NULL, &error);
    g_assert_no_error (error);
    assert_rules_workload (w);
    g_assert_true (dmas_swf_read_header (packed, &header, &error));
    g_assert_cmpuint (header.max_procs, ==, 16);
  }
  /* The magic bytes and then garbage: a clear error naming the file. */
  g_assert_true (g_file_set_contents (broken, "\x1f\x8b\x08garbage", -1, &error));
  {
    g_autoptr (DmasWorkload) w = dmas_swf_read (broken, TRUE, NULL, &error);
    g_autofree gchar *prefix = g_strdup_printf ("%s: cannot read the trace: ", broken);
    g_assert_null (w);
    g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, prefix));
  }
  g_assert_cmpint (g_unlink (packed), ==, 0);
  g_assert_cmpint (g_unlink (broken), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Through the workload: the first N jobs, homes round-robin, the run's statistics. */
static void
test_workload_limit (void)
{
  g_autofree gchar *path = data_path ("rules.swf");
  DmasConfig config = { 0 };
  g_autoptr (GError) error = NULL;

  config.source = (gchar *) "test.yaml";
  config.workload.generator = (gchar *) "swf";
  config.workload.path = path;
  config.workload.jobs = 3;
  {
    g_autoptr (DmasWorkload) w = dmas_workload_generate (&config, 2, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (w->n_jobs, ==, 3);
    g_assert_cmpstr (dmas_workload_source_id (w, 3), ==, "2");
    g_assert_null (dmas_workload_source_id (w, 4));
    g_assert_cmpuint (w->jobs[2].home, ==, 0);
    g_assert_cmpuint (w->jobs[1].home, ==, 1);
    g_assert_cmpuint (dmas_workload_stats (w)->beyond_limit, ==, 2);
    g_assert_cmpuint (dmas_workload_stats (w)->jobs, ==, 3);
  }
  config.workload.jobs = DMAS_WORKLOAD_ALL_JOBS;
  {
    g_autoptr (DmasWorkload) w = dmas_workload_generate (&config, 1, NULL, &error);
    g_assert_no_error (error);
    assert_rules_workload (w);
  }
}

static gchar *
shared_trace (const gchar *name)
{
  const gchar *shared = g_getenv ("DMAS_SHARED_DIR");
  g_autofree gchar *path = NULL;

  if (shared == NULL)
    {
      g_test_skip ("DMAS_SHARED_DIR is not set (make check sets it to ../shared beside the "
                   "source tree)");
      return NULL;
    }
  path = g_build_filename (shared, "traces", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree gchar *why = g_strdup_printf ("%s is absent: the real traces live outside the "
                                               "project (see the README)", path);
      g_test_skip (why);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* The reference numbers of ../shared/traces/README.md. */
static void
test_kth (void)
{
  g_autofree gchar *path = shared_trace ("KTH-SP2-1996-2.swf");
  g_autoptr (GError) error = NULL;
  DmasSwfHeader header = { 0 };

  if (path == NULL)
    return;
  g_autoptr (DmasWorkload) w = dmas_swf_read (path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dmas_swf_read_header (path, &header, &error));
  g_assert_cmpuint (header.max_procs, ==, 100);
  g_assert_cmpuint (w->n_jobs, ==, 28481);
  g_assert_cmpuint (w->stats.records, ==, 28489);
  g_assert_cmpuint (w->stats.dropped_runtime, ==, 8);
  g_assert_cmpuint (w->stats.dropped_processors + w->stats.dropped_submit, ==, 0);
  g_assert_cmpuint (w->stats.runtime_capped, ==, 475);
  for (guint i = 0; i < w->n_jobs; i++)
    {
      g_assert_cmpuint (w->jobs[i].runtime, <=, w->jobs[i].walltime);
      g_assert_cmpuint (w->jobs[i].nodes, <=, 100);
    }
}

static void
test_nasa_gzip (void)
{
  g_autofree gchar *path = shared_trace ("NASA-iPSC-1993-3.1-cln.swf.gz");
  g_autoptr (GError) error = NULL;
  DmasSwfHeader header = { 0 };

  if (path == NULL)
    return;
  g_autoptr (DmasWorkload) w = dmas_swf_read (path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dmas_swf_read_header (path, &header, &error));
  g_assert_cmpuint (header.max_procs, ==, 128);
  /* The README's 18 239 are the records; 173 of them ran 0 s. */
  g_assert_cmpuint (w->stats.records, ==, 18239);
  g_assert_cmpuint (w->stats.dropped_runtime, ==, 173);
  g_assert_cmpuint (w->n_jobs, ==, 18066);
  /* No requested times: every estimate is the runtime. */
  for (guint i = 0; i < w->n_jobs; i++)
    g_assert_cmpuint (w->jobs[i].walltime, ==, w->jobs[i].runtime);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/world/swf/rules", test_rules);
  g_test_add_func ("/world/swf/header", test_header_only_comments);
  g_test_add_func ("/world/swf/malformed/skip", test_malformed_skip);
  g_test_add_func ("/world/swf/malformed/fail", test_malformed_fail);
  g_test_add_func ("/world/swf/malformed/values", test_malformed_values);
  g_test_add_func ("/world/swf/gzip", test_gzip);
  g_test_add_func ("/world/swf/workload-limit", test_workload_limit);
  g_test_add_func ("/world/swf/real/kth", test_kth);
  g_test_add_func ("/world/swf/real/nasa-gzip", test_nasa_gzip);
  return g_test_run ();
}
