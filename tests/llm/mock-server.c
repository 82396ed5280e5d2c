/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mock LLM server's transport: listener thread, one HTTP/1.1 exchange per connection. */
#include "mock-server-private.h"

#include <string.h>

#include <gio/gio.h>

/* A request line, headers and body longer than this are refused: the tests send small ones. */
#define MOCK_MAX_BODY (16u << 20)
/* A client that stops talking mid-request does not keep a worker (and free()) waiting. */
#define MOCK_IO_TIMEOUT_S 20

typedef struct {
  gchar *path, *headers, *body;
} MockRequest;

typedef struct {
  guint status;
  gchar *headers, *body;
  guint stall_ms;
  gboolean truncate;
} MockScripted;

struct MockLlmServer {
  GMutex lock;        /* guards everything below up to `port` */
  GCond cond;         /* startup handshake and the stall wait */
  GQueue scripted;    /* MockScripted*, FIFO */
  GPtrArray *requests; /* MockRequest* */
  gchar **models;
  gboolean started, stopping;
  gboolean service_alive; /* until the socket service is finalized (the server thread waits
                           * for it: queued and running workers use this struct) */
  guint16 port;
  gchar *url;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
};

static void
request_free (gpointer p)
{
  MockRequest *r = p;
  g_free (r->path);
  g_free (r->headers);
  g_free (r->body);
  g_free (r);
}

static void
scripted_free (gpointer p)
{
  MockScripted *s = p;
  g_free (s->headers);
  g_free (s->body);
  g_free (s);
}

static const gchar *
reason_phrase (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

/* Waits `ms` unless the server is stopping (so free() never waits for a long stall). */
static void
stall (MockLlmServer *server, guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&server->lock);
  while (!server->stopping && g_cond_wait_until (&server->cond, &server->lock, until))
    ;
  g_mutex_unlock (&server->lock);
}

/* Reads one CRLF-terminated line; NULL at EOF or error. */
static gchar *
read_line (GDataInputStream *in)
{
  gsize len = 0;
  gchar *line = g_data_input_stream_read_line (in, &len, NULL, NULL);
  if (line != NULL && len > 0 && line[len - 1] == '\r')
    line[len - 1] = '\0';
  return line;
}

/* Reads the request; FALSE when the client sent something that is not a request. */
static gboolean
read_request (GDataInputStream *in, GOutputStream *out, gchar **method, MockRequest *req)
{
  g_autofree gchar *line = read_line (in);
  if (line == NULL)
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (line, " ", 3);
  if (g_strv_length (parts) != 3)
    return FALSE;
  *method = g_strdup (parts[0]);
  req->path = g_strdup (parts[1]);

  GString *headers = g_string_new (NULL);
  guint64 length = 0;
  gboolean expect_continue = FALSE;
  for (;;)
    {
      g_autofree gchar *h = read_line (in);
      if (h == NULL)
        {
          g_string_free (headers, TRUE);
          return FALSE;
        }
      if (h[0] == '\0')
        break;
      g_string_append_printf (headers, "%s\r\n", h);
      if (g_ascii_strncasecmp (h, "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (h + 15, NULL, 10);
      else if (g_ascii_strncasecmp (h, "Expect:", 7) == 0
               && strstr (h + 7, "100-continue") != NULL)
        expect_continue = TRUE;
    }
  req->headers = g_string_free (headers, FALSE);
  if (length > MOCK_MAX_BODY)
    return FALSE;
  /* libcurl waits (up to a second) for the interim reply before sending a large body. */
  if (expect_continue
      && !g_output_stream_write_all (out, "HTTP/1.1 100 Continue\r\n\r\n", 25, NULL, NULL,
                                     NULL))
    return FALSE;
  req->body = g_malloc (length + 1);
  gsize got = 0;
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), req->body, length, &got, NULL, NULL)
      || got != length)
    return FALSE;
  req->body[length] = '\0';
  return TRUE;
}

static void
write_reply (MockLlmServer *server, GOutputStream *out, const MockScripted *r)
{
  gsize len = strlen (r->body);
  guint status = r->status != 0 ? r->status : 200;
  g_autofree gchar *head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                            "Content-Type: application/json\r\n"
                                            "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                            "Connection: close\r\n"
                                            "%s\r\n",
                                            status, reason_phrase (status), len,
                                            r->headers != NULL ? r->headers : "");
  if (!g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL))
    return;
  g_output_stream_flush (out, NULL, NULL);
  if (r->stall_ms > 0)
    stall (server, r->stall_ms);
  gsize n = r->truncate ? len / 2 : len;
  g_output_stream_write_all (out, r->body, n, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
}

/* GThreadedSocketService::run, in a worker thread: one exchange, then close. */
static gboolean
on_run (GThreadedSocketService *service, GSocketConnection *conn, GObject *source,
        gpointer data)
{
  (void) service;
  (void) source;
  MockLlmServer *server = data;
  g_mutex_lock (&server->lock);
  gboolean stopping = server->stopping;
  g_mutex_unlock (&server->lock);
  if (stopping)
    {
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      return TRUE;
    }
  g_socket_set_timeout (g_socket_connection_get_socket (conn), MOCK_IO_TIMEOUT_S);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autoptr (GDataInputStream) in
    = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);

  g_autofree gchar *method = NULL;
  MockRequest *req = g_new0 (MockRequest, 1);
  if (!read_request (in, out, &method, req))
    {
      request_free (req);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      return TRUE;
    }

  g_autofree gchar *body = g_strdup (req->body);
  g_autofree gchar *path = g_strdup (req->path);
  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->requests, req);
  MockScripted *reply = g_queue_pop_head (&server->scripted);
  g_auto (GStrv) models = g_strdupv (server->models);
  g_mutex_unlock (&server->lock);

  if (reply == NULL)
    {
      reply = g_new0 (MockScripted, 1);
      mock_llm_default_reply (method, path, body, (const gchar *const *) models,
                              &reply->status, &reply->body);
    }
  write_reply (server, out, reply);
  scripted_free (reply);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return TRUE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Weak notify of the socket service: the last worker is done with the server. */
static void
on_service_gone (gpointer data, GObject *where_the_object_was)
{
  (void) where_the_object_was;
  MockLlmServer *server = data;
  g_mutex_lock (&server->lock);
  server->service_alive = FALSE;
  g_mutex_unlock (&server->lock);
  g_main_context_wakeup (server->context);
}

/* The server thread: its own context, so the accept source never runs in the test's. */
static gpointer
server_thread (gpointer data)
{
  MockLlmServer *server = data;
  g_main_context_push_thread_default (server->context);

  GSocketService *service = g_threaded_socket_service_new (8);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) want = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) got = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), want,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &got,
                                      &error))
    g_error ("mock LLM server: cannot listen on 127.0.0.1: %s", error->message);
  g_signal_connect (service, "run", G_CALLBACK (on_run), server);
  server->service_alive = TRUE;
  g_object_weak_ref (G_OBJECT (service), on_service_gone, server);
  g_socket_service_start (service);

  g_mutex_lock (&server->lock);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (got));
  server->started = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  g_main_loop_run (server->loop);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  /* Not the last reference: the cancelled accept still holds one until its callback runs in
   * this context, and each worker holds one while it runs (stalls end early on `stopping`).
   * The workers use the server struct, so keep iterating until the service is gone. */
  g_object_unref (service);
  for (;;)
    {
      g_mutex_lock (&server->lock);
      gboolean alive = server->service_alive;
      g_mutex_unlock (&server->lock);
      if (!alive)
        break;
      g_main_context_iteration (server->context, TRUE);
    }
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

MockLlmServer *
mock_llm_server_new (void)
{
  MockLlmServer *server = g_new0 (MockLlmServer, 1);
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  g_queue_init (&server->scripted);
  server->requests = g_ptr_array_new_with_free_func (request_free);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("mock-llm-server", server_thread, server);
  g_mutex_lock (&server->lock);
  while (!server->started)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  return server;
}

const gchar *
mock_llm_server_url (MockLlmServer *server)
{
  return server->url;
}

void
mock_llm_server_push (MockLlmServer *server, const MockLlmReply *reply)
{
  MockScripted *s = g_new0 (MockScripted, 1);
  s->status = reply->status != 0 ? reply->status : 200;
  s->headers = g_strdup (reply->headers);
  s->body = g_strdup (reply->body != NULL ? reply->body : "");
  s->stall_ms = reply->stall_ms;
  s->truncate = reply->truncate;
  g_mutex_lock (&server->lock);
  g_queue_push_tail (&server->scripted, s);
  g_mutex_unlock (&server->lock);
}

void
mock_llm_server_set_models (MockLlmServer *server, const gchar *const *models)
{
  g_mutex_lock (&server->lock);
  g_strfreev (server->models);
  server->models = g_strdupv ((gchar **) models);
  g_mutex_unlock (&server->lock);
}

guint
mock_llm_server_n_requests (MockLlmServer *server)
{
  g_mutex_lock (&server->lock);
  guint n = server->requests->len;
  g_mutex_unlock (&server->lock);
  return n;
}

gchar *
mock_llm_server_request (MockLlmServer *server, guint i, gchar **path, gchar **headers)
{
  gchar *body = NULL;
  g_mutex_lock (&server->lock);
  if (i < server->requests->len)
    {
      const MockRequest *r = g_ptr_array_index (server->requests, i);
      body = g_strdup (r->body);
      if (path != NULL)
        *path = g_strdup (r->path);
      if (headers != NULL)
        *headers = g_strdup (r->headers);
    }
  g_mutex_unlock (&server->lock);
  return body;
}

void
mock_llm_server_free (MockLlmServer *server)
{
  if (server == NULL)
    return;
  g_mutex_lock (&server->lock);
  server->stopping = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  g_main_context_invoke (server->context, quit_loop, server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_queue_clear_full (&server->scripted, scripted_free);
  g_ptr_array_unref (server->requests);
  g_strfreev (server->models);
  g_free (server->url);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}
