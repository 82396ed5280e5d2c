/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "did you mean ...?": the nearest known name to a misspelt one. */
#include <config.h>

#include <string.h>

#include "config/node.h"

/* Edit distance with adjacent transpositions counted as one edit (optimal string alignment),
 * because swapped letters ("lantecy") are the most common typo and plain Levenshtein charges
 * them two.  Compared byte by byte: config keys are ASCII. */
static gsize
edit_distance (const gchar *a, const gchar *b)
{
  gsize n = strlen (a), m = strlen (b);
  g_autofree gsize *d = g_new (gsize, (n + 1) * (m + 1));

#define D(i, j) d[(i) * (m + 1) + (j)]
  for (gsize i = 0; i <= n; i++)
    D (i, 0) = i;
  for (gsize j = 0; j <= m; j++)
    D (0, j) = j;
  for (gsize i = 1; i <= n; i++)
    for (gsize j = 1; j <= m; j++)
      {
        gsize cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
        gsize best = MIN (D (i - 1, j) + 1, D (i, j - 1) + 1);

        best = MIN (best, D (i - 1, j - 1) + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, D (i - 2, j - 2) + 1);
        D (i, j) = best;
      }
  return D (n, m);
#undef D
}

const gchar *
dmas_did_you_mean (const gchar *word, const gchar *const *candidates, gsize n)
{
  gsize limit = MAX (1, strlen (word) / 3);
  const gchar *best = NULL;
  gsize best_distance = G_MAXSIZE;

  /* Strictly smaller wins, so among equally close names the first listed is chosen: the
   * suggestion depends only on the candidates' order, never on anything else. */
  for (gsize i = 0; i < n; i++)
    {
      gsize dist = edit_distance (word, candidates[i]);

      if (dist < best_distance && dist <= limit)
        {
          best = candidates[i];
          best_distance = dist;
        }
    }
  return best;
}
