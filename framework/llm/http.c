/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One HTTP exchange over libcurl (easy interface): timeouts, size cap, status, Retry-After. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "llm/http.h"

void
dmas_llm_http_global_init (void)
{
  /* libcurl wants curl_global_init before any other call, once, while no other thread uses
   * it.  The state it sets up is libcurl's own (SSL backend, socket init), the same for every
   * run of the process, so this guard is the only static here: it holds no run's data. */
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

gint64
dmas_llm_http_parse_retry_after (const gchar *value, gint64 now)
{
  gchar *end = NULL;
  guint64 secs;
  time_t date;

  while (*value == ' ' || *value == '\t')
    value++;
  if (g_ascii_isdigit (*value))
    {
      errno = 0;
      secs = g_ascii_strtoull (value, &end, 10);
      while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
      if (*end != '\0' || errno != 0 || secs > G_MAXINT32)
        return -1;
      return (gint64) secs;
    }
  date = curl_getdate (value, NULL);
  if (date == (time_t) -1)
    return -1;
  return (gint64) date > now ? (gint64) date - now : 0;
}

typedef struct {
  GByteArray *body;
  gsize max_body;
  gboolean too_large;
  gint64 retry_after_s;
} Exchange;

static size_t
on_body (char *data, size_t size, size_t n, void *user)
{
  Exchange *x = user;
  gsize len = size * n;

  /* Returning less than len makes curl abort with CURLE_WRITE_ERROR: the cap holds even when
   * the server sends no Content-Length (CURLOPT_MAXFILESIZE_LARGE only sees that). */
  if (x->body->len + len > x->max_body)
    {
      x->too_large = TRUE;
      return 0;
    }
  g_byte_array_append (x->body, (const guint8 *) data, (guint) len);
  return len;
}

static size_t
on_header (char *data, size_t size, size_t n, void *user)
{
  static const gchar name[] = "retry-after:";
  Exchange *x = user;
  gsize len = size * n;

  /* A new status line starts a new response (after a "100 Continue"): forget the old one. */
  if (len >= 5 && g_ascii_strncasecmp (data, "HTTP/", 5) == 0)
    x->retry_after_s = -1;
  else if (len > sizeof name - 1 && len < 256
           && g_ascii_strncasecmp (data, name, sizeof name - 1) == 0)
    {
      g_autofree gchar *value = g_strndup (data + sizeof name - 1, len - (sizeof name - 1));

      g_strchomp (value);
      x->retry_after_s = dmas_llm_http_parse_retry_after (value, (gint64) time (NULL));
    }
  return len;
}

static DmasLlmHttpOutcome
classify (CURLcode code, const Exchange *x)
{
  switch (code)
    {
    case CURLE_OK:
      return DMAS_LLM_HTTP_DONE;
    case CURLE_OPERATION_TIMEDOUT:
      return DMAS_LLM_HTTP_TIMEOUT;
    case CURLE_FILESIZE_EXCEEDED:
      return DMAS_LLM_HTTP_TOO_LARGE;
    case CURLE_WRITE_ERROR:
      return x->too_large ? DMAS_LLM_HTTP_TOO_LARGE : DMAS_LLM_HTTP_TRANSPORT;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_UNKNOWN_OPTION:
      return DMAS_LLM_HTTP_SETUP;
    default:
      return DMAS_LLM_HTTP_TRANSPORT;
    }
}

static void
set_options (CURL *curl, const DmasLlmHttp *req, const DmasLlmHttpOptions *opt,
             struct curl_slist *headers, Exchange *x, char *errbuf)
{
  curl_easy_setopt (curl, CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  /* No signals: the timeouts must not use SIGALRM in a process that may run other work. */
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS,
                    (long) MAX (1, opt->connect_timeout / G_GUINT64_CONSTANT (1000000)));
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS,
                    (long) MAX (1, opt->timeout / G_GUINT64_CONSTANT (1000000)));
  curl_easy_setopt (curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) opt->max_body);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, x);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, x);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  if (req->body != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, req->body);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (req->body));
    }
  else
    curl_easy_setopt (curl, CURLOPT_HTTPGET, 1L);
}

void
dmas_llm_http_send (const DmasLlmHttp *req, const DmasLlmHttpOptions *opt,
                    DmasLlmHttpReply *out)
{
  char errbuf[CURL_ERROR_SIZE] = "";
  Exchange x = { .body = g_byte_array_new (), .max_body = opt->max_body, .retry_after_s = -1 };
  struct curl_slist *headers = NULL;
  curl_off_t total_us = 0, connect_us = 0;
  CURLcode code;
  CURL *curl;

  memset (out, 0, sizeof *out);
  out->retry_after_s = -1;
  dmas_llm_http_global_init ();
  curl = curl_easy_init ();
  if (curl == NULL)
    {
      out->outcome = DMAS_LLM_HTTP_SETUP;
      out->error = g_strdup ("libcurl could not start a transfer");
      out->body = (gchar *) g_byte_array_free (x.body, FALSE);
      return;
    }
  for (guint i = 0; i < DMAS_LLM_MAX_HEADERS && req->headers[i] != NULL; i++)
    headers = curl_slist_append (headers, req->headers[i]);
  /* Without this, curl sends "Expect: 100-continue" with a large body and waits a second for a
   * server that ignores it. */
  headers = curl_slist_append (headers, "Expect:");
  set_options (curl, req, opt, headers, &x, errbuf);
  code = curl_easy_perform (curl);
  out->outcome = classify (code, &x);
  if (out->outcome == DMAS_LLM_HTTP_DONE)
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &out->status);
  else if (out->outcome == DMAS_LLM_HTTP_TOO_LARGE)
    out->error = g_strdup_printf ("reply body over %" G_GSIZE_FORMAT " bytes "
                                  "(llm.max_reply_bytes)", opt->max_body);
  else
    out->error = g_strdup (errbuf[0] != '\0' ? errbuf : curl_easy_strerror (code));
  curl_easy_getinfo (curl, CURLINFO_TOTAL_TIME_T, &total_us);
  out->elapsed = (DmasTime) MAX (total_us, 0) * 1000;
  curl_easy_getinfo (curl, CURLINFO_CONNECT_TIME_T, &connect_us);
  out->connected = connect_us > 0;
  out->retry_after_s = x.retry_after_s;
  out->len = x.body->len;
  g_byte_array_append (x.body, (const guint8 *) "", 1);
  out->body = (gchar *) g_byte_array_free (x.body, FALSE);
  curl_easy_cleanup (curl);
  curl_slist_free_all (headers);
}

void
dmas_llm_http_reply_clear (DmasLlmHttpReply *reply)
{
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->error, g_free);
  memset (reply, 0, sizeof *reply);
  reply->retry_after_s = -1;
}
