/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the end-to-end scenario tests: temp dirs, running `dmas`, reading its results. */
#ifndef DMAS_TESTS_SCENARIO_H
#define DMAS_TESTS_SCENARIO_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every helper asserts (g_assert_*) instead of returning errors: a scenario test has nothing
 * better to do with a missing file or a failed spawn than fail there.  The environment comes
 * from the test harness (Makefile.am's AM_TESTS_ENVIRONMENT): $DMAS_BUILDDIR holds the `dmas`
 * binary, $DMAS_SRCDIR the source tree. */

/* A fresh directory "PREFIX-XXXXXX" under the system temp dir.  Returns: (transfer full) its
 * path; give it back to scen_tmpdir_free(). */
gchar *scen_tmpdir_new (const gchar *prefix);
/* Removes `dir` and everything under it, then frees the string.  `dir` may be NULL. */
void scen_tmpdir_free (gchar *dir);

/* A GTest fixture holding one such directory: g_test_add (path, ScenFixture, "dmas-e2e",
 * scen_fixture_setup, test, scen_fixture_teardown), the test data being the prefix. */
typedef struct {
  gchar *tmpdir;
} ScenFixture;

void scen_fixture_setup (ScenFixture *f, gconstpointer prefix);
void scen_fixture_teardown (ScenFixture *f, gconstpointer prefix);

/* $DMAS_SRCDIR/REL ("configs/single.yaml").  Returns: (transfer full). */
gchar *scen_src_path (const gchar *rel);

/* Runs `$DMAS_BUILDDIR/dmas ARGS...` (NULL-terminated, without the program name) and waits.
 * out, err: (out) (optional) (transfer full) its stdout and stderr.  A non-empty stderr is
 * also shown with g_test_message().  Returns: its exit status, or -1 when a signal ended it. */
gint scen_dmas (const gchar *const *args, gchar **out, gchar **err);
/* `$DMAS_BUILDDIR/dmas ARGS...` (NULL-terminated, without the program name; stdout
 * discarded), interrupted with SIGINT (dmas then writes its partial results) when it has not
 * ended within `wall_limit_s` seconds of wall-clock time: for runs that must end but might
 * not (a livelock grows virtual time without bound).  Returns: its exit status, or -1 when it
 * had to be interrupted or a signal ended it. */
gint scen_dmas_bounded (const gchar *const *args, guint wall_limit_s);
/* `dmas run CONFIG -o OUTDIR --quiet EXTRA...` (extra: nullable, NULL-terminated), asserting
 * that it exits 0; its stdout and stderr are shown when it does not. */
void scen_run (const gchar *config, const gchar *outdir, const gchar *const *extra);

/* The contents of DIR/NAME.  Returns: (transfer full). */
gchar *scen_read_file (const gchar *dir, const gchar *name);
/* DIR/summary.json parsed.  Returns: (transfer full) its root object. */
JsonObject *scen_summary (const gchar *dir);
/* One member of DIR/summary.json, asserted present. */
gint64 scen_summary_int (const gchar *dir, const gchar *member);
gdouble scen_summary_double (const gchar *dir, const gchar *member);
/* Returns: (transfer full). */
gchar *scen_summary_string (const gchar *dir, const gchar *member);

/* Column NAME of DIR/jobs.csv (asserted present), one string per job row in file order.
 * Returns: (transfer full) (element-type utf8) a GPtrArray that frees its strings. */
GPtrArray *scen_jobs_column (const gchar *dir, const gchar *name);

/* Counter `name` of summary.json's plugin_metrics, 0 when no plugin ever reported it. */
gdouble scen_plugin_metric (const gchar *dir, const gchar *name);

/* Runs configs/single.yaml with scheduling.consensus=`consensus` and the extra --set
 * values `sets` (nullable, NULL-terminated) into DIR/run of a new temp dir, and asserts the
 * clean outcome every protocol test expects: status complete, every submitted job completed,
 * nothing lost, no safety or validity violation, no duplicate execution.
 * out: (out) (transfer full) DIR/run.  Returns: (transfer full) DIR, for scen_tmpdir_free(). */
gchar *scen_run_consensus (const gchar *prefix, const gchar *consensus,
                           const gchar *const *sets, gchar **out);

G_END_DECLS

#endif /* DMAS_TESTS_SCENARIO_H */
