/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dmas_report_generate and dmas_report_print_table: the report's entry points. */
#include "config.h"

#include <stdio.h>

#include "report/data-private.h"
#include "report/html.h"
#include "report/plots.h"
#include "report/report.h"

gboolean
dmas_report_generate (const gchar *dir, GError **error)
{
  g_autoptr (DmasCampaignData) data = dmas_campaign_data_load (dir, error);
  if (data == NULL)
    return FALSE;
  /* Tables first: they are what a script reads, and they do not depend on gnuplot. */
  if (!dmas_report_write_runs_jsonl (data, error) || !dmas_report_write_summary_csv (data, error)
      || !dmas_report_write_stats_json (data, error) || !dmas_report_write_compat (data, error)
      || !dmas_report_plots_write (data, error))
    return FALSE;
  /* Said here so that both callers (the end of a campaign, `dmas report`) say it. */
  if (!dmas_report_plots_rendered (data))
    fprintf (stderr, "plots: gnuplot not found; scripts in %s/plots\n", dir);
  return dmas_report_html_write (data, error);
}

gboolean
dmas_report_print_table (const gchar *dir, FILE *out, GError **error)
{
  g_autoptr (DmasCampaignData) data = dmas_campaign_data_load (dir, error);
  if (data == NULL)
    return FALSE;
  dmas_report_table_print (data, out);
  return TRUE;
}
