/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private to plugins/faults: durations written in text ("90s", "1.5m", seconds "12.25"). */
#ifndef DMAS_PLUGINS_FAULTS_DURATION_H
#define DMAS_PLUGINS_FAULTS_DURATION_H

#include <stdint.h>
#include <string.h>

#include <dmas/dmas.h>

static inline uint64_t
dmas_fault_gcd (uint64_t a, uint64_t b)
{
  while (b != 0)
    {
      uint64_t r = a % b;
      a = b;
      b = r;
    }
  return a;
}

/* A duration as YAML writes it ("90s", "1.5m"): digits, an optional fraction, a unit among
 * ns us ms s m h d, and a whole number of nanoseconds.  Returns 1 with *out set, else 0.
 * (The host parses declared duration parameters itself; this is for strings that may hold
 * something else too: restart_after's "never", a schedule's "t".) */
static inline int
dmas_fault_parse_duration (const char *text, DmasTime *out)
{
  static const struct {
    const char *name;
    uint64_t factor;
  } units[] = {
    { "ns", 1 }, { "us", DMAS_US }, { "ms", DMAS_MS }, { "s", DMAS_S }, { "m", 60 * DMAS_S },
    { "h", 3600 * DMAS_S }, { "d", 86400 * DMAS_S },
  };
  const char *s = text;
  uint64_t whole = 0, frac = 0, scale = 1;

  if (*s < '0' || *s > '9')
    return 0;
  for (; *s >= '0' && *s <= '9'; s++)
    {
      if (whole > (UINT64_MAX - 9) / 10)
        return 0;
      whole = whole * 10 + (uint64_t) (*s - '0');
    }
  if (*s == '.' && s[1] >= '0' && s[1] <= '9')
    for (s++; *s >= '0' && *s <= '9'; s++)
      {
        /* Past nine digits only zeros can still give whole nanoseconds of any unit here. */
        if (scale == 1000000000)
          {
            if (*s != '0')
              return 0;
            continue;
          }
        frac = frac * 10 + (uint64_t) (*s - '0');
        scale *= 10;
      }
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strcmp (s, units[i].name) == 0)
      {
        /* frac / scale of the unit, exactly: reduce first so nothing overflows. */
        uint64_t f = units[i].factor, q = dmas_fault_gcd (f, scale), part;
        if (frac % (scale / q) != 0 || whole > (UINT64_MAX - 1) / f)
          return 0;
        part = frac / (scale / q) * (f / q);
        if (whole * f > UINT64_MAX - 1 - part)
          return 0;
        *out = whole * f + part;
        return 1;
      }
  return 0;
}

/* Seconds as a plain decimal number ("30", "12.345678901", as faults.jsonl writes them) into
 * whole nanoseconds, exactly (at most 9 fraction digits that matter).  `len` bytes of `text`.
 * Returns 1 with *out set, else 0. */
static inline int
dmas_fault_parse_seconds (const char *text, size_t len, DmasTime *out)
{
  char buf[64];

  if (len == 0 || len + 2 > sizeof buf)
    return 0;
  memcpy (buf, text, len);
  buf[len] = 's';
  buf[len + 1] = '\0';
  return dmas_fault_parse_duration (buf, out);
}

#endif /* DMAS_PLUGINS_FAULTS_DURATION_H */
