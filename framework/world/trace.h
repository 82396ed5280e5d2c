/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the trace readers (SWF, Batsim) share: reading a file, gzip or not; collecting jobs. */
#ifndef DMAS_WORLD_TRACE_H
#define DMAS_WORLD_TRACE_H

#include <glib.h>

#include "world/workload.h"

G_BEGIN_DECLS

/* Reads the whole of `path` into memory, decompressing it when it starts with the gzip magic
 * bytes 1f 8b (whatever its name), and adds a NUL after the last byte.
 * Returns: (transfer full) the contents, or NULL with a DMAS_CONFIG_ERROR_IO error naming the
 * file. */
GBytes *dmas_trace_file_read (const gchar *path, GError **error);

/* Jobs of a trace in file order, each with its sort key (SWF id, or position in a Batsim
 * file) and, optionally, its id text and user. */
typedef struct {
  GArray *jobs;     /* DmasJob with submit, sizes, walltime, runtime and type set */
  GArray *keys;     /* gint64, parallel to jobs */
  GPtrArray *ids;   /* gchar*, parallel to jobs; empty: the ids are the keys in decimal */
  GArray *users;    /* gint32, parallel to jobs, or empty */
  DmasWorkloadStats stats;
} DmasTraceJobs;

DmasTraceJobs *dmas_trace_jobs_new (void);
void dmas_trace_jobs_free (DmasTraceJobs *trace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasTraceJobs, dmas_trace_jobs_free)

/* Sorts the jobs by (submit, key), stably, and makes them a workload with ids 1..N in that
 * order (homes are the caller's business).  Consumes `trace`.
 * Returns: (transfer full). */
DmasWorkload *dmas_trace_jobs_finish (DmasTraceJobs *trace);

G_END_DECLS

#endif /* DMAS_WORLD_TRACE_H */
