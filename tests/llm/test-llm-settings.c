/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of DmasLlmSettings from a resolved config (framework/llm/settings.c). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "llm/service.h"

/* A resolved `llm:` section as the schema writes it (canonical values, every key). */
static const gchar RESOLVED[] =
  "llm:\n"
  "  provider: ollama\n"
  "  model: llama3.1:8b\n"
  "  temperature: 0.2\n"
  "  max_tokens: 256\n"
  "  connect_timeout: 2s\n"
  "  timeout: 45s\n"
  "  retries: 4\n"
  "  backoff: 250ms\n"
  "  backoff_max: 8s\n"
  "  budget_calls: 100\n"
  "  budget_time: 10m\n"
  "  max_reply_bytes: 32768\n"
  "  record: /tmp/run.jsonl\n"
  "  prompts: ''\n"
  "  latency_mean: 1500ms\n"
  "  latency_jitter: 500ms\n";

/* Loads RESOLVED with `from` replaced by `to` (NULL: unchanged) into *out. */
static gboolean
load (const gchar *from, const gchar *to, DmasLlmSettings *out, GError **error)
{
  g_autofree gchar *text = NULL;
  DmasConfig config = { 0 };
  gboolean ok;

  if (from != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (RESOLVED, from, 2);

      g_assert_nonnull (parts[1]);
      text = g_strconcat (parts[0], to, parts[1], NULL);
    }
  else
    text = g_strdup (RESOLVED);
  config.resolved = dmas_node_parse_string (text, strlen (text), "run.yaml", "/", error);
  g_assert_nonnull (config.resolved);
  ok = dmas_llm_settings_from_config (&config, out, error);
  dmas_node_free (config.resolved);
  return ok;
}

static void
test_read (void)
{
  DmasLlmSettings s;
  g_autoptr (GError) error = NULL;

  g_assert_true (load (NULL, NULL, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (s.provider, ==, "ollama");
  g_assert_cmpstr (s.model, ==, "llama3.1:8b");
  g_assert_cmpfloat (s.temperature, ==, 0.2);
  g_assert_cmpuint (s.max_tokens, ==, 256);
  g_assert_cmpuint (s.connect_timeout, ==, 2 * DMAS_S);
  g_assert_cmpuint (s.timeout, ==, 45 * DMAS_S);
  g_assert_cmpuint (s.retries, ==, 4);
  g_assert_cmpuint (s.backoff, ==, 250 * DMAS_MS);
  g_assert_cmpuint (s.backoff_max, ==, 8 * DMAS_S);
  g_assert_cmpuint (s.budget_calls, ==, 100);
  g_assert_cmpuint (s.budget_time, ==, 600 * DMAS_S);
  g_assert_cmpuint (s.max_reply_bytes, ==, 32768);
  g_assert_cmpstr (s.record, ==, "/tmp/run.jsonl");
  g_assert_cmpstr (s.prompts, ==, "");
  g_assert_cmpuint (s.latency_mean, ==, 1500 * DMAS_MS);
  g_assert_cmpuint (s.latency_jitter, ==, 500 * DMAS_MS);
  dmas_llm_settings_clear (&s);
  g_assert_null (s.provider);
  /* A size written with a unit reads too. */
  g_assert_true (load ("max_reply_bytes: 32768", "max_reply_bytes: 64KiB", &s, &error));
  g_assert_cmpuint (s.max_reply_bytes, ==, 65536);
  dmas_llm_settings_clear (&s);
}

static void
assert_refused (const gchar *from, const gchar *to, const gchar *expected)
{
  DmasLlmSettings s;
  g_autoptr (GError) error = NULL;

  g_assert_false (load (from, to, &s, &error));
  g_assert_error (error, DMAS_CONFIG_ERROR, error->code);
  if (strstr (error->message, expected) == NULL)
    g_error ("\"%s\" lacks \"%s\"", error->message, expected);
  g_assert_null (s.provider);
}

static void
test_refused (void)
{
  assert_refused ("backoff: 250ms", "backoff: 9s",
                  "run.yaml:9:12: llm.backoff is longer than llm.backoff_max");
  assert_refused ("connect_timeout: 2s", "connect_timeout: 50s",
                  "run.yaml:6:20: llm.connect_timeout is longer than llm.timeout");
  assert_refused ("timeout: 45s", "timeout: 0s", "llm.timeout must be above 0");
  assert_refused ("provider: ollama", "provider: ''", "llm.provider is empty");
  assert_refused ("max_reply_bytes: 32768", "max_reply_bytes: 0",
                  "llm.max_reply_bytes must be above 0");
  assert_refused ("max_tokens: 256", "max_tokens: 0", "llm.max_tokens must be above 0");
  assert_refused ("retries: 4", "retries: -1", "run.yaml:8:12: llm.retries: expected a whole "
                  "number, got '-1'");
  assert_refused ("timeout: 45s", "timeout: soon", "llm.timeout: expected a duration");
  assert_refused ("temperature: 0.2", "temperature: warm", "llm.temperature: expected a number");
  assert_refused ("  latency_jitter: 500ms\n", "", "the resolved config lacks "
                  "llm.latency_jitter");
}

/* Through the real loader, once the schema has the llm keys (config/schema.c). */
static void
test_schema_defaults (void)
{
  static const gchar yaml[] = "llm: {provider: simulated}\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (DmasConfig) config = dmas_config_load_string (yaml, "run.yaml", "/", NULL, &error);
  DmasLlmSettings s;

  if (config == NULL)
    {
      g_test_skip ("the config schema has no llm section yet");
      return;
    }
  g_assert_true (dmas_llm_settings_from_config (config, &s, &error));
  g_assert_no_error (error);
  /* The documented defaults (issue7-common.md). */
  g_assert_cmpstr (s.provider, ==, "simulated");
  g_assert_cmpstr (s.model, ==, "");
  g_assert_cmpfloat (s.temperature, ==, 0);
  g_assert_cmpuint (s.max_tokens, ==, 512);
  g_assert_cmpuint (s.connect_timeout, ==, 5 * DMAS_S);
  g_assert_cmpuint (s.timeout, ==, 60 * DMAS_S);
  g_assert_cmpuint (s.retries, ==, 3);
  g_assert_cmpuint (s.backoff, ==, DMAS_S);
  g_assert_cmpuint (s.backoff_max, ==, 30 * DMAS_S);
  g_assert_cmpuint (s.budget_calls, ==, 0);
  g_assert_cmpuint (s.budget_time, ==, 0);
  g_assert_cmpuint (s.max_reply_bytes, ==, 65536);
  g_assert_cmpstr (s.record, ==, "");
  g_assert_cmpstr (s.prompts, ==, "");
  g_assert_cmpuint (s.latency_mean, ==, 2 * DMAS_S);
  g_assert_cmpuint (s.latency_jitter, ==, DMAS_S);
  dmas_llm_settings_clear (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/llm/settings/read", test_read);
  g_test_add_func ("/llm/settings/refused", test_refused);
  g_test_add_func ("/llm/settings/schema-defaults", test_schema_defaults);
  return g_test_run ();
}
