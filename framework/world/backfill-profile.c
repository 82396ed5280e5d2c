/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The free-node profile over future time that conservative backfilling reserves on. */
#include "config.h"

#include "world/backfill.h"

#define STEP(p, i) g_array_index ((p)->steps, DmasProfileStep, (i))

void
dmas_profile_init (DmasProfile *profile, guint nodes)
{
  profile->steps = g_array_new (FALSE, FALSE, sizeof (DmasProfileStep));
  const DmasProfileStep all = { .t = 0, .free = nodes };
  g_array_append_val (profile->steps, all);
}

void
dmas_profile_clear (DmasProfile *profile)
{
  g_clear_pointer (&profile->steps, g_array_unref);
}

void
dmas_profile_advance (DmasProfile *profile, DmasTime now)
{
  guint drop = 0;
  while (drop + 1 < profile->steps->len && STEP (profile, drop + 1).t <= now)
    drop++;
  if (drop > 0)
    g_array_remove_range (profile->steps, 0, drop);
}

/* Index of the last step starting at or before t (steps[0].t <= t). */
static guint
step_at (const DmasProfile *profile, DmasTime t)
{
  guint lo = 0, hi = profile->steps->len;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;
      if (STEP (profile, mid).t <= t)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* Makes a step start exactly at t and returns its index. */
static guint
split_at (DmasProfile *profile, DmasTime t)
{
  guint i = step_at (profile, t);
  if (STEP (profile, i).t == t)
    return i;
  const DmasProfileStep step = { .t = t, .free = STEP (profile, i).free };
  g_array_insert_val (profile->steps, i + 1, step);
  return i + 1;
}

/* Merges step i into step i - 1 when they hold the same count, so that the profile stays
 * as short as the number of distinct changes. */
static void
merge_down (DmasProfile *profile, guint i)
{
  if (i > 0 && i < profile->steps->len && STEP (profile, i).free == STEP (profile, i - 1).free)
    g_array_remove_index (profile->steps, i);
}

void
dmas_profile_add (DmasProfile *profile, DmasTime from, DmasTime to, gint delta)
{
  from = MAX (from, STEP (profile, 0).t);
  if (to <= from)
    return;
  guint i = split_at (profile, from);
  guint j = to == DMAS_TIME_NONE ? profile->steps->len : split_at (profile, to);
  for (guint k = i; k < j; k++)
    {
      DmasProfileStep *step = &STEP (profile, k);
      g_return_if_fail (delta >= 0 || step->free >= (guint) -delta);
      step->free = (guint) ((gint64) step->free + delta);
    }
  merge_down (profile, j);
  merge_down (profile, i);
}

DmasTime
dmas_profile_earliest (const DmasProfile *profile, DmasTime now, guint nodes, DmasTime duration)
{
  const guint n = profile->steps->len;
  guint k = step_at (profile, now);
  DmasTime candidate = MAX (now, STEP (profile, k).t);
  for (; k < n; k++)
    {
      const DmasProfileStep *step = &STEP (profile, k);
      if (step->free < nodes)
        {
          /* The window cannot include this step: restart right after it. */
          if (k + 1 == n)
            return DMAS_TIME_NONE;
          candidate = STEP (profile, k + 1).t;
          continue;
        }
      const DmasTime end = dmas_time_add_sat (candidate, duration);
      if (k + 1 == n || (end != DMAS_TIME_NONE && STEP (profile, k + 1).t >= end))
        return candidate;
    }
  return DMAS_TIME_NONE;
}
