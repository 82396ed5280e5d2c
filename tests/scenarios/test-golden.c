/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Golden scenario traces: `dmas run golden/NAME.yaml --trace` must reproduce NAME.trace. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <dmas/dmas.h>
#include "plugin/registry.h"
#include "scenario.h"

/* One test per consensus component built (plugins/consensus/.libs): /golden/NAME.  A component
 * without golden/NAME.yaml is skipped, named, rather than failed, so that a new protocol
 * shows up here until its golden files are made (tests/scenarios/golden-regen.sh NAME). */

typedef struct {
  gchar *name;
} Golden;

static void
test_golden (gconstpointer data)
{
  const Golden *g = data;
  g_autofree gchar *rel = g_strdup_printf ("tests/scenarios/golden/%s.yaml", g->name);
  g_autofree gchar *config = scen_src_path (rel);
  if (!g_file_test (config, G_FILE_TEST_EXISTS))
    {
      g_autofree gchar *why = g_strdup_printf ("no golden files for consensus '%s' (make them "
                                               "with tests/scenarios/golden-regen.sh %s)",
                                               g->name, g->name);
      g_test_skip (why);
      return;
    }
  g_autofree gchar *expected_path = g_strdup_printf ("%.*s.trace", (int) (strlen (config) - 5),
                                                     config);
  g_autofree gchar *expected = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, &error));
  g_assert_no_error (error);

  gchar *tmp = scen_tmpdir_new ("dmas-golden");
  g_autofree gchar *out = g_build_filename (tmp, "out", NULL);
  g_autofree gchar *trace = g_build_filename (tmp, "trace", NULL);
  const gchar *extra[] = { "--trace", trace, NULL };
  scen_run (config, out, extra);
  g_autofree gchar *got = scen_read_file (tmp, "trace");
  /* Name the first line that differs rather than dumping both traces. */
  g_auto (GStrv) got_lines = g_strsplit (got, "\n", -1);
  g_auto (GStrv) want_lines = g_strsplit (expected, "\n", -1);
  for (guint i = 0; got_lines[i] != NULL || want_lines[i] != NULL; i++)
    {
      g_autofree gchar *where = g_strdup_printf ("%s:%u", expected_path, i + 1);
      g_autofree gchar *want = g_strdup_printf ("%s %s", where, want_lines[i] ? want_lines[i]
                                                                              : "(end of file)");
      g_autofree gchar *have = g_strdup_printf ("%s %s", where, got_lines[i] ? got_lines[i]
                                                                             : "(end of run)");
      g_assert_cmpstr (have, ==, want);
      if (got_lines[i] == NULL || want_lines[i] == NULL)
        break;
    }
  g_assert_cmpstr (got, ==, expected); /* byte for byte, e.g. a missing final newline */
  g_autofree gchar *status = scen_summary_string (out, "status");
  g_assert_cmpstr (status, ==, "complete");
  scen_tmpdir_free (tmp);
}

/* Each golden runs in a child process, so that one changed trace does not hide the others. */
static void
run_golden (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      test_golden (data);
      return;
    }
  const Golden *g = data;
  g_autofree gchar *rel = g_strdup_printf ("tests/scenarios/golden/%s.yaml", g->name);
  g_autofree gchar *config = scen_src_path (rel);
  if (!g_file_test (config, G_FILE_TEST_EXISTS))
    {
      test_golden (data); /* the skip */
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions (); /* a failed child fails its golden, not the program */
  const gchar *builddir = g_getenv ("DMAS_BUILDDIR");
  g_autofree gchar *dir = g_build_filename (builddir != NULL ? builddir : DMAS_ABS_BUILDDIR,
                                            "plugins", "consensus", ".libs", NULL);
  const gchar *dirs[] = { dir, NULL };
  g_autoptr (DmasRegistry) registry = dmas_registry_new ();
  dmas_registry_scan (registry, dirs, NULL);
  g_autoptr (GPtrArray) list = dmas_registry_list (registry);
  g_autoptr (GPtrArray) goldens = g_ptr_array_new ();
  for (guint i = 0; i < list->len; i++)
    {
      const DmasComponentInfo *info = list->pdata[i];
      if (info->kind != DMAS_KIND_CONSENSUS)
        continue;
      Golden *g = g_new0 (Golden, 1);
      g->name = g_strdup (info->name);
      g_ptr_array_add (goldens, g);
      g_autofree gchar *path = g_strdup_printf ("/golden/%s", g->name);
      g_test_add_data_func (path, g, run_golden);
    }
  int status = g_test_run ();
  for (guint i = 0; i < goldens->len; i++)
    {
      Golden *g = goldens->pdata[i];
      g_free (g->name);
      g_free (g);
    }
  return status;
}
