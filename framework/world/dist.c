/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawing job attributes from the config's distributions, as pure functions of uniforms. */
#include "config.h"

#include <math.h>

#include "world/dist.h"

/* Φ⁻¹(0.95): the 95th percentile of the standard normal. */
#define Z95 1.6448536269514722

static gdouble
choice_value (const DmasDist *dist, gdouble u)
{
  gdouble total = 0, acc = 0;

  if (dist->weights == NULL)
    {
      guint k = (guint) (u * dist->n_values);
      return dist->values[MIN (k, dist->n_values - 1)];
    }
  for (guint i = 0; i < dist->n_values; i++)
    total += dist->weights[i];
  for (guint i = 0; i < dist->n_values; i++)
    {
      acc += dist->weights[i];
      /* A zero weight never wins: acc did not grow past the previous bound. */
      if (dist->weights[i] > 0 && u * total < acc)
        return dist->values[i];
    }
  /* Rounding left u·total at the very top: the last value with a weight. */
  for (guint i = dist->n_values; i-- > 0;)
    if (dist->weights[i] > 0)
      return dist->values[i];
  return dist->values[dist->n_values - 1];
}

static gdouble
cap (const DmasDist *dist, gdouble v)
{
  return dist->max > 0 && v > dist->max ? dist->max : v;
}

gdouble
dmas_dist_value (const DmasDist *dist, gdouble u1, gdouble u2)
{
  switch (dist->kind)
    {
    case DMAS_DIST_CONSTANT:
      return dist->value;
    case DMAS_DIST_UNIFORM:
      return dist->min + u1 * (dist->max - dist->min);
    case DMAS_DIST_EXPONENTIAL:
      /* 1 − u1 is in (0, 1]: the log is finite. */
      return cap (dist, -dist->mean * log (1.0 - u1));
    case DMAS_DIST_LOGNORMAL:
      {
        const gdouble mu = log (dist->median);
        const gdouble sigma = log (dist->p95 / dist->median) / Z95;
        const gdouble z = sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
        return cap (dist, exp (mu + sigma * z));
      }
    case DMAS_DIST_CHOICE:
      return choice_value (dist, u1);
    }
  g_return_val_if_reached (0);
}

guint32
dmas_dist_count (const DmasDist *dist, guint32 least, gdouble u1, gdouble u2)
{
  gdouble v;

  if (dist->kind == DMAS_DIST_UNIFORM)
    {
      const gdouble span = dist->max - dist->min + 1;
      /* u1·span can round up to span; never step past max. */
      v = MIN (dist->min + floor (u1 * span), dist->max);
    }
  else
    v = floor (dmas_dist_value (dist, u1, u2) + 0.5);
  if (!(v >= least))
    return least;
  return v >= (gdouble) G_MAXUINT32 ? G_MAXUINT32 : (guint32) v;
}

DmasTime
dmas_dist_duration (const DmasDist *dist, gdouble u1, gdouble u2)
{
  const gdouble ms = (gdouble) DMAS_MS;

  switch (dist->kind)
    {
    case DMAS_DIST_CONSTANT:
    case DMAS_DIST_CHOICE:
      return (DmasTime) dmas_dist_value (dist, u1, u2);
    case DMAS_DIST_UNIFORM:
      {
        const gdouble lo = ceil (dist->min / ms), hi = floor (dist->max / ms);
        if (lo > hi)
          return (DmasTime) dist->min;
        return (DmasTime) MIN (lo + floor (u1 * (hi - lo + 1)), hi) * DMAS_MS;
      }
    case DMAS_DIST_EXPONENTIAL:
    case DMAS_DIST_LOGNORMAL:
      {
        gdouble whole = floor (dmas_dist_value (dist, u1, u2) / ms + 0.5);
        DmasTime t = (DmasTime) MAX (whole, 1.0) * DMAS_MS;
        return dist->max > 0 && t > (DmasTime) dist->max ? (DmasTime) dist->max : t;
      }
    }
  g_return_val_if_reached (0);
}

gdouble
dmas_dist_mean (const DmasDist *dist)
{
  switch (dist->kind)
    {
    case DMAS_DIST_CONSTANT:
      return dist->value;
    case DMAS_DIST_UNIFORM:
      return (dist->min + dist->max) / 2;
    case DMAS_DIST_EXPONENTIAL:
      return dist->mean;
    case DMAS_DIST_LOGNORMAL:
      {
        const gdouble sigma = log (dist->p95 / dist->median) / Z95;
        return dist->median * exp (sigma * sigma / 2);
      }
    case DMAS_DIST_CHOICE:
      {
        gdouble sum = 0, total = 0;
        for (guint i = 0; i < dist->n_values; i++)
          {
            const gdouble w = dist->weights != NULL ? dist->weights[i] : 1.0;
            sum += w * dist->values[i];
            total += w;
          }
        return sum / total;
      }
    }
  g_return_val_if_reached (0);
}
