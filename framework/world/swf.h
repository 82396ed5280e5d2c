/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Standard Workload Format (Parallel Workloads Archive) traces: header and job records. */
#ifndef DMAS_WORLD_SWF_H
#define DMAS_WORLD_SWF_H

#include <glib.h>

#include "world/workload.h"

G_BEGIN_DECLS

/* The header comments dmas reads ("; MaxProcs: 100"); 0 when absent. */
typedef struct {
  guint32 max_procs;
  guint32 max_nodes;
} DmasSwfHeader;

/* Malformed lines kept as messages in `warnings` (they are all counted). */
#define DMAS_SWF_MAX_WARNINGS 100

/* Parses SWF text.  Lines starting with ';' are header comments (MaxProcs and MaxNodes are
 * read from them); blank lines are ignored; every other line is a job record of exactly 18
 * whitespace-separated numbers (integers where SWF has integers: fields 1, 5, 8, 12), -1 (any
 * negative value) meaning unknown.  A record becomes a job by these rules, counted in
 * stats under the first one that drops it:
 *   runtime (field 4) <= 0 or unknown                   → dropped (dropped_runtime);
 *   processors = field 8 if > 0, else field 5; <= 0     → dropped (dropped_processors);
 *   submit (field 2) unknown                            → dropped (dropped_submit);
 *   estimate = field 9 if > 0, else the runtime;
 *   runtime = min(runtime, estimate)                      (counted in runtime_capped).
 * The job: submit = field 2 as is (seconds from the log's start, to the nanosecond), nodes =
 * processors, 1 core per node, memory 0 (not modelled), 0 GPUs, walltime = estimate, runtime
 * = the capped runtime, type hpc, user = field 12, trace id = field 1.  Jobs are sorted by
 * (submit, id).
 * A malformed line (not 18 fields, a field that is not a number) is reported as
 * "NAME:LINE: message": with `malformed_fail` it is the error (DMAS_CONFIG_ERROR_VALUE);
 * otherwise it is skipped, counted in stats.malformed and its message appended to `warnings`
 * (nullable) while that holds fewer than DMAS_SWF_MAX_WARNINGS.
 * header: (out) (optional).
 * Returns: (transfer full) the workload (homes all 0), or NULL with error set. */
DmasWorkload *dmas_swf_parse (const gchar *text, gsize len, const gchar *name,
                              gboolean malformed_fail, DmasSwfHeader *header,
                              GPtrArray *warnings, GError **error);

/* dmas_swf_parse on the contents of `path` (gzip or not: see dmas_trace_file_read). */
DmasWorkload *dmas_swf_read (const gchar *path, gboolean malformed_fail, GPtrArray *warnings,
                             GError **error);

/* Reads only the header of `path` (MaxProcs, MaxNodes).  FALSE with error if unreadable. */
gboolean dmas_swf_read_header (const gchar *path, DmasSwfHeader *header, GError **error);

G_END_DECLS

#endif /* DMAS_WORLD_SWF_H */
