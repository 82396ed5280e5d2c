/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the prompt templates (framework/llm/template.c). */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config/node.h"
#include "llm/template.h"

typedef struct {
  gchar *dir;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  (void) data;
  f->dir = g_dir_make_tmp ("dmas-llm-template-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const gchar *name;

  (void) data;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (f->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
}

static void
write_template (Fixture *f, const gchar *name, const gchar *text)
{
  g_autofree gchar *file = g_strconcat (name, ".txt", NULL);
  g_autofree gchar *path = g_build_filename (f->dir, file, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static const gchar *const VARS[] = { "job_id", "7", "cluster_name", "gpu-a",
                                     "schema", "{\"x\":{{y}}}", "job_id", "shadowed", NULL };

static void
test_render (Fixture *f, gconstpointer data)
{
  g_autoptr (DmasLlmTemplate) tpl = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;

  (void) data;
  write_template (f, "bid", "Job id: {{job_id}}\nYour cluster: {{ cluster_name }}\n"
                            "Schema: {{schema}} {single} }} end\n");
  tpl = dmas_llm_template_load (f->dir, "bid", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dmas_llm_template_name (tpl), ==, "bid");
  g_assert_true (g_str_has_suffix (dmas_llm_template_path (tpl), "/bid.txt"));
  text = dmas_llm_template_render (tpl, VARS, &error);
  g_assert_no_error (error);
  /* The first value of a name wins; values are not scanned for placeholders. */
  g_assert_cmpstr (text, ==, "Job id: 7\nYour cluster: gpu-a\nSchema: {\"x\":{{y}}} {single} }} "
                             "end\n");
}

static void
test_unknown_placeholder (Fixture *f, gconstpointer data)
{
  g_autoptr (DmasLlmTemplate) tpl = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *expected = NULL;

  (void) data;
  write_template (f, "bid", "line one\n\nJob: {{job_id}} on {{cluser_name}}\n");
  tpl = dmas_llm_template_load (f->dir, "bid", &error);
  g_assert_no_error (error);
  text = dmas_llm_template_render (tpl, VARS, &error);
  g_assert_null (text);
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
  expected = g_strdup_printf ("%s/bid.txt:3: unknown placeholder {{cluser_name}} (known: job_id, "
                              "cluster_name, schema, job_id)", f->dir);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_malformed_placeholder (Fixture *f, gconstpointer data)
{
  static const gchar *const bad[] = { "{{job id}}", "{{}}", "{{job_id}", "{{job_id", "a {{-x}}" };

  (void) data;
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (DmasLlmTemplate) tpl = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree gchar *text = NULL;

      write_template (f, "t", bad[i]);
      tpl = dmas_llm_template_load (f->dir, "t", &error);
      g_assert_no_error (error);
      text = dmas_llm_template_render (tpl, VARS, &error);
      g_assert_null (text);
      g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_SYNTAX);
      g_assert_true (strstr (error->message, "t.txt:1: '{{' must open a placeholder") != NULL);
    }
}

static void
test_load_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *big = NULL;

  (void) data;
  g_assert_null (dmas_llm_template_load (f->dir, "missing", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (strstr (error->message, "missing.txt") != NULL);
  g_assert_true (strstr (error->message, "llm.prompts") != NULL);
  g_clear_error (&error);
  g_assert_null (dmas_llm_template_load (f->dir, "../etc/passwd", &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE);
  g_clear_error (&error);
  write_template (f, "latin1", "caf\xe9\n");
  g_assert_null (dmas_llm_template_load (f->dir, "latin1", &error));
  g_assert_true (strstr (error->message, "latin1.txt: not UTF-8 text") != NULL);
  g_clear_error (&error);
  big = g_strnfill (DMAS_LLM_TEMPLATE_MAX_BYTES + 1, 'x');
  write_template (f, "big", big);
  g_assert_null (dmas_llm_template_load (f->dir, "big", &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_LIMIT);
}

static void
test_names_and_dirs (void)
{
  g_autofree gchar *configured = dmas_llm_prompts_dir ("/some/dir");
  g_autofree gchar *builtin = dmas_llm_prompts_dir ("");

  g_assert_true (dmas_llm_template_name_valid ("bid"));
  g_assert_true (dmas_llm_template_name_valid ("bid_v2-x"));
  g_assert_false (dmas_llm_template_name_valid (""));
  g_assert_false (dmas_llm_template_name_valid ("a/b"));
  g_assert_false (dmas_llm_template_name_valid (".."));
  g_assert_cmpstr (configured, ==, "/some/dir");
  /* The test runs from the build tree: the source tree's templates. */
  g_assert_true (g_str_has_prefix (builtin, DMAS_ABS_SRCDIR));
  g_assert_true (g_str_has_suffix (builtin, "/configs/prompts"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/llm/template/render", Fixture, NULL, setup, test_render, teardown);
  g_test_add ("/llm/template/unknown-placeholder", Fixture, NULL, setup,
              test_unknown_placeholder, teardown);
  g_test_add ("/llm/template/malformed-placeholder", Fixture, NULL, setup,
              test_malformed_placeholder, teardown);
  g_test_add ("/llm/template/load-errors", Fixture, NULL, setup, test_load_errors, teardown);
  g_test_add_func ("/llm/template/names-and-dirs", test_names_and_dirs);
  return g_test_run ();
}
