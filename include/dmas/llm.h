/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ops of an llm component (a provider): turns one request into one model answer.
 *
 * A provider never opens a socket or reads a clock itself.  An *offline* provider (simulated,
 * replay) computes or looks up the answer in answer().  An *online* provider (ollama, openai,
 * sambastudio) only describes the HTTP exchange: http_build() writes the URL, headers and body
 * of the POST, the host sends it (timeouts, retries, backoff, Retry-After, the size cap and the
 * budget are the host's), and http_parse() reads the reply body.  So every provider is a pure
 * function the tests can drive, and the transport, the retry policy and the secrets stay in one
 * place.
 *
 * Memory: strings a provider writes into DmasLlmAnswer and DmasLlmHttp are malloc()ed by the
 * provider and free()d by the host. */
#ifndef DMAS_LLM_H
#define DMAS_LLM_H

#include <stdlib.h>

#include <dmas/host.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1.0: create, destroy, answer | http_build + http_parse, probe_build + probe_parse. */
#define DMAS_LLM_API_MAJOR 1
#define DMAS_LLM_API_MINOR 0

#define DMAS_LLM_KEY_SIZE 64        /* hex SHA-256 */
#define DMAS_LLM_MAX_HEADERS 8

/* What the host asks: one chat completion whose answer must be one JSON object.  Every string
 * is borrowed for the call. */
typedef struct DmasLlmRequest {
  uint32_t struct_size;      /* sizeof (DmasLlmRequest) as the host was built */
  const char *model;         /* llm.model ("" = the provider's default) */
  const char *system;        /* system message (possibly "") */
  const char *prompt;        /* user message, rendered from a template */
  const char *schema;        /* the JSON Schema (text) the answer must satisfy */
  const char *context;       /* the facts the prompt was rendered from, as a JSON object
                              * (job, cluster, specialisation, compromised): online providers
                              * ignore it, the simulated one computes its answer from it */
  const char *key;           /* DMAS_LLM_KEY_SIZE hex chars: SHA-256 of everything above
                              * plus temperature, seed and max_tokens (the replay cache key) */
  double temperature;
  uint64_t seed;             /* per request, from the agent's llm stream */
  uint32_t max_tokens;
} DmasLlmRequest;

/* A provider's answer. */
typedef struct DmasLlmAnswer {
  char *content;             /* the model's message text: should be the JSON object (malloc) */
  uint32_t tokens_in;        /* prompt tokens as the provider counts them (0: unknown) */
  uint32_t tokens_out;       /* completion tokens (0: unknown) */
  DmasTime latency;          /* replay: the recorded latency; otherwise 0 (the host uses the
                              * measured time of an HTTP exchange, or its configured
                              * distribution for offline providers) */
} DmasLlmAnswer;

/* An HTTP request for the host to send (POST when body != NULL, else GET). */
typedef struct DmasLlmHttp {
  char *url;                                /* malloc */
  char *body;                               /* malloc, or NULL */
  char *headers[DMAS_LLM_MAX_HEADERS + 1];  /* malloc'd "Name: value" lines, NULL-terminated.
                                             * May hold an API key: the host never logs,
                                             * prints or writes a header. */
} DmasLlmHttp;

typedef struct DmasLlmOps {
  uint32_t struct_size; /* sizeof (DmasLlmOps) as the plugin was built */

  /* Mandatory.  One instance per run.  Returns the instance, or NULL with err filled (e.g. a
   * replay cache that does not parse, a provider variable that is not set). */
  void *(*create) (DmasCtx *ctx, DmasError *err);
  /* Mandatory. */
  void (*destroy) (void *self);

  /* Exactly one of `answer` (offline) or the pair `http_build` + `http_parse` (online). */
  /* Answers `req`.  Returns DMAS_OK with out filled, or a negative status with err filled:
   * DMAS_ENOENT (replay: the request is not in the cache), DMAS_EINVAL. */
  int (*answer) (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmAnswer *out,
                 DmasError *err);
  /* Describes the POST for `req`.  Returns DMAS_OK or a negative status with err filled. */
  int (*http_build) (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmHttp *out,
                     DmasError *err);
  /* Reads the body of a 2xx reply (`body` is NUL-terminated, borrowed).  Returns DMAS_OK with
   * out->content set, or DMAS_EINVAL with err filled (not the provider's envelope). */
  int (*http_parse) (void *self, DmasCtx *ctx, const char *body, size_t len,
                     DmasLlmAnswer *out, DmasError *err);

  /* Optional (online providers): `dmas check` asks whether the endpoint answers and serves
   * the configured model.  probe_build describes a GET (or POST); probe_parse reads the reply
   * (any status) and returns DMAS_OK, or a negative status with err saying what is wrong and
   * how to fix it. */
  int (*probe_build) (void *self, DmasCtx *ctx, const char *model, DmasLlmHttp *out,
                      DmasError *err);
  int (*probe_parse) (void *self, DmasCtx *ctx, const char *model, long status,
                      const char *body, size_t len, DmasError *err);
} DmasLlmOps;

/* Size of the 1.0 layout: anything smaller is refused by the loader. */
#define DMAS_LLM_OPS_MIN_SIZE (offsetof (DmasLlmOps, probe_parse) + sizeof (void *))

/* Frees what a provider put in an answer or an HTTP description (host side, and tests). */
static inline void
dmas_llm_answer_clear (DmasLlmAnswer *a)
{
  free (a->content);
  a->content = NULL;
}

static inline void
dmas_llm_http_clear (DmasLlmHttp *h)
{
  free (h->url);
  free (h->body);
  h->url = h->body = NULL;
  for (int i = 0; i < DMAS_LLM_MAX_HEADERS && h->headers[i] != NULL; i++)
    {
      free (h->headers[i]);
      h->headers[i] = NULL;
    }
}

#ifdef __cplusplus
}
#endif

#endif /* DMAS_LLM_H */
