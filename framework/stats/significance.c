/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Multiple-comparison adjustment (Holm) and significance stars. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "stats/stats.h"

typedef struct {
  gdouble p;
  guint index;
} RankedP;

/* Equal p-values are ordered by their index, so the result never depends on how qsort
 * happens to arrange equal keys (the adjusted values of ties come out equal anyway, but
 * the running maximum is then visibly order-free). */
static int
ranked_p_compare (const void *pa, const void *pb)
{
  const RankedP *a = pa, *b = pb;
  if (a->p != b->p)
    return a->p < b->p ? -1 : 1;
  return a->index < b->index ? -1 : (a->index > b->index ? 1 : 0);
}

void
dmas_stats_holm (const gdouble *p, guint n, gdouble *adjusted)
{
  /* Copy first: adjusted may be p itself. */
  g_autofree RankedP *ranked = g_new (RankedP, n > 0 ? n : 1);
  guint m = 0;
  for (guint i = 0; i < n; i++)
    if (!isnan (p[i]))
      ranked[m++] = (RankedP) { p[i], i };
  for (guint i = 0; i < n; i++)
    if (isnan (p[i]))
      adjusted[i] = NAN;
  qsort (ranked, m, sizeof *ranked, ranked_p_compare);

  /* Step-down: the k-th smallest is multiplied by the m - k hypotheses still standing, and
   * an adjusted value may never fall below the one before it (else a larger raw p could be
   * declared significant where a smaller one is not). */
  gdouble running = 0.0;
  for (guint k = 0; k < m; k++)
    {
      gdouble v = MIN (1.0, (gdouble) (m - k) * ranked[k].p);
      running = MAX (running, v);
      adjusted[ranked[k].index] = running;
    }
}

const gchar *
dmas_stats_stars (gdouble p)
{
  if (isnan (p))
    return "";
  if (p < 0.001)
    return "***";
  if (p < 0.01)
    return "**";
  if (p < 0.05)
    return "*";
  return "";
}
