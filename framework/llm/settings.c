/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The config's `llm:` section as DmasLlmSettings, with the checks that span several keys. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "llm/service.h"

/* The schema (config/schema.c) has checked each value's type and range and filled the
 * defaults, so a key that is missing or does not read is a resolved tree built by hand: say
 * which key, rather than guess a default that could drift from the schema's. */
static const DmasNode *
get (const DmasNode *root, const gchar *key, GError **error)
{
  g_autofree gchar *path = g_strconcat ("llm.", key, NULL);
  const DmasNode *node = dmas_node_lookup (root, path);

  if (node == NULL || node->kind != DMAS_NODE_SCALAR)
    g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                 "the resolved config lacks %s", path);
  return node != NULL && node->kind == DMAS_NODE_SCALAR ? node : NULL;
}

static gboolean
bad (const DmasNode *node, const gchar *key, const gchar *expected, GError **error)
{
  g_autofree gchar *where = dmas_node_where (node);

  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_TYPE, "%sllm.%s: expected %s, got "
               "'%s'", where, key, expected, node->scalar);
  return FALSE;
}

static gboolean
get_string (const DmasNode *root, const gchar *key, gchar **out, GError **error)
{
  const DmasNode *node = get (root, key, error);

  if (node == NULL)
    return FALSE;
  *out = g_strdup (node->scalar != NULL ? node->scalar : "");
  return TRUE;
}

static gboolean
get_uint (const DmasNode *root, const gchar *key, guint64 max, guint64 *out, GError **error)
{
  const DmasNode *node = get (root, key, error);
  gchar *end = NULL;

  if (node == NULL)
    return FALSE;
  errno = 0;
  *out = g_ascii_strtoull (node->scalar, &end, 10);
  if (node->scalar[0] == '\0' || node->scalar[0] == '-' || *end != '\0' || errno != 0
      || *out > max)
    return bad (node, key, "a whole number", error);
  return TRUE;
}

static gboolean
get_double (const DmasNode *root, const gchar *key, gdouble *out, GError **error)
{
  const DmasNode *node = get (root, key, error);
  gchar *end = NULL;

  if (node == NULL)
    return FALSE;
  *out = g_ascii_strtod (node->scalar, &end);
  if (node->scalar[0] == '\0' || *end != '\0' || !isfinite (*out))
    return bad (node, key, "a number", error);
  return TRUE;
}

static gboolean
get_duration (const DmasNode *root, const gchar *key, DmasTime *out, GError **error)
{
  const DmasNode *node = get (root, key, error);
  guint64 ns = 0;

  if (node == NULL)
    return FALSE;
  if (!dmas_parse_duration (node->scalar, &ns, NULL))
    return bad (node, key, "a duration such as 5s or 250ms", error);
  *out = ns;
  return TRUE;
}

/* A size: a plain byte count, or a size such as 64KiB (whichever form the schema keeps). */
static gboolean
get_size (const DmasNode *root, const gchar *key, guint64 *out, GError **error)
{
  const DmasNode *node = get (root, key, error);

  if (node == NULL)
    return FALSE;
  if (g_ascii_isdigit (node->scalar[0]) && strspn (node->scalar, "0123456789")
      == strlen (node->scalar))
    return get_uint (root, key, G_MAXUINT32, out, error);
  if (!dmas_parse_size (node->scalar, out, NULL) || *out > G_MAXUINT32)
    return bad (node, key, "a size such as 65536 or 64KiB", error);
  return TRUE;
}

static gboolean
refuse (const DmasNode *root, const gchar *key, const gchar *why, GError **error)
{
  g_autofree gchar *path = g_strconcat ("llm.", key, NULL);
  const DmasNode *node = dmas_node_lookup (root, path);
  g_autofree gchar *where = node != NULL ? dmas_node_where (node) : g_strdup ("");

  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE, "%s%s %s", where, path, why);
  return FALSE;
}

/* Checks between keys (and the few ranges a hand-built tree could get wrong). */
static gboolean
check (const DmasNode *root, const DmasLlmSettings *s, GError **error)
{
  if (s->provider[0] == '\0')
    return refuse (root, "provider", "is empty: name an llm component (simulated, replay, "
                   "ollama, openai, sambastudio)", error);
  if (s->timeout == 0)
    return refuse (root, "timeout", "must be above 0", error);
  if (s->connect_timeout == 0)
    return refuse (root, "connect_timeout", "must be above 0", error);
  if (s->connect_timeout > s->timeout)
    return refuse (root, "connect_timeout", "is longer than llm.timeout (the whole exchange); "
                   "shorten it", error);
  if (s->backoff > s->backoff_max)
    return refuse (root, "backoff", "is longer than llm.backoff_max; raise backoff_max or "
                   "lower backoff", error);
  if (s->max_reply_bytes == 0)
    return refuse (root, "max_reply_bytes", "must be above 0", error);
  if (s->max_tokens == 0)
    return refuse (root, "max_tokens", "must be above 0", error);
  if (s->temperature < 0)
    return refuse (root, "temperature", "must be 0 or more", error);
  return TRUE;
}

gboolean
dmas_llm_settings_from_config (const DmasConfig *config, DmasLlmSettings *out, GError **error)
{
  const DmasNode *r = config->resolved;
  guint64 max_tokens = 0, retries = 0, budget_calls = 0, max_reply = 0;

  memset (out, 0, sizeof *out);
  if (!get_string (r, "provider", &out->provider, error)
      || !get_string (r, "model", &out->model, error)
      || !get_double (r, "temperature", &out->temperature, error)
      || !get_uint (r, "max_tokens", G_MAXUINT32, &max_tokens, error)
      || !get_duration (r, "connect_timeout", &out->connect_timeout, error)
      || !get_duration (r, "timeout", &out->timeout, error)
      || !get_uint (r, "retries", 100, &retries, error)
      || !get_duration (r, "backoff", &out->backoff, error)
      || !get_duration (r, "backoff_max", &out->backoff_max, error)
      || !get_uint (r, "budget_calls", G_MAXUINT32, &budget_calls, error)
      || !get_duration (r, "budget_time", &out->budget_time, error)
      || !get_size (r, "max_reply_bytes", &max_reply, error)
      || !get_string (r, "record", &out->record, error)
      || !get_string (r, "prompts", &out->prompts, error)
      || !get_duration (r, "latency_mean", &out->latency_mean, error)
      || !get_duration (r, "latency_jitter", &out->latency_jitter, error))
    {
      dmas_llm_settings_clear (out);
      return FALSE;
    }
  out->max_tokens = (guint) max_tokens;
  out->retries = (guint) retries;
  out->budget_calls = (guint) budget_calls;
  out->max_reply_bytes = (gsize) max_reply;
  if (!check (r, out, error))
    {
      dmas_llm_settings_clear (out);
      return FALSE;
    }
  return TRUE;
}

void
dmas_llm_settings_clear (DmasLlmSettings *settings)
{
  g_clear_pointer (&settings->provider, g_free);
  g_clear_pointer (&settings->model, g_free);
  g_clear_pointer (&settings->record, g_free);
  g_clear_pointer (&settings->prompts, g_free);
  memset (settings, 0, sizeof *settings);
}
