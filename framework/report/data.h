/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A finished (or partly finished) campaign read back from its result directory, and the
 * statistics computed from it: the one model every report output is written from. */
#ifndef DMAS_REPORT_DATA_H
#define DMAS_REPORT_DATA_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "stats/stats.h"

G_BEGIN_DECLS

/* One metric the report aggregates.  The table is fixed (report/metrics-table.c) so that
 * columns keep their order and meaning across campaigns. */
typedef struct {
  const gchar *key;        /* member of summary.json, e.g. "completion_rate" */
  const gchar *title;      /* "Completion rate" */
  const gchar *unit;       /* "%", "s", "jobs/h", "" */
  gdouble scale;           /* multiply stored values for display (100 for rates shown in %) */
  gint better;             /* +1 higher is better, -1 lower is better, 0 neither */
  gboolean plot;           /* gets a plot in plots/ */
} DmasReportMetric;

/* Returns: (transfer none) the metric table, n_metrics entries. */
const DmasReportMetric *dmas_report_metrics (guint *n_metrics);

/* One sweep dimension ("axis"): a config key, or "variants", and its value labels in the
 * order the config lists them. */
typedef struct {
  gchar *key;
  GPtrArray *labels;       /* gchar* */
} DmasAxis;

/* One sweep point (cell). */
typedef struct {
  guint index;
  gchar *id;               /* "003-raft+crash" */
  guint *labels;           /* n_axes indices into each axis' labels */
  gchar *label;            /* "raft, crash": the labels joined */
  guint repetitions;
} DmasPoint;

typedef enum {
  DMAS_RUN_RECORD_MISSING,     /* not run (yet): no summary.json, no failure.json */
  DMAS_RUN_RECORD_OK,          /* summary.json with status complete or horizon */
  DMAS_RUN_RECORD_DEADLOCK,    /* summary.json with status deadlock: counted, flagged */
  DMAS_RUN_RECORD_INTERRUPTED, /* summary.json with status interrupted: not counted */
  DMAS_RUN_RECORD_CRASHED,     /* failure.json: the worker died on a signal */
  DMAS_RUN_RECORD_FAILED,      /* failure.json: the worker exited with an error */
  DMAS_RUN_RECORD_STALLED      /* summary.json with status stalled (a livelock the run's
                                * stall check ended): counted, flagged, like a deadlock */
} DmasRunRecordStatus;
#define DMAS_RUN_RECORD_N_STATUSES (DMAS_RUN_RECORD_STALLED + 1)

typedef struct {
  gchar *id;               /* "003-raft+crash-r2" (its directory under runs/) */
  guint point;
  guint rep;               /* 1-based */
  guint64 seed, world_seed;
  gchar *config_hash;
  DmasRunRecordStatus status;
  gchar *detail;           /* failure text ("signal 11 (Segmentation fault)"), or NULL */
  gdouble *values;         /* n_metrics, NAN where the run has no value */
  gchar *trace_digest;     /* (nullable) */
  gdouble wall_s;          /* NAN when unknown; never enters summary.csv or stats.json */
  JsonObject *summary;     /* (nullable) the parsed summary.json, for raw outputs */
} DmasRunRecord;

/* A comparison: the points that differ only in the compared axis (the "methods") under one
 * combination of the other axes (the "condition"). */
typedef struct {
  gchar *condition;        /* "crash" (labels of the other axes joined), "" when none */
  GArray *points;          /* guint point indices, in the compared axis' label order */
  /* per metric m, per method i: cells[m * n_points + i] */
  DmasCellStats *cells;
  /* per metric, per pair (i < j) in row-major order: n_pairs = k (k - 1) / 2.  Paired tests
   * use the repetitions both methods finished (paired by rep number) and are undefined, with
   * a reason, in a campaign with paired: false; Welch uses every finished run of each method
   * and is always computed.  Holm adjusts across the pairs of one metric, per test. */
  DmasTestResult *paired_t, *wilcoxon, *welch;
  gdouble *p_t_holm, *p_w_holm, *p_welch_holm;
  guint n_pairs;
} DmasComparison;

typedef struct {
  gchar *dir;
  gchar *name;
  gchar *source;
  guint64 master_seed;
  gboolean paired;
  gint compare_axis;       /* index into axes, -1 when there is nothing to compare */
  GPtrArray *axes;         /* DmasAxis* */
  GPtrArray *points;       /* DmasPoint* */
  GPtrArray *runs;         /* DmasRunRecord*, in campaign.json order */
  DmasCellStats *cells;    /* per point p, per metric m: cells[p * n_metrics + m] */
  GPtrArray *comparisons;  /* DmasComparison* */
  guint n_metrics;
} DmasCampaignData;

/* Returns: (transfer none) "missing", "ok", "deadlock", "interrupted", "crashed", "failed" or
 * "stalled". */
const gchar *dmas_run_record_status_to_string (DmasRunRecordStatus status);

/* TRUE for the runs whose values enter the statistics: OK, DEADLOCK and STALLED (a deadlock or
 * a stall is a finished run of the method, flagged; an interrupted or stopped run is
 * partial). */
gboolean dmas_run_record_counted (const DmasRunRecord *run);

/* TRUE when cells[i] has the best mean of cells[0..n-1] for `metric` (ties are all best);
 * FALSE when the metric has no better side or cells[i] has no mean. */
gboolean dmas_report_is_best (const DmasReportMetric *metric, const DmasCellStats *cells,
                              guint n, guint i);

/* Reads DIR/campaign.json and every DIR/runs/<id>/ (summary.json or failure.json), then
 * computes the cells and comparisons.  Runs not finished are MISSING, not an error.
 * Returns: (transfer full) the data, or NULL with an error naming the file. */
DmasCampaignData *dmas_campaign_data_load (const gchar *dir, GError **error);
void dmas_campaign_data_free (DmasCampaignData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasCampaignData, dmas_campaign_data_free)

G_END_DECLS

#endif /* DMAS_REPORT_DATA_H */
