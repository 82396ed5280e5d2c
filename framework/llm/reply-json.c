/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A strict JSON reader for one object whose members the placement schema then checks. */
#include <config.h>

#include <stdarg.h>
#include <string.h>

#include "llm/reply-json.h"

/* Why not json-glib: its parser keeps the last of duplicate members (a classic way to smuggle a
 * second answer past a checker), reports positions as line:column of a tokenizer that accepts
 * more than RFC 8259, and builds a full tree of whatever depth a model sends.  A reply is one
 * flat object, so a small reader that refuses everything unusual is both stricter and easier
 * to fuzz. */

typedef struct {
  const guchar *p;
  gsize len;
  gsize pos;
  gsize base;
  gchar *message;
} Reader;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Reader *r, gsize at, const gchar *format, ...)
{
  va_list ap;
  g_autofree gchar *what = NULL;

  if (r->message != NULL)
    return FALSE;
  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  r->message = g_strdup_printf ("%s at byte %" G_GSIZE_FORMAT, what, r->base + at);
  return FALSE;
}

static gboolean
at_end (const Reader *r)
{
  return r->pos >= r->len;
}

static void
skip_ws (Reader *r)
{
  while (!at_end (r)
         && (r->p[r->pos] == ' ' || r->p[r->pos] == '\t' || r->p[r->pos] == '\n'
             || r->p[r->pos] == '\r'))
    r->pos++;
}

static gboolean
expect_char (Reader *r, guchar c, const gchar *what)
{
  skip_ws (r);
  if (at_end (r))
    return fail (r, r->pos, "unexpected end of text, expected %s", what);
  if (r->p[r->pos] != c)
    return fail (r, r->pos, "expected %s", what);
  r->pos++;
  return TRUE;
}

static gint
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u" at r->pos. */
static gboolean
read_hex4 (Reader *r, gunichar *out)
{
  gunichar v = 0;

  if (r->len - r->pos < 4)
    return fail (r, r->pos, "truncated \\u escape");
  for (gsize i = 0; i < 4; i++)
    {
      gint h = hex_value (r->p[r->pos + i]);

      if (h < 0)
        return fail (r, r->pos + i, "bad hex digit in a \\u escape");
      v = v * 16 + (gunichar) h;
    }
  r->pos += 4;
  *out = v;
  return TRUE;
}

/* "\uXXXX", with a UTF-16 surrogate pair when XXXX is a high surrogate; r->pos is after 'u'. */
static gboolean
read_unicode_escape (Reader *r, gsize start, gunichar *out)
{
  gunichar hi, lo;

  if (!read_hex4 (r, &hi))
    return FALSE;
  if (hi >= 0xDC00 && hi <= 0xDFFF)
    return fail (r, start, "lone low surrogate in a \\u escape");
  if (hi >= 0xD800 && hi <= 0xDBFF)
    {
      if (r->len - r->pos < 2 || r->p[r->pos] != '\\' || r->p[r->pos + 1] != 'u')
        return fail (r, start, "high surrogate not followed by a low one");
      r->pos += 2;
      if (!read_hex4 (r, &lo))
        return FALSE;
      if (lo < 0xDC00 || lo > 0xDFFF)
        return fail (r, start, "high surrogate not followed by a low one");
      hi = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    }
  if (hi == 0)
    return fail (r, start, "\\u0000 is not allowed in a string");
  *out = hi;
  return TRUE;
}

/* A string at r->pos (on the opening quote), decoded into `out` (nullable: only checked). */
static gboolean
read_string (Reader *r, GString *out)
{
  gsize start = r->pos;

  r->pos++;
  for (;;)
    {
      guchar c;

      if (at_end (r))
        return fail (r, start, "unterminated string");
      c = r->p[r->pos];
      if (c == '"')
        {
          r->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (r, r->pos, "raw control character 0x%02x in a string", c);
      if (c == '\\')
        {
          gsize esc = r->pos;
          gunichar u = 0;
          guchar e;

          r->pos++;
          if (at_end (r))
            return fail (r, start, "unterminated string");
          e = r->p[r->pos++];
          switch (e)
            {
            case '"': u = '"'; break;
            case '\\': u = '\\'; break;
            case '/': u = '/'; break;
            case 'b': u = '\b'; break;
            case 'f': u = '\f'; break;
            case 'n': u = '\n'; break;
            case 'r': u = '\r'; break;
            case 't': u = '\t'; break;
            case 'u':
              if (!read_unicode_escape (r, esc, &u))
                return FALSE;
              break;
            default:
              return fail (r, esc, "unknown escape in a string");
            }
          if (out != NULL)
            g_string_append_unichar (out, u);
          continue;
        }
      if (c < 0x80)
        {
          if (out != NULL)
            g_string_append_c (out, (gchar) c);
          r->pos++;
          continue;
        }
      {
        /* Multi-byte UTF-8: GLib refuses overlong forms, surrogates and values past U+10FFFF. */
        gssize avail = (gssize) MIN (r->len - r->pos, (gsize) 8);
        gunichar u = g_utf8_get_char_validated ((const gchar *) r->p + r->pos, avail);
        gsize n;

        if (u == (gunichar) -1 || u == (gunichar) -2 || !g_unichar_validate (u))
          return fail (r, r->pos, "invalid UTF-8 in a string");
        n = (gsize) g_unichar_to_utf8 (u, NULL);
        if (out != NULL)
          g_string_append_len (out, (const gchar *) r->p + r->pos, (gssize) n);
        r->pos += n;
      }
    }
}

static gboolean
is_digit (const Reader *r)
{
  return !at_end (r) && r->p[r->pos] >= '0' && r->p[r->pos] <= '9';
}

/* RFC 8259 number grammar; the lexeme goes to `out` (nullable). */
static gboolean
read_number (Reader *r, GString *out)
{
  gsize start = r->pos;

  if (r->p[r->pos] == '-')
    r->pos++;
  if (!is_digit (r))
    return fail (r, start, "bad number");
  if (r->p[r->pos] == '0')
    r->pos++;
  else
    while (is_digit (r))
      r->pos++;
  if (!at_end (r) && r->p[r->pos] == '.')
    {
      r->pos++;
      if (!is_digit (r))
        return fail (r, start, "bad number (digits must follow '.')");
      while (is_digit (r))
        r->pos++;
    }
  if (!at_end (r) && (r->p[r->pos] == 'e' || r->p[r->pos] == 'E'))
    {
      r->pos++;
      if (!at_end (r) && (r->p[r->pos] == '+' || r->p[r->pos] == '-'))
        r->pos++;
      if (!is_digit (r))
        return fail (r, start, "bad number (digits must follow the exponent)");
      while (is_digit (r))
        r->pos++;
    }
  if (out != NULL)
    g_string_append_len (out, (const gchar *) r->p + start, (gssize) (r->pos - start));
  return TRUE;
}

static gboolean
read_literal (Reader *r, const gchar *word)
{
  gsize n = strlen (word);

  if (r->len - r->pos < n || memcmp (r->p + r->pos, word, n) != 0)
    return fail (r, r->pos, "expected a JSON value");
  r->pos += n;
  return TRUE;
}

static gboolean read_value (Reader *r, guint depth, DmasLlmJsonKind *kind, GString *text);

static void
member_free (gpointer data)
{
  DmasLlmJsonMember *m = data;

  g_free (m->name);
  g_free (m->text);
  g_free (m);
}

/* An object at r->pos (on '{'); members are collected only for the top one (`members`). */
static gboolean
read_object (Reader *r, guint depth, GPtrArray *members)
{
  r->pos++;
  skip_ws (r);
  if (!at_end (r) && r->p[r->pos] == '}')
    {
      r->pos++;
      return TRUE;
    }
  for (;;)
    {
      g_autoptr (GString) name = members != NULL ? g_string_new (NULL) : NULL;
      g_autoptr (GString) text = members != NULL ? g_string_new (NULL) : NULL;
      DmasLlmJsonKind kind;
      gsize name_at, value_at;

      skip_ws (r);
      if (at_end (r))
        return fail (r, r->pos, "unexpected end of text, expected a member name");
      if (r->p[r->pos] != '"')
        return fail (r, r->pos, "expected a member name in double quotes");
      name_at = r->pos;
      if (!read_string (r, name) || !expect_char (r, ':', "':' after the member name"))
        return FALSE;
      skip_ws (r);
      value_at = r->pos;
      if (!read_value (r, depth, &kind, text))
        return FALSE;
      if (members != NULL)
        {
          DmasLlmJsonMember *m = g_new0 (DmasLlmJsonMember, 1);

          m->name = g_string_free (g_steal_pointer (&name), FALSE);
          m->kind = kind;
          if (kind == DMAS_LLM_JSON_STRING || kind == DMAS_LLM_JSON_NUMBER)
            m->text = g_string_free (g_steal_pointer (&text), FALSE);
          m->name_offset = r->base + name_at;
          m->offset = r->base + value_at;
          g_ptr_array_add (members, m);
        }
      skip_ws (r);
      if (at_end (r))
        return fail (r, r->pos, "unexpected end of text, expected ',' or '}'");
      if (r->p[r->pos] == '}')
        {
          r->pos++;
          return TRUE;
        }
      if (r->p[r->pos] != ',')
        return fail (r, r->pos, "expected ',' or '}'");
      r->pos++;
    }
}

static gboolean
read_array (Reader *r, guint depth)
{
  r->pos++;
  skip_ws (r);
  if (!at_end (r) && r->p[r->pos] == ']')
    {
      r->pos++;
      return TRUE;
    }
  for (;;)
    {
      DmasLlmJsonKind kind;

      skip_ws (r);
      if (!read_value (r, depth, &kind, NULL))
        return FALSE;
      skip_ws (r);
      if (at_end (r))
        return fail (r, r->pos, "unexpected end of text, expected ',' or ']'");
      if (r->p[r->pos] == ']')
        {
          r->pos++;
          return TRUE;
        }
      if (r->p[r->pos] != ',')
        return fail (r, r->pos, "expected ',' or ']'");
      r->pos++;
    }
}

/* A value at r->pos (whitespace skipped) inside a container at `depth`; `text` (nullable)
 * gets a string's decoded text or a number's lexeme. */
static gboolean
read_value (Reader *r, guint depth, DmasLlmJsonKind *kind, GString *text)
{
  guchar c;

  if (at_end (r))
    return fail (r, r->pos, "unexpected end of text, expected a value");
  c = r->p[r->pos];
  if (c == '{' || c == '[')
    {
      if (depth + 1 > DMAS_LLM_JSON_DEPTH_MAX)
        return fail (r, r->pos, "nesting deeper than %d levels", DMAS_LLM_JSON_DEPTH_MAX);
      *kind = c == '{' ? DMAS_LLM_JSON_OBJECT : DMAS_LLM_JSON_ARRAY;
      return c == '{' ? read_object (r, depth + 1, NULL) : read_array (r, depth + 1);
    }
  if (c == '"')
    {
      *kind = DMAS_LLM_JSON_STRING;
      return read_string (r, text);
    }
  if (c == '-' || (c >= '0' && c <= '9'))
    {
      *kind = DMAS_LLM_JSON_NUMBER;
      return read_number (r, text);
    }
  if (c == 't')
    {
      *kind = DMAS_LLM_JSON_TRUE;
      return read_literal (r, "true");
    }
  if (c == 'f')
    {
      *kind = DMAS_LLM_JSON_FALSE;
      return read_literal (r, "false");
    }
  if (c == 'n')
    {
      *kind = DMAS_LLM_JSON_NULL;
      return read_literal (r, "null");
    }
  return fail (r, r->pos, "expected a JSON value");
}

GPtrArray *
dmas_llm_json_read_object (const gchar *text, gsize len, gsize base, gchar **message)
{
  Reader r = { .p = (const guchar *) text, .len = len, .base = base };
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (member_free);

  skip_ws (&r);
  if (at_end (&r))
    fail (&r, r.pos, "no JSON object");
  else if (r.p[r.pos] != '{')
    fail (&r, r.pos, "expected a JSON object ('{')");
  else if (read_object (&r, 1, members))
    {
      skip_ws (&r);
      if (!at_end (&r))
        fail (&r, r.pos, "unexpected text after the JSON object");
    }
  if (r.message != NULL)
    {
      *message = r.message;
      return NULL;
    }
  return g_steal_pointer (&members);
}

const gchar *
dmas_llm_json_kind_name (DmasLlmJsonKind kind)
{
  switch (kind)
    {
    case DMAS_LLM_JSON_STRING: return "a string";
    case DMAS_LLM_JSON_NUMBER: return "a number";
    case DMAS_LLM_JSON_TRUE:
    case DMAS_LLM_JSON_FALSE: return "a boolean";
    case DMAS_LLM_JSON_NULL: return "null";
    case DMAS_LLM_JSON_OBJECT: return "an object";
    case DMAS_LLM_JSON_ARRAY: return "an array";
    default: return "a value";
    }
}
