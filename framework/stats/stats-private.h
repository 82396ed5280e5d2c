/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the test implementations of framework/stats (not part of the API). */
#ifndef DMAS_STATS_PRIVATE_H
#define DMAS_STATS_PRIVATE_H

#include "stats/stats.h"

G_BEGIN_DECLS

/* Differences a[i] - b[i] of n pairs and what the paired tests need from them. */
typedef struct {
  gdouble *d;           /* (owned) n differences */
  guint n;
  gdouble mean;         /* NAN when n = 0 */
  gdouble sd;           /* n - 1 denominator; NAN when n < 2 */
  gboolean all_zero;    /* every difference is exactly 0 (TRUE when n = 0) */
} DmasPairedDiffs;

/* Fills *diffs (caller frees diffs->d with g_free). */
void dmas_stats_paired_diffs (const gdouble *a, const gdouble *b, guint n, DmasPairedDiffs *diffs);

/* Sets *out to "not computed": defined FALSE, every number NAN, exact FALSE, the given n. */
void dmas_stats_result_reset (DmasTestResult *out, guint n);

/* Marks *out undefined for `reason` (static text); statistic and p stay NAN. */
void dmas_stats_result_undefined (DmasTestResult *out, const gchar *reason);

/* The identical-samples case of stats.h: defined, statistic 0, p 1, effect 0. */
void dmas_stats_result_identical (DmasTestResult *out);

/* Paired Cohen's d: mean / sd of the differences; 0 when all differences are 0, NAN when
 * they are all equal but not 0 (d would be infinite) or n < 2. */
gdouble dmas_stats_paired_effect (const DmasPairedDiffs *diffs);

G_END_DECLS

#endif /* DMAS_STATS_PRIVATE_H */
