/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Little-endian encoding helpers for message bodies, so bodies mean the same on every host. */
#ifndef DMAS_WIRE_H
#define DMAS_WIRE_H

#include <string.h>

#include <dmas/types.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline void
dmas_put_u32 (uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static inline void
dmas_put_u64 (uint8_t *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static inline uint32_t
dmas_get_u32 (const uint8_t *p)
{
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v |= (uint32_t) p[i] << (8 * i);
  return v;
}

static inline uint64_t
dmas_get_u64 (const uint8_t *p)
{
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v |= (uint64_t) p[i] << (8 * i);
  return v;
}

/* Doubles travel as their IEEE-754 bit pattern. */
static inline void
dmas_put_double (uint8_t *p, double d)
{
  uint64_t v;
  memcpy (&v, &d, sizeof v);
  dmas_put_u64 (p, v);
}

static inline double
dmas_get_double (const uint8_t *p)
{
  uint64_t v = dmas_get_u64 (p);
  double d;
  memcpy (&d, &v, sizeof d);
  return d;
}

#ifdef __cplusplus
}
#endif

#endif /* DMAS_WIRE_H */
