/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Durations, sizes and rates as written in YAML ("150ms", "64GB", "10Gbps"), parsed exactly. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "config/node.h"

/* What the parsers accept (the README's table comes from here):
 *   duration  NUMBER UNIT, UNIT one of ns us ms s m (minutes) h d; "1.5s" is fine as long as
 *             the result is a whole number of nanoseconds.  Never negative, never unit-less.
 *   size      NUMBER UNIT, UNIT one of B, kB = KB = 1000 B, MB, GB, TB, PB (powers of 1000),
 *             KiB, MiB, GiB, TiB, PiB (powers of 1024); must come out as whole bytes.
 *   rate      NUMBER UNIT in bits per second: bps kbps Kbps Mbps Gbps Tbps, or the same
 *             prefixes with "bit/s" (Gbit/s), or bytes per second B/s kB/s KB/s MB/s GB/s TB/s
 *             KiB/s MiB/s GiB/s (x8).
 * NUMBER is digits with an optional fraction ("0.5", not ".5" or "1e3"); no sign, no spaces.
 * Integer arithmetic keeps "0.1s" exactly 100000000 ns instead of a rounded double. */

typedef struct {
  const gchar *name;
  guint64 factor;
} Unit;

#define SEC G_GUINT64_CONSTANT (1000000000)

/* Largest first: dmas_format_duration() picks the first that divides exactly. */
static const Unit duration_units[] = {
  { "d", 86400 * SEC }, { "h", 3600 * SEC }, { "m", 60 * SEC }, { "s", SEC },
  { "ms", 1000000 },    { "us", 1000 },       { "ns", 1 },
};

static const Unit size_units[] = {
  { "B", 1 },
  { "kB", G_GUINT64_CONSTANT (1000) },
  { "KB", G_GUINT64_CONSTANT (1000) },
  { "MB", G_GUINT64_CONSTANT (1000000) },
  { "GB", G_GUINT64_CONSTANT (1000000000) },
  { "TB", G_GUINT64_CONSTANT (1000000000000) },
  { "PB", G_GUINT64_CONSTANT (1000000000000000) },
  { "KiB", G_GUINT64_CONSTANT (1) << 10 },
  { "MiB", G_GUINT64_CONSTANT (1) << 20 },
  { "GiB", G_GUINT64_CONSTANT (1) << 30 },
  { "TiB", G_GUINT64_CONSTANT (1) << 40 },
  { "PiB", G_GUINT64_CONSTANT (1) << 50 },
};

static const Unit rate_units[] = {
  { "bps", 1 },          { "kbps", 1000 },          { "Kbps", 1000 },
  { "Mbps", 1000000 },   { "Gbps", SEC },           { "Tbps", 1000 * SEC },
  { "bit/s", 1 },        { "kbit/s", 1000 },        { "Kbit/s", 1000 },
  { "Mbit/s", 1000000 }, { "Gbit/s", SEC },         { "Tbit/s", 1000 * SEC },
  { "B/s", 8 },          { "kB/s", 8000 },          { "KB/s", 8000 },
  { "MB/s", 8000000 },   { "GB/s", 8 * SEC },       { "TB/s", 8000 * SEC },
  { "KiB/s", 8 << 10 },  { "MiB/s", 8 << 20 },      { "GiB/s", G_GUINT64_CONSTANT (8) << 30 },
};

typedef struct {
  const gchar *what;       /* "duration", "size", "rate" */
  const Unit *units;
  gsize n_units;
  const gchar *unit_list;  /* for messages */
  const gchar *example;    /* unit used in "add a unit, e.g. '5s'" */
} Kind;

static const Kind duration_kind = { "duration", duration_units, G_N_ELEMENTS (duration_units),
                                    "ns, us, ms, s, m, h or d", "s" };
static const Kind size_kind = { "size", size_units, G_N_ELEMENTS (size_units),
                                "B, kB, MB, GB, TB, KiB, MiB, GiB or TiB", "MB" };
static const Kind rate_kind = { "rate", rate_units, G_N_ELEMENTS (rate_units),
                                "bps, kbps, Mbps, Gbps, Tbps (or Gbit/s), B/s, MB/s, GB/s",
                                "Mbps" };

/* A split "12.50ms": integer digits, fraction digits, unit. */
typedef struct {
  const gchar *int_part;
  gsize int_len;
  const gchar *frac;
  gsize frac_len;
  guint64 factor;
} Number;

static gboolean
split (const gchar *text, const Kind *kind, Number *num, GError **error)
{
  const gchar *s = text;
  const gchar *unit;

  if (*s == '-')
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "'%s' is negative; a %s cannot be negative", text, kind->what);
      return FALSE;
    }
  num->int_part = s;
  while (g_ascii_isdigit (*s))
    s++;
  num->int_len = (gsize) (s - num->int_part);
  num->frac = s;
  num->frac_len = 0;
  if (num->int_len > 0 && *s == '.' && g_ascii_isdigit (s[1]))
    {
      num->frac = ++s;
      while (g_ascii_isdigit (*s))
        s++;
      num->frac_len = (gsize) (s - num->frac);
    }
  if (num->int_len == 0)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "'%s' is not a %s; write a number and a unit (%s), e.g. '5%s'", text,
                   kind->what, kind->unit_list, kind->example);
      return FALSE;
    }
  unit = s;
  if (*unit == '\0')
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                   "'%s' has no unit; add a unit, e.g. '%s%s' (units: %s)", text, text,
                   kind->example, kind->unit_list);
      return FALSE;
    }
  for (gsize i = 0; i < kind->n_units; i++)
    if (strcmp (unit, kind->units[i].name) == 0)
      {
        num->factor = kind->units[i].factor;
        return TRUE;
      }
  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
               "'%s' has an unknown unit '%s'; use %s (one number and one unit, e.g. '5%s')",
               text, unit, kind->unit_list, kind->example);
  return FALSE;
}

/* Digits → integer; FALSE on overflow. */
static gboolean
digits_to_u64 (const gchar *digits, gsize len, guint64 *out)
{
  guint64 v = 0;

  for (gsize i = 0; i < len; i++)
    if (!g_uint64_checked_mul (&v, v, 10)
        || !g_uint64_checked_add (&v, v, (guint64) (digits[i] - '0')))
      return FALSE;
  *out = v;
  return TRUE;
}

static guint64
pow10_u64 (guint e)
{
  guint64 v = 1;

  while (e-- > 0)
    v *= 10;
  return v;
}

/* number × factor as an exact integer.  Writing factor = m·10^e lets the fraction F/10^k be
 * scaled without overflow whenever k <= e, and tested for exactness otherwise. */
static gboolean
scale_exact (const gchar *text, const Kind *kind, const Number *num, guint64 *out,
             GError **error)
{
  guint64 whole, frac = 0, m = num->factor, frac_value = 0;
  gsize k = num->frac_len;
  guint e = 0;

  while (k > 0 && num->frac[k - 1] == '0')
    k--;
  while (m % 10 == 0)
    {
      m /= 10;
      e++;
    }
  if (!digits_to_u64 (num->int_part, num->int_len, &whole)
      || !g_uint64_checked_mul (&whole, whole, num->factor))
    goto too_large;
  if (k > 0)
    {
      gboolean exact = k <= 19 && digits_to_u64 (num->frac, k, &frac);

      if (exact && k <= e)
        frac_value = frac * m * pow10_u64 (e - (guint) k);
      else if (exact)
        {
          guint64 divisor = pow10_u64 ((guint) k - e);

          exact = g_uint64_checked_mul (&frac_value, frac, m) && frac_value % divisor == 0;
          frac_value /= divisor;
        }
      if (!exact)
        {
          g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
                       "'%s' is not a whole number of %s; use fewer decimals or a smaller unit",
                       text, kind == &duration_kind ? "nanoseconds" : "bytes");
          return FALSE;
        }
    }
  if (!g_uint64_checked_add (out, whole, frac_value))
    goto too_large;
  return TRUE;

too_large:
  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE,
               "'%s' is too large for a %s", text, kind->what);
  return FALSE;
}

gboolean
dmas_parse_duration (const gchar *text, guint64 *out_ns, GError **error)
{
  Number num;

  return split (text, &duration_kind, &num, error)
         && scale_exact (text, &duration_kind, &num, out_ns, error);
}

gboolean
dmas_parse_size (const gchar *text, guint64 *out_bytes, GError **error)
{
  Number num;

  return split (text, &size_kind, &num, error)
         && scale_exact (text, &size_kind, &num, out_bytes, error);
}

gboolean
dmas_parse_rate (const gchar *text, gdouble *out_bits_per_s, GError **error)
{
  g_autofree gchar *number = NULL;
  Number num;

  if (!split (text, &rate_kind, &num, error))
    return FALSE;
  /* Rates feed floating-point bandwidth arithmetic anyway; exactness buys nothing here. */
  number = g_strndup (num.int_part,
                      num.int_len + (num.frac_len > 0 ? 1 + num.frac_len : 0));
  *out_bits_per_s = g_ascii_strtod (number, NULL) * (gdouble) num.factor;
  return TRUE;
}

gchar *
dmas_format_duration (guint64 ns)
{
  if (ns == 0)
    return g_strdup ("0s");
  for (gsize i = 0; i < G_N_ELEMENTS (duration_units); i++)
    if (ns % duration_units[i].factor == 0)
      return g_strdup_printf ("%" G_GUINT64_FORMAT "%s", ns / duration_units[i].factor,
                              duration_units[i].name);
  g_assert_not_reached ();
}

/* Shortest text that reads back to the same double, with a ".0" so it still looks like a
 * number with a fraction ("16.0"), which tells the reader the key is not an integer. */
gchar *
dmas_format_double (gdouble v)
{
  static const gchar *const formats[] = { "%.15g", "%.16g", "%.17g" };
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  if (strpbrk (buf, ".eE") == NULL)
    return g_strconcat (buf, ".0", NULL);
  return g_strdup (buf);
}

gboolean
dmas_running_from_build_tree (void)
{
  g_autofree gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree gchar *builddir = realpath (DMAS_ABS_BUILDDIR, NULL);
  g_autofree gchar *prefix = NULL;

  if (exe == NULL || builddir == NULL)
    return FALSE;
  prefix = g_strconcat (builddir, G_DIR_SEPARATOR_S, NULL);
  return g_str_has_prefix (exe, prefix);
}

gchar *
dmas_configs_path (const gchar *relative)
{
  return g_build_filename (dmas_running_from_build_tree () ? DMAS_ABS_SRCDIR : DMAS_DATADIR,
                           "configs", relative, NULL);
}
