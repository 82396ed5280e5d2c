/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.html of a campaign: one self-contained page with the config, tables and plots. */
#ifndef DMAS_REPORT_HTML_H
#define DMAS_REPORT_HTML_H

#include "report/data.h"

G_BEGIN_DECLS

/* Writes DATA->dir/report.html (atomically): the campaign's name, master seed and pairing,
 * its resolved config (DIR/config.resolved.yaml, escaped), the run counts with the failed and
 * crashed runs and their replay commands, one table per comparison (rows = methods, columns =
 * metrics as mean ± 95 % CI half-width; the best value per column marked; stars for a
 * Holm-corrected significant difference from the best method: paired t when the campaign is
 * paired, Welch's t otherwise), and the plots of plots/ — images when
 * dmas_report_plots_rendered(), else a notice and links to the scripts.
 *
 * Call it after dmas_report_plots_write() and after the other report files: the page links
 * only files that exist when it is written, with relative links, and loads nothing from the
 * network (inline CSS, no scripts).  Every text from the config or the labels is escaped.
 *
 * Returns: FALSE with an error naming the file that could not be read or written. */
gboolean dmas_report_html_write (const DmasCampaignData *data, GError **error);

/* Appends TEXT to OUT with &, <, >, " and ' escaped, invalid UTF-8 replaced: safe in HTML
 * text and in quoted attribute values. */
void dmas_html_append_escaped (GString *out, const gchar *text);

G_END_DECLS

#endif /* DMAS_REPORT_HTML_H */
