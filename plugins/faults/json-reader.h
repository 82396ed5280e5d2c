/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private to plugins/faults: a small JSON reader for one line of JSON Lines (no GLib). */
#ifndef DMAS_PLUGINS_FAULTS_JSON_READER_H
#define DMAS_PLUGINS_FAULTS_JSON_READER_H

/* Objects, arrays, numbers (their text kept, so that times read exactly), strings (the
 * escapes \" \\ \/ \b \f \n \r \t; \uXXXX is refused), true, false, null.  jparse() reads one
 * value from r->s up to r->end, or returns 0 with r->error (static text) set; the caller
 * frees the value with jval_clear() either way. */

#include <stdlib.h>
#include <string.h>

#define DMAS_JSON_MAX_DEPTH 16

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } JKind;

typedef struct JVal JVal;
struct JVal {
  JKind kind;
  int boolean;
  char *text;         /* J_NUM: the number as written; J_STR: the decoded string */
  JVal *items;        /* J_ARR, J_OBJ: values */
  char **keys;        /* J_OBJ: names, parallel to items */
  size_t n;
};

static inline void
jval_clear (JVal *v)
{
  for (size_t i = 0; i < v->n; i++)
    {
      jval_clear (&v->items[i]);
      if (v->keys != NULL)
        free (v->keys[i]);
    }
  free (v->items);
  free (v->keys);
  free (v->text);
  memset (v, 0, sizeof *v);
}

typedef struct {
  const char *s, *end;
  const char *error;  /* static */
} JReader;

static inline void
skip_ws (JReader *r)
{
  while (r->s < r->end && (*r->s == ' ' || *r->s == '\t' || *r->s == '\r'))
    r->s++;
}

static inline int jparse (JReader *r, JVal *out, int depth);

static inline int
jparse_string (JReader *r, char **out)
{
  size_t cap = 16, len = 0;
  char *buf = malloc (cap);

  if (buf == NULL)
    return (r->error = "out of memory"), 0;
  r->s++;  /* the opening quote */
  while (r->s < r->end && *r->s != '"')
    {
      char c = *r->s++;
      if (c == '\\')
        {
          if (r->s >= r->end)
            break;
          c = *r->s++;
          switch (c)
            {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '"': case '\\': case '/': break;
            default:
              free (buf);
              return (r->error = "unsupported escape in a string (\\uXXXX is not read)"), 0;
            }
        }
      if (len + 2 > cap)
        {
          char *bigger = realloc (buf, cap *= 2);
          if (bigger == NULL)
            return free (buf), (r->error = "out of memory"), 0;
          buf = bigger;
        }
      buf[len++] = c;
    }
  if (r->s >= r->end)
    return free (buf), (r->error = "unterminated string"), 0;
  r->s++;
  buf[len] = '\0';
  *out = buf;
  return 1;
}

static inline int
jparse_container (JReader *r, JVal *out, int depth, int object)
{
  size_t cap = 0;

  out->kind = object ? J_OBJ : J_ARR;
  r->s++;
  skip_ws (r);
  if (r->s < r->end && *r->s == (object ? '}' : ']'))
    return r->s++, 1;
  for (;;)
    {
      char *key = NULL;
      skip_ws (r);
      if (object)
        {
          if (r->s >= r->end || *r->s != '"')
            return (r->error = "expected a member name in quotes"), 0;
          if (!jparse_string (r, &key))
            return 0;
          skip_ws (r);
          if (r->s >= r->end || *r->s != ':')
            return free (key), (r->error = "expected ':' after a member name"), 0;
          r->s++;
        }
      if (out->n == cap)
        {
          cap = cap ? cap * 2 : 4;
          JVal *items = realloc (out->items, cap * sizeof *items);
          char **keys = object ? realloc (out->keys, cap * sizeof *keys) : NULL;
          if (items != NULL)
            out->items = items;
          if (keys != NULL)
            out->keys = keys;
          if (items == NULL || (object && keys == NULL))
            return free (key), (r->error = "out of memory"), 0;
        }
      memset (&out->items[out->n], 0, sizeof out->items[0]);
      if (object)
        out->keys[out->n] = key;
      out->n++;
      if (!jparse (r, &out->items[out->n - 1], depth + 1))
        return 0;
      skip_ws (r);
      if (r->s < r->end && *r->s == ',')
        {
          r->s++;
          continue;
        }
      if (r->s < r->end && *r->s == (object ? '}' : ']'))
        return r->s++, 1;
      return (r->error = object ? "expected ',' or '}'" : "expected ',' or ']'"), 0;
    }
}

static inline int
jparse (JReader *r, JVal *out, int depth)
{
  skip_ws (r);
  if (depth > DMAS_JSON_MAX_DEPTH)
    return (r->error = "nested too deeply"), 0;
  if (r->s >= r->end)
    return (r->error = "a value is missing"), 0;
  switch (*r->s)
    {
    case '{':
      return jparse_container (r, out, depth, 1);
    case '[':
      return jparse_container (r, out, depth, 0);
    case '"':
      out->kind = J_STR;
      return jparse_string (r, &out->text);
    default:
      break;
    }
  static const struct { const char *word; JKind kind; int boolean; } words[] = {
    { "true", J_BOOL, 1 }, { "false", J_BOOL, 0 }, { "null", J_NULL, 0 },
  };
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    {
      size_t len = strlen (words[i].word);
      if ((size_t) (r->end - r->s) >= len && strncmp (r->s, words[i].word, len) == 0)
        {
          out->kind = words[i].kind;
          out->boolean = words[i].boolean;
          r->s += len;
          return 1;
        }
    }
  const char *start = r->s;
  while (r->s < r->end && strchr ("+-0123456789.eE", *r->s) != NULL)
    r->s++;
  if (r->s == start)
    return (r->error = "not a JSON value"), 0;
  out->kind = J_NUM;
  out->text = malloc ((size_t) (r->s - start) + 1);
  if (out->text == NULL)
    return (r->error = "out of memory"), 0;
  memcpy (out->text, start, (size_t) (r->s - start));
  out->text[r->s - start] = '\0';
  return 1;
}

static inline const JVal *
jget (const JVal *obj, const char *key)
{
  for (size_t i = 0; obj->kind == J_OBJ && i < obj->n; i++)
    if (strcmp (obj->keys[i], key) == 0)
      return &obj->items[i];
  return NULL;
}

#endif /* DMAS_PLUGINS_FAULTS_JSON_READER_H */
