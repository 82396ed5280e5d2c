/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record file (llm.record): one JSON line per exchange, the replay provider's cache. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "llm/record.h"

struct DmasLlmRecord {
  gchar *path;
  int fd;
};

DmasLlmRecord *
dmas_llm_record_open (const gchar *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  DmasLlmRecord *record;

  if (fd < 0)
    {
      int err = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "%s: cannot open the record file: %s (check llm.record)", path,
                   g_strerror (err));
      return NULL;
    }
  record = g_new0 (DmasLlmRecord, 1);
  record->path = g_strdup (path);
  record->fd = fd;
  return record;
}

void
dmas_llm_record_close (DmasLlmRecord *record)
{
  if (record == NULL)
    return;
  g_close (record->fd, NULL);
  g_free (record->path);
  g_free (record);
}

gchar *
dmas_llm_record_line (const gchar *key, const gchar *model, const gchar *content,
                      const gchar *failure, guint tokens_in, guint tokens_out, DmasTime latency)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  if (content != NULL)
    {
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, content);
      json_builder_set_member_name (b, "tokens_in");
      json_builder_add_int_value (b, tokens_in);
      json_builder_set_member_name (b, "tokens_out");
      json_builder_add_int_value (b, tokens_out);
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, failure != NULL ? failure : "");
    }
  json_builder_set_member_name (b, "latency_ns");
  json_builder_add_int_value (b, (gint64) MIN (latency, (DmasTime) G_MAXINT64));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

gboolean
dmas_llm_record_append (DmasLlmRecord *record, const gchar *key, const gchar *model,
                        const gchar *content, const gchar *failure, guint tokens_in,
                        guint tokens_out, DmasTime latency, GError **error)
{
  g_autofree gchar *line = dmas_llm_record_line (key, model, content, failure, tokens_in,
                                                 tokens_out, latency);
  gsize len = strlen (line);
  gssize n;

  /* One write(): with O_APPEND the kernel places the whole line at the end of the file in one
   * step, which is what keeps forked workers' lines apart.  A short write (disk full) is an
   * error rather than a second write() that another process could split. */
  do
    n = write (record->fd, line, len);
  while (n < 0 && errno == EINTR);
  if (n < 0 || (gsize) n != len)
    {
      int err = n < 0 ? errno : ENOSPC;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "%s: cannot append to the record file: %s", record->path, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}
