/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A loopback HTTP/1.1 server that plays an LLM endpoint (Ollama, OpenAI, SambaStudio) in tests.
 *
 * The server listens on 127.0.0.1, port chosen by the kernel, and runs in its own thread with its
 * own GMainContext (a GThreadedSocketService: each connection is served in a worker thread with
 * blocking I/O).  One request per connection: every reply carries "Connection: close".  A
 * request with "Expect: 100-continue" gets the interim 100 before its body is read.
 *
 * Replies come from a scripted FIFO (mock_llm_server_push); when it is empty a default responder
 * answers:
 *  - GET  /api/tags            {"models":[{"name":M,"model":M},...]} (mock_llm_server_set_models)
 *  - GET  /v1/models           {"object":"list","data":[{"id":M,"object":"model"},...]}
 *  - POST /api/chat            Ollama chat envelope      } around a VALID placement
 *  - POST /api/generate        Ollama generate envelope  } (see below), with token counts
 *  - POST .../chat/completions OpenAI envelope           }
 *  - any other POST            SambaStudio {"result":{"responses":[{"completion":...}]}}
 *  - anything else             404
 * The placement is read off the request's text (every JSON string of the body, or the raw body
 * when it is not JSON): `Job id: N` and `Your cluster: NAME` (both required, else the reply is
 * 400 with a message); the job's nodes from `Job nodes: N`, else the first `Nodes: N` line after
 * the job id (as configs/prompts/bid.txt writes it), else 1.  It answers
 * {"job_id":N,"cluster":NAME,"nodes":N,"score":S,"reasoning":"mock placement"} where S in
 * [0.30, 0.89] is a fixed function of NAME, so replies are deterministic.  When the prompt
 * also has the bid.txt lines `Per node: C cores, M GB memory, G GPUs` (the job's after the job
 * id, the cluster's after `Your cluster:`) and the cluster's `Nodes: N`, a job that does not
 * fit is declined instead (score 0, nodes 0), so the default reply is always a valid
 * placement.
 *
 * Thread-safety: every function may be called from the test thread while the server runs;
 * the FIFO and the request log are under one mutex. */
#ifndef DMAS_TESTS_LLM_MOCK_SERVER_H
#define DMAS_TESTS_LLM_MOCK_SERVER_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct MockLlmServer MockLlmServer;

/* One scripted reply.  Strings are copied by mock_llm_server_push(). */
typedef struct {
  guint status;          /* HTTP status, e.g. 200, 429, 500 (0 is taken as 200) */
  const gchar *headers;  /* (nullable) extra "Name: value\r\n" lines, e.g. "Retry-After: 1\r\n" */
  const gchar *body;     /* (nullable) the body ("" when NULL) */
  guint stall_ms;        /* wait this long after the headers, before the body */
  gboolean truncate;     /* announce the full Content-Length, send half the body, close */
} MockLlmReply;

/* Starts a server.  Aborts the test (g_error) when it cannot listen.
 * Returns: (transfer full) the server; free with mock_llm_server_free(). */
MockLlmServer *mock_llm_server_new (void);

/* Returns: (transfer none) "http://127.0.0.1:PORT", valid until the server is freed. */
const gchar *mock_llm_server_url (MockLlmServer *server);

/* Queues one reply: the next request that arrives gets it (FIFO, whatever its path). */
void mock_llm_server_push (MockLlmServer *server, const MockLlmReply *reply);

/* The models listed by GET /api/tags and /v1/models (NULL-terminated, copied; default: none). */
void mock_llm_server_set_models (MockLlmServer *server, const gchar *const *models);

/* How many requests were received (complete request line, headers and body). */
guint mock_llm_server_n_requests (MockLlmServer *server);

/* The i-th request (0-based, arrival order).  *path gets the request target (e.g.
 * "/api/chat"; a GET has an empty body), *headers the header lines as received ("Name:
 * value\r\n" each); both are optional outs, (transfer full).
 * Returns: (transfer full) the body ("" for none), or NULL when i is out of range. */
gchar *mock_llm_server_request (MockLlmServer *server, guint i, gchar **path, gchar **headers);

/* Stops the server (a stalled reply is cut short), joins its thread and frees it. */
void mock_llm_server_free (MockLlmServer *server);

/* Protocol envelopes around `content` (the model's message text), as the real services send
 * them, with token counts 100 (prompt) and ceil(strlen(content) / 4) (completion).
 * Returns: (transfer full) the JSON text. */
gchar *mock_llm_ollama_chat (const gchar *content);
gchar *mock_llm_ollama_generate (const gchar *content);
gchar *mock_llm_openai_chat (const gchar *content);
gchar *mock_llm_sambastudio (const gchar *content);

G_END_DECLS

#endif /* DMAS_TESTS_LLM_MOCK_SERVER_H */
