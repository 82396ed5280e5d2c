/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Talking to the provider: answer() offline; over HTTP with budget, retries, backoff, probe. */
#include <config.h>

#include <string.h>

#include <gio/gio.h>

#include "llm/http.h"
#include "llm/service-private.h"

static gchar *
provider_error (const DmasLlmService *service, const DmasError *err, int status)
{
  if (err->message[0] == '\0')
    return g_strdup_printf ("%s: failed with status %d", service->provider->name, status);
  return g_strdup_printf ("%s: %.*s", service->provider->name, (int) sizeof err->message,
                          err->message);
}

void
dmas_llm_exchange_offline (DmasLlmService *service, const DmasLlmRequest *req,
                           DmasLlmExchange *ex)
{
  const DmasLlmProvider *p = service->provider;
  DmasLlmAnswer answer = { 0 };
  DmasError err = { 0 };
  int status;

  status = p->ops->answer (p->self, p->ctx, req, &answer, &err);
  /* A replayed failure still carries its recorded latency. */
  ex->latency = answer.latency;
  if (status != DMAS_OK)
    ex->failure = provider_error (service, &err, status);
  else if (answer.content == NULL)
    ex->failure = g_strdup_printf ("%s: answered no content", p->name);
  else
    {
      ex->content = g_strdup (answer.content);
      ex->tokens_in = answer.tokens_in;
      ex->tokens_out = answer.tokens_out;
    }
  dmas_llm_answer_clear (&answer);
}

static gboolean
transient_status (long status)
{
  return status == 408 || status == 429 || (status >= 500 && status <= 504);
}

/* Why an attempt failed in a way worth retrying, or NULL when it was not that kind. */
static gchar *
transient_reason (const DmasLlmService *service, const DmasLlmHttpReply *r)
{
  const DmasLlmSettings *s = service->settings;

  if (r->outcome == DMAS_LLM_HTTP_DONE && transient_status (r->status))
    return g_strdup_printf ("HTTP %ld", r->status);
  if (r->outcome == DMAS_LLM_HTTP_TIMEOUT)
    {
      g_autofree gchar *t = dmas_format_duration (r->connected ? s->timeout
                                                                : s->connect_timeout);

      return g_strdup_printf (r->connected ? "timeout after %s (llm.timeout)"
                              : "no connection after %s (llm.connect_timeout)", t);
    }
  if (r->outcome == DMAS_LLM_HTTP_TRANSPORT)
    return g_strdup (r->error);
  return NULL;
}

/* The final word on an attempt that is not retried; NULL when it brought a 2xx body. */
static gchar *
final_reason (const DmasLlmHttpReply *r)
{
  if (r->outcome != DMAS_LLM_HTTP_DONE)
    return g_strdup (r->error);
  if (r->status >= 200 && r->status < 300)
    return NULL;
  if (r->status == 401 || r->status == 403)
    return g_strdup_printf ("HTTP %ld (check the provider's API key variable)", r->status);
  if (r->status == 404)
    return g_strdup_printf ("HTTP %ld (check llm.model and the provider's URL)", r->status);
  return g_strdup_printf ("HTTP %ld", r->status);
}

/* The wait before retry number `retry` (1-based): backoff * 2^(retry-1), capped at
 * backoff_max, the upper half jittered ("equal jitter", so waits never collapse to 0), and at
 * least what Retry-After asked. */
static DmasTime
backoff_delay (DmasLlmService *service, guint retry, gint64 retry_after_s)
{
  const DmasLlmSettings *s = service->settings;
  DmasTime d = s->backoff;

  for (guint i = 1; i < retry && d < s->backoff_max; i++)
    d = d > G_MAXUINT64 / 2 ? G_MAXUINT64 : d * 2;
  d = MIN (d, s->backoff_max);
  d = d / 2 + (DmasTime) (g_rand_double (service->jitter) * (gdouble) (d - d / 2));
  if (retry_after_s >= 0)
    d = MAX (d, (DmasTime) retry_after_s * DMAS_S);
  return d;
}

/* NULL while the budget allows another attempt, else why not. */
static gchar *
budget_spent (const DmasLlmService *service)
{
  const DmasLlmSettings *s = service->settings;

  if (s->budget_calls > 0 && service->counters.attempts >= s->budget_calls)
    return g_strdup_printf ("budget of %u calls spent (llm.budget_calls)", s->budget_calls);
  if (s->budget_time > 0 && (DmasTime) service->wall_us * DMAS_US >= s->budget_time)
    {
      g_autofree gchar *t = dmas_format_duration (s->budget_time);

      return g_strdup_printf ("budget of %s spent (llm.budget_time)", t);
    }
  return NULL;
}

static DmasLlmHttpOptions
http_options (const DmasLlmSettings *s)
{
  DmasLlmHttpOptions o = {
    .connect_timeout = s->connect_timeout,
    .timeout = s->timeout,
    .max_body = s->max_reply_bytes,
  };
  return o;
}

/* One attempt.  Returns TRUE when it settled the call (content or a final failure in ex),
 * FALSE with *retry_reason set when it may be retried. */
static gboolean
attempt (DmasLlmService *service, const DmasLlmRequest *req, DmasLlmExchange *ex,
         gchar **retry_reason, gint64 *retry_after_s)
{
  const DmasLlmProvider *p = service->provider;
  DmasLlmHttpOptions options = http_options (service->settings);
  DmasLlmHttp http = { 0 };
  DmasLlmHttpReply reply = { 0 };
  DmasLlmAnswer answer = { 0 };
  DmasError err = { 0 };
  g_autofree gchar *final = NULL;
  gint64 t0;
  int status;

  status = p->ops->http_build (p->self, p->ctx, req, &http, &err);
  if (status != DMAS_OK || http.url == NULL)
    {
      ex->failure = status != DMAS_OK ? provider_error (service, &err, status)
                                      : g_strdup_printf ("%s: built no URL", p->name);
      dmas_llm_http_clear (&http);
      return TRUE;
    }
  service->counters.attempts++;
  ex->attempts++;
  t0 = g_get_monotonic_time ();
  dmas_llm_http_send (&http, &options, &reply);
  service->wall_us += g_get_monotonic_time () - t0;
  dmas_llm_http_clear (&http);
  ex->latency += reply.elapsed;
  *retry_after_s = reply.retry_after_s;
  *retry_reason = transient_reason (service, &reply);
  if (*retry_reason != NULL)
    {
      dmas_llm_http_reply_clear (&reply);
      return FALSE;
    }
  final = final_reason (&reply);
  if (final != NULL)
    ex->failure = g_steal_pointer (&final);
  else if ((status = p->ops->http_parse (p->self, p->ctx, reply.body, reply.len, &answer,
                                         &err)) != DMAS_OK)
    ex->failure = provider_error (service, &err, status);
  else if (answer.content == NULL)
    ex->failure = g_strdup_printf ("%s: the reply holds no content", p->name);
  else
    {
      ex->content = g_strdup (answer.content);
      ex->tokens_in = answer.tokens_in;
      ex->tokens_out = answer.tokens_out;
    }
  dmas_llm_answer_clear (&answer);
  dmas_llm_http_reply_clear (&reply);
  return TRUE;
}

void
dmas_llm_exchange_online (DmasLlmService *service, const DmasLlmRequest *req,
                          DmasLlmExchange *ex)
{
  const DmasLlmSettings *s = service->settings;
  g_autofree gchar *last = NULL; /* why the previous attempt failed */

  for (guint n = 0;; n++)
    {
      g_autofree gchar *spent = budget_spent (service);
      g_autofree gchar *reason = NULL;
      gint64 retry_after_s = -1;
      DmasTime delay;

      if (spent != NULL)
        {
          ex->failure = last == NULL ? g_steal_pointer (&spent)
                                     : g_strdup_printf ("%s, then the %s", last, spent);
          break;
        }
      if (attempt (service, req, ex, &reason, &retry_after_s))
        break;
      if (n >= s->retries)
        {
          ex->failure = n == 0 ? g_steal_pointer (&reason)
                               : g_strdup_printf ("%s after %u attempts", reason, n + 1);
          break;
        }
      if (retry_after_s >= 0 && (DmasTime) retry_after_s * DMAS_S > s->backoff_max)
        {
          g_autofree gchar *cap = dmas_format_duration (s->backoff_max);

          ex->failure = g_strdup_printf ("%s with Retry-After %" G_GINT64_FORMAT "s, over "
                                         "llm.backoff_max (%s)", reason, retry_after_s, cap);
          break;
        }
      delay = backoff_delay (service, n + 1, retry_after_s);
      {
        gint64 t0 = g_get_monotonic_time ();

        g_usleep ((gulong) (delay / DMAS_US));
        service->wall_us += g_get_monotonic_time () - t0;
      }
      ex->latency += delay;
      service->counters.retries++;
      g_free (last);
      last = g_steal_pointer (&reason);
    }
}

void
dmas_llm_exchange_clear (DmasLlmExchange *ex)
{
  g_clear_pointer (&ex->content, g_free);
  g_clear_pointer (&ex->failure, g_free);
  memset (ex, 0, sizeof *ex);
}

gboolean
dmas_llm_service_probe (DmasLlmService *service, GError **error)
{
  const DmasLlmProvider *p = service->provider;
  const DmasLlmSettings *s = service->settings;
  DmasLlmHttpOptions options = http_options (s);
  DmasLlmHttp http = { 0 };
  DmasLlmHttpReply reply = { 0 };
  DmasError err = { 0 };
  int status;

  if (p->ops->probe_build == NULL || p->ops->probe_parse == NULL)
    return TRUE;
  status = p->ops->probe_build (p->self, p->ctx, s->model, &http, &err);
  if (status != DMAS_OK || http.url == NULL)
    {
      g_autofree gchar *why = status != DMAS_OK ? provider_error (service, &err, status)
                                                : g_strdup_printf ("%s: built no URL", p->name);

      dmas_llm_http_clear (&http);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, why);
      return FALSE;
    }
  dmas_llm_http_send (&http, &options, &reply);
  dmas_llm_http_clear (&http);
  if (reply.outcome != DMAS_LLM_HTTP_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: cannot reach the endpoint: %s (is the server running, and does the "
                   "provider's URL variable or parameter point at it?)", p->name, reply.error);
      dmas_llm_http_reply_clear (&reply);
      return FALSE;
    }
  status = p->ops->probe_parse (p->self, p->ctx, s->model, reply.status, reply.body, reply.len,
                                &err);
  dmas_llm_http_reply_clear (&reply);
  if (status != DMAS_OK)
    {
      g_autofree gchar *why = provider_error (service, &err, status);

      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, why);
      return FALSE;
    }
  return TRUE;
}
