/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report of a campaign result directory: every output file, and the terminal table. */
#ifndef DMAS_REPORT_H
#define DMAS_REPORT_H

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Reads DIR (campaign.json and runs/) and (re)writes every report output into DIR:
 * runs.jsonl, summary.csv, stats.json, the predecessor-compatible files, plots/ and
 * report.html.  Each file is written atomically; the same runs give byte-identical files.
 * When gnuplot is not installed the plots stay scripts, and a notice saying so goes to
 * stderr ("plots: gnuplot not found; scripts in DIR/plots").
 * Returns: FALSE with an error naming the file at fault. */
gboolean dmas_report_generate (const gchar *dir, GError **error);

/* Prints to OUT the compact comparison table of the campaign in DIR (one block per
 * condition, rows = methods, best value per column marked).
 * Returns: FALSE with an error naming the file at fault. */
gboolean dmas_report_print_table (const gchar *dir, FILE *out, GError **error);

G_END_DECLS

#endif /* DMAS_REPORT_H */
