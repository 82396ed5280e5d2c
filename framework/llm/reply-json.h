/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A strict JSON reader for one object whose members the placement schema then checks. */
#ifndef DMAS_LLM_REPLY_JSON_H
#define DMAS_LLM_REPLY_JSON_H

#include <glib.h>

G_BEGIN_DECLS

/* Nesting deeper than this (the top object counts 1) is refused: a reply is a flat object,
 * and the cap keeps the recursive reader's stack small whatever a model sends. */
#define DMAS_LLM_JSON_DEPTH_MAX 32

typedef enum {
  DMAS_LLM_JSON_STRING,
  DMAS_LLM_JSON_NUMBER,
  DMAS_LLM_JSON_TRUE,
  DMAS_LLM_JSON_FALSE,
  DMAS_LLM_JSON_NULL,
  DMAS_LLM_JSON_OBJECT,
  DMAS_LLM_JSON_ARRAY
} DmasLlmJsonKind;

/* One member of the top-level object. */
typedef struct DmasLlmJsonMember {
  gchar *name;             /* decoded UTF-8 (owned) */
  DmasLlmJsonKind kind;
  gchar *text;             /* STRING: decoded UTF-8; NUMBER: the lexeme; else NULL (owned) */
  gsize name_offset;       /* byte of the name's opening quote (see `base` below) */
  gsize offset;            /* byte of the value */
} DmasLlmJsonMember;

/* Reads text[0..len) (not NUL-terminated; NUL bytes are an error) as exactly one JSON object
 * (RFC 8259: no comments, no trailing commas, no NaN, strings valid UTF-8 with no raw control
 * characters, escaped surrogates paired; "\u0000" is refused too) with only whitespace around
 * it.  Nested values are checked, but only their kind is kept.  Byte offsets in messages and
 * members are relative to `text` plus `base` (the caller's offset of `text`).  Pure: no
 * logging, no global state.
 * Returns: (transfer full) (element-type DmasLlmJsonMember) the members in document order
 * (duplicates kept), or NULL with *message (transfer full) set, e.g. "unterminated string at
 * byte 17". */
GPtrArray *dmas_llm_json_read_object (const gchar *text, gsize len, gsize base,
                                      gchar **message);

const gchar *dmas_llm_json_kind_name (DmasLlmJsonKind kind);

G_END_DECLS

#endif /* DMAS_LLM_REPLY_JSON_H */
