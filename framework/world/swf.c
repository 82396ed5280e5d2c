/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SWF reader: a single pass over the text, no allocation per field. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "world/swf.h"
#include "world/trace.h"

#define SWF_FIELDS 18

/* The standard's names, for messages. */
static const gchar *const field_names[SWF_FIELDS] = {
  "job number", "submit time", "wait time", "run time", "allocated processors",
  "average CPU time", "used memory", "requested processors", "requested time",
  "requested memory", "status", "user id", "group id", "executable", "queue", "partition",
  "preceding job", "think time",
};

/* Fields that SWF defines as integers (0-based). */
static gboolean
integer_field (guint f)
{
  return f == 0 || f == 4 || f == 7 || f == 11;
}

/* Fields the rules read: id, submit, runtime, processors (both), requested time, user. */
static gboolean
used_field (guint f)
{
  return integer_field (f) || f == 1 || f == 3 || f == 8;
}

/* A field's value, exactly: sign, whole part and the fraction in nanoseconds (SWF times are
 * seconds; going through a double would round submit times of long logs). */
typedef struct {
  gboolean negative;
  guint64 whole;
  guint32 frac_ns;
  gboolean integral;
} Number;

static gboolean
number_positive (const Number *n)
{
  return !n->negative && (n->whole > 0 || n->frac_ns > 0);
}

/* Exponent notation is rare in SWF files; it takes the slow, rounding path. */
static gboolean
parse_number_slow (const gchar *s, const gchar *e, Number *out)
{
  gchar buf[64];
  gchar *end = NULL;
  gdouble v, a;

  if ((gsize) (e - s) >= sizeof buf)
    return FALSE;
  memcpy (buf, s, (gsize) (e - s));
  buf[e - s] = '\0';
  /* strtod also takes hex, "inf" and "nan", which are no SWF numbers. */
  if (strspn (buf, "0123456789+-.eE") != (gsize) (e - s))
    return FALSE;
  v = g_ascii_strtod (buf, &end);
  if (end == buf || *end != '\0' || !isfinite (v) || fabs (v) >= 1e18)
    return FALSE;
  a = fabs (v);
  out->negative = v < 0;
  out->whole = (guint64) floor (a);
  out->frac_ns = (guint32) MIN (floor ((a - floor (a)) * 1e9 + 0.5), 999999999.0);
  out->integral = a == floor (a);
  return TRUE;
}

/* [+-]?digits[.digits], digits on at least one side of the point. */
static gboolean
parse_number (const gchar *s, const gchar *e, Number *out)
{
  const gchar *p = s;
  guint digits = 0;
  guint32 scale = 100000000;

  memset (out, 0, sizeof *out);
  out->integral = TRUE;
  if (p < e && (*p == '-' || *p == '+'))
    out->negative = *p++ == '-';
  for (; p < e && g_ascii_isdigit (*p); p++)
    {
      if (++digits > 18)
        return FALSE;
      out->whole = out->whole * 10 + (guint64) (*p - '0');
    }
  if (p < e && *p == '.')
    for (p++; p < e && g_ascii_isdigit (*p); p++, digits++)
      {
        out->frac_ns += (guint32) (*p - '0') * scale;
        scale /= 10;
        if (*p != '0')
          out->integral = FALSE;
      }
  if (digits > 0 && p == e)
    return TRUE;
  return parse_number_slow (s, e, out);
}

/* Seconds to ns; negative means unknown (-1).  Values beyond 300 years are refused as
 * malformed before this is called. */
static gint64
seconds_ns (const Number *n)
{
  if (n->negative)
    return -1;
  return (gint64) (n->whole * DMAS_S + n->frac_ns);
}

static gint64
integer (const Number *n)
{
  if (n->negative)
    return -1;
  return (gint64) n->whole;
}

static gboolean
is_space (gchar c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

typedef struct {
  const gchar *name;
  gboolean malformed_fail;
  GPtrArray *warnings;
  DmasSwfHeader header;
  DmasTraceJobs *trace;
} Reader;

/* "; MaxProcs: 100" — other comments are free text and are ignored. */
static void
read_comment (Reader *r, const gchar *p, const gchar *e)
{
  static const struct { const gchar *label; gsize offset; } labels[] = {
    { "MaxProcs:", G_STRUCT_OFFSET (DmasSwfHeader, max_procs) },
    { "MaxNodes:", G_STRUCT_OFFSET (DmasSwfHeader, max_nodes) },
  };

  for (p++; p < e && is_space (*p); p++)
    ;
  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gsize n = strlen (labels[i].label);
      const gchar *v;
      guint64 value = 0;
      guint digits = 0;

      if ((gsize) (e - p) < n || memcmp (p, labels[i].label, n) != 0)
        continue;
      for (v = p + n; v < e && is_space (*v); v++)
        ;
      for (; v < e && g_ascii_isdigit (*v) && digits < 10; v++, digits++)
        value = value * 10 + (guint64) (*v - '0');
      if (digits > 0 && value <= G_MAXUINT32)
        G_STRUCT_MEMBER (guint32, &r->header, labels[i].offset) = (guint32) value;
    }
}

/* Reports a malformed line: the error with on_malformed: fail, else a counted warning. */
static gboolean
malformed (Reader *r, guint line, GError **error, const gchar *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
malformed (Reader *r, guint line, GError **error, const gchar *format, ...)
{
  g_autofree gchar *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  if (r->malformed_fail)
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_VALUE, "%s:%u: %s", r->name, line,
                   message);
      return FALSE;
    }
  r->trace->stats.malformed++;
  if (r->warnings != NULL && r->warnings->len < DMAS_SWF_MAX_WARNINGS)
    g_ptr_array_add (r->warnings, g_strdup_printf ("%s:%u: %s", r->name, line, message));
  return TRUE;
}

/* Applies the rules of swf.h to one well-formed record. */
static void
add_record (Reader *r, const Number f[SWF_FIELDS])
{
  DmasWorkloadStats *stats = &r->trace->stats;
  const gint64 submit = seconds_ns (&f[1]);
  const gint64 procs = number_positive (&f[7]) ? integer (&f[7]) : integer (&f[4]);
  gint64 runtime = seconds_ns (&f[3]);
  gint64 estimate;
  gint64 id = integer (&f[0]);
  gint32 user = (gint32) MIN (integer (&f[11]), G_MAXINT32);

  stats->records++;
  if (!number_positive (&f[3]))
    {
      stats->dropped_runtime++;
      return;
    }
  if (procs <= 0)
    {
      stats->dropped_processors++;
      return;
    }
  if (submit < 0)
    {
      stats->dropped_submit++;
      return;
    }
  estimate = number_positive (&f[8]) ? seconds_ns (&f[8]) : runtime;
  if (runtime > estimate)
    {
      runtime = estimate;
      stats->runtime_capped++;
    }
  {
    DmasJob job = {
      .submit = (DmasTime) submit,
      .nodes = (guint32) procs,
      .cores = 1,
      .memory_gb = 0,
      .gpus = 0,
      .walltime = (DmasTime) estimate,
      .runtime = (DmasTime) runtime,
      .priority = 0,
      .type = DMAS_JOB_HPC,
    };

    g_array_append_val (r->trace->jobs, job);
    g_array_append_val (r->trace->keys, id);
    g_array_append_val (r->trace->users, user);
  }
}

/* One job line, [p, e) without its newline.  FALSE only when it is fatal. */
static gboolean
read_record (Reader *r, guint line, const gchar *p, const gchar *e, GError **error)
{
  const gchar *start[SWF_FIELDS], *end[SWF_FIELDS];
  Number f[SWF_FIELDS];
  guint n = 0;

  while (p < e)
    {
      const gchar *t = p;

      while (p < e && !is_space (*p))
        p++;
      if (n < SWF_FIELDS)
        {
          start[n] = t;
          end[n] = p;
        }
      n++;
      while (p < e && is_space (*p))
        p++;
    }
  if (n != SWF_FIELDS)
    return malformed (r, line, error, "expected %u fields, found %u", SWF_FIELDS, n);
  for (guint i = 0; i < SWF_FIELDS; i++)
    {
      if (!parse_number (start[i], end[i], &f[i]))
        return malformed (r, line, error, "field %u (%s) is not a number: '%.*s'", i + 1,
                          field_names[i], (int) (end[i] - start[i]), start[i]);
      if (integer_field (i) && !f[i].integral)
        return malformed (r, line, error, "field %u (%s) is not an integer: '%.*s'", i + 1,
                          field_names[i], (int) (end[i] - start[i]), start[i]);
      /* In the fields dmas uses: 300 years in seconds, or a count beyond 32 bits. */
      if ((used_field (i) && f[i].whole > (integer_field (i) ? G_MAXUINT32
                                                              : G_GUINT64_CONSTANT (9467280000))))
        return malformed (r, line, error, "field %u (%s) is too large: '%.*s'", i + 1,
                          field_names[i], (int) (end[i] - start[i]), start[i]);
    }
  add_record (r, f);
  return TRUE;
}

static gboolean
parse (Reader *r, const gchar *text, gsize len, gboolean header_only, GError **error)
{
  const gchar *p = text, *end = text + len;
  guint line = 0;

  while (p < end)
    {
      const gchar *nl = memchr (p, '\n', (gsize) (end - p));
      const gchar *e = nl != NULL ? nl : end;
      const gchar *s = p;

      line++;
      p = nl != NULL ? nl + 1 : end;
      while (s < e && is_space (*s))
        s++;
      if (s == e)
        continue;
      if (*s == ';')
        {
          read_comment (r, s, e);
          continue;
        }
      if (header_only)
        return TRUE;
      if (!read_record (r, line, s, e, error))
        return FALSE;
    }
  return TRUE;
}

DmasWorkload *
dmas_swf_parse (const gchar *text, gsize len, const gchar *name, gboolean malformed_fail,
                DmasSwfHeader *header, GPtrArray *warnings, GError **error)
{
  Reader r = {
    .name = name, .malformed_fail = malformed_fail, .warnings = warnings,
    .trace = dmas_trace_jobs_new (),
  };

  if (!parse (&r, text, len, FALSE, error))
    {
      dmas_trace_jobs_free (r.trace);
      return NULL;
    }
  if (header != NULL)
    *header = r.header;
  return dmas_trace_jobs_finish (r.trace);
}

DmasWorkload *
dmas_swf_read (const gchar *path, gboolean malformed_fail, GPtrArray *warnings, GError **error)
{
  g_autoptr (GBytes) bytes = dmas_trace_file_read (path, error);
  gsize len = 0;
  const gchar *text;

  if (bytes == NULL)
    return NULL;
  text = g_bytes_get_data (bytes, &len);
  return dmas_swf_parse (text, len, path, malformed_fail, NULL, warnings, error);
}

gboolean
dmas_swf_read_header (const gchar *path, DmasSwfHeader *header, GError **error)
{
  g_autoptr (GBytes) bytes = dmas_trace_file_read (path, error);
  g_autoptr (DmasTraceJobs) trace = dmas_trace_jobs_new ();
  Reader r = { .name = path, .trace = trace };
  gsize len = 0;
  const gchar *text;

  if (bytes == NULL)
    return FALSE;
  text = g_bytes_get_data (bytes, &len);
  parse (&r, text, len, TRUE, NULL);
  *header = r.header;
  return TRUE;
}
