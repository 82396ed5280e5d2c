/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batsim JSON workloads: jobs with delay profiles. */
#ifndef DMAS_WORLD_BATSIM_H
#define DMAS_WORLD_BATSIM_H

#include <glib.h>

#include "world/workload.h"

G_BEGIN_DECLS

/* Parses a Batsim workload:
 *   {"nb_res": N, "jobs": [{"id": ..., "subtime": s, "walltime": s, "res": n,
 *                           "profile": "p"}, ...],
 *    "profiles": {"p": {"type": "delay", "delay": s}, ...}}
 * nb_res (optional; needed by platform.from_trace) is a positive integer; id a string or an
 * integer; subtime a number of seconds >= 0; res an integer >= 1; walltime a number of
 * seconds, optional, and <= 0 or absent means unknown (the runtime is used); profile names an
 * entry of "profiles".  Only "delay" profiles are supported: runtime = delay; other types are
 * refused as "not supported yet", naming the job.  A job with delay 0 is dropped
 * (stats.dropped_runtime), as SWF drops runtime-0 records.  The runtime is not capped at the
 * walltime: as in Batsim, such a job is killed when its walltime is reached.
 * The job: submit = subtime, nodes = res, 1 core per node, memory 0, 0 GPUs, type hpc, trace
 * id = id; jobs sorted by (submit, position in the file).  Errors name `name` and the job.
 * nb_res: (out) (optional) nb_res, 0 when absent.
 * Returns: (transfer full) the workload (homes all 0), or NULL with a DMAS_CONFIG_ERROR. */
DmasWorkload *dmas_batsim_parse (const gchar *text, gsize len, const gchar *name,
                                 guint *nb_res, GError **error);

/* dmas_batsim_parse on the contents of `path` (gzip or not). */
DmasWorkload *dmas_batsim_read (const gchar *path, guint *nb_res, GError **error);

G_END_DECLS

#endif /* DMAS_WORLD_BATSIM_H */
