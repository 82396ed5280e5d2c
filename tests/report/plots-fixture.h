/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An in-memory campaign for the plots and report.html tests, independent of the loader. */
#ifndef DMAS_TESTS_REPORT_PLOTS_FIXTURE_H
#define DMAS_TESTS_REPORT_PLOTS_FIXTURE_H

#include "report/data.h"

G_BEGIN_DECLS

/* Labels that need escaping everywhere they go (HTML, gnuplot strings, data files). */
#define FIXTURE_NAME "demo <script>x</script> & 'q'"
#define FIXTURE_METHOD_B "p<b>&\"ft'"
#define FIXTURE_FAULT_B "crash & burn"
#define FIXTURE_REPS 3u

/* A campaign in DIR (which must exist): axes scheduling.consensus = [raft, FIXTURE_METHOD_B]
 * and faults = [none, FIXTURE_FAULT_B], points p = 2 * method + fault, FIXTURE_REPS reps.
 * Run "003-...-r3" crashed, "001-...-r2" is missing.  Cells and comparisons are computed
 * with the real stats functions from fixture_value().  COMPARE FALSE: compare_axis -1 and
 * no comparisons.  Free with fixture_free(), not dmas_campaign_data_free(). */
DmasCampaignData *fixture_new (const gchar *dir, gboolean compare);
void fixture_free (DmasCampaignData *data);

/* Stored value of metric M (index in dmas_report_metrics()) for method, fault, rep (1-based);
 * NAN for the metrics no run measured: decision_latency_p50_s, events, and
 * msgs_per_decision of method 1. */
gdouble fixture_value (guint m, guint method, guint fault, guint rep);

/* TRUE when the run exists as a counted run (not crashed, not missing). */
gboolean fixture_run_counted (guint point, guint rep);

/* Index of KEY in dmas_report_metrics(). */
guint fixture_metric (const gchar *key);

/* Writes DATA as a campaign result directory in DATA->dir: campaign.json, and per run
 * runs/<id>/summary.json (counted runs) or failure.json (the crashed run), so that
 * dmas_campaign_data_load() reads back the same campaign. */
void fixture_write_dir (const DmasCampaignData *data);

/* Removes DIR and everything below it. */
void fixture_rm_rf (const gchar *dir);

G_END_DECLS

#endif /* DMAS_TESTS_REPORT_PLOTS_FIXTURE_H */
