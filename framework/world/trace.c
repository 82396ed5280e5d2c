/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading trace files (gzip detected by content) and turning trace jobs into a workload. */
#include "config.h"

#include <stdlib.h>

#include <gio/gio.h>

#include "world/trace.h"

GBytes *
dmas_trace_file_read (const gchar *path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) local = NULL;
  g_autoptr (GFileInputStream) raw = g_file_read (file, NULL, &local);
  g_autoptr (GInputStream) buffered = NULL;
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (GOutputStream) memory = NULL;
  gsize available = 0;
  const guint8 *head;

  if (raw == NULL)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO, "%s: cannot read the trace: %s",
                   path, local->message);
      return NULL;
    }
  /* By content, not by name: archives are often renamed, and a .gz suffix on a plain file
   * would otherwise fail obscurely. */
  buffered = g_buffered_input_stream_new (G_INPUT_STREAM (raw));
  if (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), 2, NULL, &local) < 0)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO, "%s: cannot read the trace: %s",
                   path, local->message);
      return NULL;
    }
  head = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &available);
  if (available >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    {
      g_autoptr (GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      input = g_converter_input_stream_new (buffered, G_CONVERTER (gunzip));
    }
  else
    input = g_object_ref (buffered);

  memory = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (memory, input,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE
                                  | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, &local) < 0)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO, "%s: cannot read the trace: %s",
                   path, local->message);
      return NULL;
    }
  {
    /* The readers scan text up to a NUL: append one, outside the reported size. */
    GMemoryOutputStream *out = G_MEMORY_OUTPUT_STREAM (memory);
    gsize size = g_memory_output_stream_get_data_size (out);
    guint8 *data = g_memory_output_stream_steal_data (out);

    data = g_realloc (data, size + 1);
    data[size] = '\0';
    return g_bytes_new_take (data, size);
  }
}

DmasTraceJobs *
dmas_trace_jobs_new (void)
{
  DmasTraceJobs *trace = g_new0 (DmasTraceJobs, 1);

  trace->jobs = g_array_new (FALSE, TRUE, sizeof (DmasJob));
  trace->keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  trace->ids = g_ptr_array_new_with_free_func (g_free);
  trace->users = g_array_new (FALSE, FALSE, sizeof (gint32));
  return trace;
}

void
dmas_trace_jobs_free (DmasTraceJobs *trace)
{
  if (trace == NULL)
    return;
  g_array_unref (trace->jobs);
  g_array_unref (trace->keys);
  g_ptr_array_unref (trace->ids);
  g_array_unref (trace->users);
  g_free (trace);
}

typedef struct {
  DmasTime submit;
  gint64 key;
  guint index;
} Order;

static int
order_compare (const void *a, const void *b)
{
  const Order *x = a, *y = b;

  if (x->submit != y->submit)
    return x->submit < y->submit ? -1 : 1;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  /* Equal ids (a trace can repeat one): keep the file order, so the sort is stable. */
  return x->index < y->index ? -1 : (x->index > y->index);
}

DmasWorkload *
dmas_trace_jobs_finish (DmasTraceJobs *trace)
{
  const guint n = trace->jobs->len;
  g_autofree Order *order = g_new (Order, MAX (n, 1));
  DmasWorkload *w = g_new0 (DmasWorkload, 1);

  for (guint i = 0; i < n; i++)
    order[i] = (Order){ g_array_index (trace->jobs, DmasJob, i).submit,
                        g_array_index (trace->keys, gint64, i), i };
  qsort (order, n, sizeof (Order), order_compare);

  w->n_jobs = n;
  w->jobs = g_new0 (DmasJob, MAX (n, 1));
  w->source_ids = g_new0 (gchar *, n + 1);
  if (trace->users->len == n && n > 0)
    w->users = g_new (gint32, n);
  for (guint i = 0; i < n; i++)
    {
      const guint from = order[i].index;

      w->jobs[i] = g_array_index (trace->jobs, DmasJob, from);
      w->jobs[i].id = (DmasJobId) i + 1;
      w->source_ids[i] = trace->ids->len == n
                             ? g_strdup (g_ptr_array_index (trace->ids, from))
                             : g_strdup_printf ("%" G_GINT64_FORMAT, order[i].key);
      if (w->users != NULL)
        w->users[i] = g_array_index (trace->users, gint32, from);
    }
  w->stats = trace->stats;
  w->stats.jobs = n;
  dmas_trace_jobs_free (trace);
  return w;
}
