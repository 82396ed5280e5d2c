/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The files of a run's result directory: summary.json, jobs.csv, config.resolved.yaml. */
#ifndef DMAS_METRICS_SUMMARY_H
#define DMAS_METRICS_SUMMARY_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "config/node.h"
#include "engine/engine.h"
#include "world/workload.h"
#include "metrics/metrics.h"

G_BEGIN_DECLS

/* Everything summary.json says.  Only the wall_clock group depends on the real clock. */
typedef struct {
  DmasRunStatus status;
  const gchar *diagnosis;        /* nullable; written when status is deadlock */
  guint64 seed;
  guint64 events;
  const gchar *trace_digest;
  const DmasMetrics *metrics;
  const DmasNode *config;        /* the resolved config tree (nullable) */
  const DmasWorkloadStats *workload; /* what reading the workload did (nullable) */
  struct {
    gdouble wall_s;
    guint64 peak_rss_kb;
  } wall_clock;
} DmasSummaryInput;


/* Returns: (transfer full) summary.json's text: one object, keys in a fixed order, every
 * real-clock value inside "wall_clock" so that two runs of one config and seed differ there
 * only.  Ends with a newline. */
gchar *dmas_summary_to_json (const DmasSummaryInput *in);

/* Converts a config tree to JSON: maps to objects (key order kept), sequences to arrays,
 * scalars typed the way YAML's core schema reads them when unquoted (null, true/false,
 * decimal integers and floats); everything else, and every quoted scalar, is a string.
 * Returns: (transfer full). */
JsonNode *dmas_config_node_to_json (const DmasNode *node);

/* Returns: (transfer full) jobs.csv's text: one row per submitted job in id order, with
 * Batsim's column names.  Times are seconds written exactly (up to 9 decimals); fields that
 * do not apply (a rejected job's start, ...) are empty. */
gchar *dmas_jobs_csv (const DmasMetrics *metrics, const DmasWorkload *workload);

/* Writes `contents` to dir/name atomically (a crash leaves the old file or the new one). */
gboolean dmas_result_write (const gchar *dir, const gchar *name, const gchar *contents,
                            GError **error);

/* Appends t (ns) as seconds, exactly, without trailing zeros: "25.003", "0", "1.5". */
void dmas_append_seconds (GString *out, DmasTime t);

/* Appends `text` as one CSV field (RFC 4180: quoted when it holds a comma, a quote or a line
 * break; quotes doubled). */
void dmas_csv_append_field (GString *out, const gchar *text);

G_END_DECLS

#endif /* DMAS_METRICS_SUMMARY_H */
