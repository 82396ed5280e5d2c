/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas plugins test` for an llm component: the scenario's agents bid with its answers. */
#include "config.h"

#include <stdio.h>

#include <dmas/dmas.h>

#include "cli/plugins-test-private.h"

/* An offline provider answers the LLM bidder of every agent of the scenario: every request is
 * answered (no failure), every answer is a valid placement, jobs complete, and the same seed
 * gives the same run.  An online one needs its endpoint: `dmas check` probes that. */
void
plugins_test_check_llm (Tally *t, const PluginsTest *pt, const DmasComponentInfo *info)
{
  const DmasLlmOps *ops = info->ops;
  if (ops->answer == NULL)
    {
      printf ("SKIP llm/%s answers (an online provider: it needs its endpoint; check it with "
              "`dmas check CONFIG` on a config with llm.provider: %s)\n", info->name,
              info->name);
      return;
    }
  g_autoptr (GError) error = NULL;
  Outcome o = { 0 };
  const gchar *with = pt->params != NULL ? "with --param" : "with its default parameters";
  if (!plugins_test_run (pt, info, 1, 0, &o, &error))
    {
      plugins_test_report (t, FALSE, info, "answers", "%s: %s%s", with, error->message,
                           pt->params != NULL ? "" : " (give parameters with --param KEY=VALUE)");
      return;
    }
  plugins_test_report (t, o.llm_calls > 0 && o.llm_failures == 0, info, "answers",
                       "%s, seed 1: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                       " without an answer", with, o.llm_calls, o.llm_failures);
  plugins_test_report (t, o.llm_invalid == 0, info, "valid-placements",
                       "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " answers refused by the "
                       "host's placement checks", o.llm_invalid, o.llm_calls);
  plugins_test_report (t, o.jobs_completed > 0 && o.safety == 0, info, "schedules",
                       "run %s, %" G_GUINT64_FORMAT " jobs completed, %" G_GUINT64_FORMAT
                       " safety violations", dmas_run_status_to_string (o.status),
                       o.jobs_completed, o.safety);
  plugins_test_outcome_clear (&o);
  plugins_test_check_deterministic (t, pt, info, 0);
}
