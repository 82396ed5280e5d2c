/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record file (llm.record): one JSON line per exchange, the replay provider's cache. */
#ifndef DMAS_LLM_RECORD_H
#define DMAS_LLM_RECORD_H

#include <glib.h>

#include <dmas/types.h>

G_BEGIN_DECLS

typedef struct DmasLlmRecord DmasLlmRecord;

/* Opens `path` for appending (created 0644 less the umask when missing).
 * Returns: (transfer full) the record, or NULL with error naming the file. */
DmasLlmRecord *dmas_llm_record_open (const gchar *path, GError **error);
void dmas_llm_record_close (DmasLlmRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasLlmRecord, dmas_llm_record_close)

/* One exchange: {"key","model","content","tokens_in","tokens_out","latency_ns"} when `content`
 * is not NULL, else {"key","model","error","latency_ns"}.  The line is written with a single
 * write() on an O_APPEND descriptor, so campaign workers forked from one process, or several
 * processes recording into one file, never interleave lines.
 * Returns: TRUE, or FALSE with error set (the file is left as it was, or with a whole line). */
gboolean dmas_llm_record_append (DmasLlmRecord *record, const gchar *key, const gchar *model,
                                 const gchar *content, const gchar *failure, guint tokens_in,
                                 guint tokens_out, DmasTime latency, GError **error);

/* The line dmas_llm_record_append() writes, newline included.  Returns: (transfer full). */
gchar *dmas_llm_record_line (const gchar *key, const gchar *model, const gchar *content,
                             const gchar *failure, guint tokens_in, guint tokens_out,
                             DmasTime latency);

G_END_DECLS

#endif /* DMAS_LLM_RECORD_H */
