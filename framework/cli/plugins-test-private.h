/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside `dmas plugins test`: the scenario's runs and the result lines its files share. */
#ifndef DMAS_CLI_PLUGINS_TEST_PRIVATE_H
#define DMAS_CLI_PLUGINS_TEST_PRIVATE_H

#include <glib.h>

#include "engine/engine.h"
#include "plugin/registry.h"

G_BEGIN_DECLS

/* The scenario's agents (cli/plugins-test-run.c), and the shipped components that take the
 * other kind's place beside the component under test. */
#define PLUGINS_TEST_N_AGENTS 5
#define PARTNER_BIDDING "heuristic"
#define PARTNER_CONSENSUS "auction"

/* What every check works with. */
typedef struct {
  DmasRegistry *registry;    /* the file under test, then the search path */
  const gchar *const *params; /* "KEY=VALUE" for the component under test (--param); nullable */
} PluginsTest;

/* Properties passed and failed so far. */
typedef struct {
  guint passed, failed;
} Tally;

/* Prints "PASS|FAIL kind/name property (details)" on stdout and counts it in `t`. */
void plugins_test_report (Tally *t, gboolean ok, const DmasComponentInfo *info,
                          const gchar *property, const gchar *fmt, ...) G_GNUC_PRINTF (5, 6);

/* What one run of the scenario gave.  Strings owned: plugins_test_outcome_clear() frees them. */
typedef struct {
  DmasRunStatus status;
  gchar *diagnosis;
  gchar *digest;
  guint64 safety, validity;
  guint undecided;          /* jobs a home accepted that no agent ever decided */
  guint64 given_up;         /* jobs whose client stopped retrying (a home was down) */
  guint64 faults_injected;
  guint fault_events;       /* lines of faults.jsonl */
  guint64 jobs_completed;
  guint64 llm_calls, llm_invalid, llm_failures; /* an llm component under test */
} Outcome;

void plugins_test_outcome_clear (Outcome *o);

/* One run of the built-in scenario with `info` in its kind's place (a fault component: as its
 * one `faults:` entry) and pt->params as its parameters, run seed `seed`, and `crashes`
 * distinct agents crashed and restarted at times drawn from `seed`.  Fills `out`, or returns
 * FALSE with error set when the scenario cannot be built (a missing partner, a failing
 * create(), a bad parameter). */
gboolean plugins_test_run (const PluginsTest *pt, const DmasComponentInfo *info, guint64 seed,
                           guint crashes, Outcome *out, GError **error);
/* The scenario's config for `info` and `seed`, components resolved.  Returns: (transfer full)
 * or NULL with error set. */
DmasConfig *plugins_test_load_config (const PluginsTest *pt, const DmasComponentInfo *info,
                                      guint64 seed, GError **error);

/* Reports "deterministic": seed 1 twice, with `crashes`, gives the same trace digest. */
void plugins_test_check_deterministic (Tally *t, const PluginsTest *pt,
                                       const DmasComponentInfo *info, guint crashes);
/* Reports the properties of an llm component (cli/plugins-test-llm.c). */
void plugins_test_check_llm (Tally *t, const PluginsTest *pt, const DmasComponentInfo *info);
/* Reports the bidding properties of `info` (cli/plugins-test-bidding.c). */
void plugins_test_check_bidding (Tally *t, const PluginsTest *pt,
                                 const DmasComponentInfo *info);

G_END_DECLS

#endif /* DMAS_CLI_PLUGINS_TEST_PRIVATE_H */
