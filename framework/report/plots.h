/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ of a campaign report: gnuplot data files and scripts, rendered when gnuplot exists. */
#ifndef DMAS_REPORT_PLOTS_H
#define DMAS_REPORT_PLOTS_H

#include "report/data.h"

G_BEGIN_DECLS

/* Writes DATA->dir/plots/<key>.dat and <key>.gp for every metric of dmas_report_metrics()
 * with plot = TRUE: clustered bars, x = condition, one bar per method (the compared axis'
 * labels), 95 % CI error bars; without a comparison (compare_axis -1) one bar per point.
 * Values are the metric's display values (stored value x scale).  Files hold no dates: the
 * same data gives byte-identical .dat and .gp files.
 *
 * Then renders each script to <key>.svg and <key>.png with gnuplot, run in plots/ with the
 * script's name as its only argument (no shell).  gnuplot is found on PATH; the environment
 * variable DMAS_GNUPLOT, when set, names the program instead, and DMAS_GNUPLOT="" means "not
 * installed".  Without gnuplot, writes plots/README.txt saying how to render the scripts,
 * removes stale .svg/.png files of the plotted metrics and returns TRUE; ask
 * dmas_report_plots_rendered() to tell the user.
 *
 * Returns: FALSE with an error naming the file when a file cannot be written, when
 * DMAS_GNUPLOT names a program that does not exist, or when gnuplot fails on a script (the
 * message then carries gnuplot's stderr). */
gboolean dmas_report_plots_write (const DmasCampaignData *data, GError **error);

/* Returns: TRUE when DATA->dir/plots holds the .svg and .png of every plotted metric (what
 * dmas_report_plots_write() leaves behind when gnuplot ran), FALSE when the plots exist only
 * as scripts ("plots: gnuplot not found; scripts in DIR/plots"). */
gboolean dmas_report_plots_rendered (const DmasCampaignData *data);

G_END_DECLS

#endif /* DMAS_REPORT_PLOTS_H */
