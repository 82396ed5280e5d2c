/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of framework/report shared between its files (not for other directories). */
#ifndef DMAS_REPORT_DATA_PRIVATE_H
#define DMAS_REPORT_DATA_PRIVATE_H

#include <stdio.h>

#include "report/data.h"

G_BEGIN_DECLS

/* Fills data->cells and data->comparisons from the loaded runs (compute.c). */
void dmas_campaign_data_compute (DmasCampaignData *data);
void dmas_comparison_free (gpointer comparison);

/* The number member `name` of `object` (integer or double), NAN when absent, null or not a
 * number. */
gdouble dmas_report_json_number (JsonObject *object, const gchar *name);
/* The string member `name` of `object` (nullable), NULL when absent or not a string.
 * Returns: (transfer none). */
const gchar *dmas_report_json_string (JsonObject *object, const gchar *name);

/* Output files, each written atomically into data->dir. */
gboolean dmas_report_write_runs_jsonl (const DmasCampaignData *data, GError **error);
gboolean dmas_report_write_summary_csv (const DmasCampaignData *data, GError **error);
gboolean dmas_report_write_stats_json (const DmasCampaignData *data, GError **error);
gboolean dmas_report_write_compat (const DmasCampaignData *data, GError **error);
/* fault_logs.json and fault_results_per_method.json (compat-faults.c, called by the above). */
gboolean dmas_report_write_compat_faults (const DmasCampaignData *data, GError **error);

/* The predecessor's "method" key of a point: its label ("raft, crash"), or its id when the
 * label is empty.  Returns: (transfer none). */
const gchar *dmas_report_compat_key (const DmasCampaignData *data, guint point);

/* Prints the compact comparison table of `data` to `out` (terminal.c). */
void dmas_report_table_print (const DmasCampaignData *data, FILE *out);

/* Returns: (transfer full) `root` as JSON text (pretty when `pretty`), ending with a newline. */
gchar *dmas_report_json_text (JsonNode *root, gboolean pretty);

/* Adds `v` to the builder as a double, or null when it is not finite (JSON has no NaN). */
void dmas_report_add_number (JsonBuilder *b, gdouble v);
/* Member `name` with a value: a number (null for NAN or infinities), an integer, a string
 * (null for NULL), null, a boolean. */
void dmas_report_member_number (JsonBuilder *b, const gchar *name, gdouble v);
void dmas_report_member_int (JsonBuilder *b, const gchar *name, gint64 v);
void dmas_report_member_string (JsonBuilder *b, const gchar *name, const gchar *v);
void dmas_report_member_null (JsonBuilder *b, const gchar *name);
void dmas_report_member_bool (JsonBuilder *b, const gchar *name, gboolean v);

G_END_DECLS

#endif /* DMAS_REPORT_DATA_PRIVATE_H */
