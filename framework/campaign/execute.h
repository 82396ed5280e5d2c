/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One simulation run into a result directory: shared by `dmas run`, campaign workers, replay. */
#ifndef DMAS_CAMPAIGN_EXECUTE_H
#define DMAS_CAMPAIGN_EXECUTE_H

#include <glib.h>

#include "agents/sim.h"
#include "config/config.h"
#include "plugin/registry.h"

G_BEGIN_DECLS

typedef struct {
  gdouble speed;            /* virtual seconds per wall second; 0 = as fast as possible */
  gboolean handle_sigint;   /* plain runs stop on Ctrl-C; campaign workers do not */
  const gchar *trace_path;  /* nullable: write every dispatched event there (--trace) */
} DmasExecuteOptions;

/* What one finished run gave.  The sim stays alive so callers can read its metrics. */
typedef struct {
  DmasSim *sim;             /* owned */
  DmasRunStatus status;
  gchar *diagnosis;         /* nullable; set on deadlock */
  gchar *digest;            /* lowercase hex trace digest */
  guint64 events;
  gdouble wall_s;
} DmasExecution;

/* Builds the sim for `config` (borrowed) with the components of `registry` (borrowed), runs
 * it and writes jobs.csv, faults.jsonl, config.resolved.yaml and, last, summary.json into
 * `outdir` (created with its parents), each file atomically.
 * Returns: (transfer full) the execution, or NULL with error set (the sim's own errors keep
 * their domain, so callers can tell config problems from failures). */
DmasExecution *dmas_execute (const DmasConfig *config, DmasRegistry *registry,
                             const gchar *outdir, const DmasExecuteOptions *options,
                             GError **error);
void dmas_execution_free (DmasExecution *execution);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasExecution, dmas_execution_free)

/* results/<name>-<UTC time>/ (name sanitised; "run" when empty), made unique with -2, -3...
 * The wall clock names the directory only.  Returns: (transfer full). */
gchar *dmas_default_outdir (const gchar *name);

G_END_DECLS

#endif /* DMAS_CAMPAIGN_EXECUTE_H */
