/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One HTTP exchange over libcurl (easy interface): timeouts, size cap, status, Retry-After. */
#ifndef DMAS_LLM_HTTP_H
#define DMAS_LLM_HTTP_H

#include <glib.h>

#include <dmas/llm.h>

G_BEGIN_DECLS

typedef struct DmasLlmHttpOptions {
  DmasTime connect_timeout;
  DmasTime timeout;            /* the whole exchange, body included */
  gsize max_body;              /* a longer body is cut off: DMAS_LLM_HTTP_TOO_LARGE */
} DmasLlmHttpOptions;

typedef enum {
  DMAS_LLM_HTTP_DONE,          /* a complete response arrived (any status) */
  DMAS_LLM_HTTP_TIMEOUT,       /* connect or total timeout */
  DMAS_LLM_HTTP_TRANSPORT,     /* refused, reset, truncated body, DNS, TLS ... */
  DMAS_LLM_HTTP_TOO_LARGE,     /* body over max_body */
  DMAS_LLM_HTTP_SETUP          /* the request itself is wrong (bad URL, not http/https) */
} DmasLlmHttpOutcome;

typedef struct DmasLlmHttpReply {
  DmasLlmHttpOutcome outcome;
  long status;                 /* HTTP status when DONE, else 0 */
  gchar *body;                 /* NUL-terminated (owned; "" when none) */
  gsize len;
  gint64 retry_after_s;        /* the last response's Retry-After in seconds (an HTTP-date
                                * is turned into seconds from now), -1 when absent */
  DmasTime elapsed;            /* curl's total time of the exchange */
  gboolean connected;          /* a connection was made (a TIMEOUT without one is the
                                * connect timeout) */
  gchar *error;                /* what went wrong unless DONE (owned), never a header */
} DmasLlmHttpReply;

/* curl_global_init, once per process (thread-safe). */
void dmas_llm_http_global_init (void);

/* Sends `req` (POST of req->body when it is not NULL, else GET) and fills *out.  Only http
 * and https URLs; proxies from the environment as curl does; redirects are not followed.
 * Never logs: headers may hold keys. */
void dmas_llm_http_send (const DmasLlmHttp *req, const DmasLlmHttpOptions *options,
                         DmasLlmHttpReply *out);
void dmas_llm_http_reply_clear (DmasLlmHttpReply *reply);

/* Parses a Retry-After value (delta-seconds or HTTP-date; `now` in Unix seconds for dates).
 * Returns the delay in seconds (>= 0), or -1 when it does not parse. */
gint64 dmas_llm_http_parse_retry_after (const gchar *value, gint64 now);

G_END_DECLS

#endif /* DMAS_LLM_HTTP_H */
