/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawing job attributes from the distributions of the config (DmasDist). */
#ifndef DMAS_WORLD_DIST_H
#define DMAS_WORLD_DIST_H

#include <glib.h>

#include "config/config.h"

G_BEGIN_DECLS

/* Every draw consumes exactly this many uniforms of the stream, whatever the distribution, so
 * that changing one attribute's distribution leaves the draws of the others where they were
 * (runs that differ only there stay paired). */
#define DMAS_DIST_DRAWS 2

/* The value of `dist` for the uniforms u1, u2 in [0, 1), as a real number in the key's unit:
 *   constant     value
 *   uniform      min + u1·(max − min)
 *   exponential  −mean·ln(1 − u1), capped at max when max > 0
 *   lognormal    exp(μ + σ·z) with μ = ln(median), σ = ln(p95 / median) / 1.6448536269514722
 *                (so that 95 % of the draws are below p95) and z = √(−2 ln(1 − u1))·cos(2π·u2)
 *                (Box–Muller), capped at max when max > 0
 *   choice       values[k] for the first k whose cumulative weight share exceeds u1 (equal
 *                weights when none are given)
 * Pure: the same dist and uniforms give the same bits everywhere (-ffp-contract=off). */
gdouble dmas_dist_value (const DmasDist *dist, gdouble u1, gdouble u2);

/* An integer attribute (nodes, cores, GPUs), at least `least`: uniform draws U{min..max}
 * (each integer equally likely: min + ⌊u1·(max − min + 1)⌋); exponential and lognormal are
 * rounded to the nearest integer; every result is raised to `least` if below it. */
guint32 dmas_dist_count (const DmasDist *dist, guint32 least, gdouble u1, gdouble u2);

/* A duration (runtime), in ns, at least 1 ms when drawn: constant and choice values are
 * exact; uniform draws whole milliseconds U{⌈min⌉..⌊max⌋} (min itself when no whole
 * millisecond lies between); exponential and lognormal are rounded to the nearest millisecond,
 * at least 1 ms, then capped at max when max > 0. */
DmasTime dmas_dist_duration (const DmasDist *dist, gdouble u1, gdouble u2);

/* The mean of the distribution before rounding and caps (documentation and tests). */
gdouble dmas_dist_mean (const DmasDist *dist);

/* Draws the DMAS_DIST_DRAWS uniforms of one attribute from `rng`. */
static inline void
dmas_dist_draw (GRand *rng, gdouble u[DMAS_DIST_DRAWS])
{
  for (guint i = 0; i < DMAS_DIST_DRAWS; i++)
    u[i] = g_rand_double (rng);
}

G_END_DECLS

#endif /* DMAS_WORLD_DIST_H */
