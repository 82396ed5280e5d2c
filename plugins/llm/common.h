/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the llm providers share: parameters and secrets, URLs, JSON reading and building. */
#ifndef DMAS_PLUGINS_LLM_COMMON_H
#define DMAS_PLUGINS_LLM_COMMON_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include <dmas/dmas.h>

/* Strings handed to the host (DmasLlmAnswer, DmasLlmHttp) are free()d by it, so they are
 * made with malloc (strdup), never with g_malloc, even though both are malloc today. */

/* Returns: (transfer full, malloc) a copy of s, NULL only when s is NULL. */
char *llm_strdup (const char *s);

/* Returns: (transfer full, malloc) the printf result. */
char *llm_strdup_printf (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

/* The string parameter `name` of the instance ("" when unset or empty).
 * Returns: (transfer none) the value, valid for the instance. */
const char *llm_param (DmasCtx *ctx, const char *name);

/* The provider variable `name` (environment, else .env), NULL when unset or empty. */
const char *llm_secret (DmasCtx *ctx, const char *name);

/* A base URL as given by a user: "host:port" gets "http://", trailing slashes go.
 * Returns: (transfer full, g_free) the URL. */
gchar *llm_base_url (const char *raw);

/* TRUE when url's host is 127.0.0.1, ::1 or localhost (no key needed there). */
gboolean llm_url_is_loopback (const char *url);

/* Parses a reply body that must be a JSON object.
 * Returns: (transfer full) the parser holding it, or NULL with err filled (DMAS_EINVAL,
 * "WHO: reply is not JSON ..."). */
JsonParser *llm_parse_object (const char *who, const char *body, size_t len, DmasError *err);

/* The member at a dotted path ("message.content", "choices.0.message.content": a number
 * indexes an array), or NULL when any step is missing or of the wrong type. */
JsonNode *llm_json_path (JsonNode *root, const char *path);

/* The string at path, or NULL. */
const char *llm_json_string (JsonNode *root, const char *path);

/* The non-negative integer at path, or 0 when absent or not a number. */
uint32_t llm_json_count (JsonNode *root, const char *path);

/* The number (integer or not) at path into *out.  Returns FALSE when absent or not a number. */
gboolean llm_json_number (JsonNode *root, const char *path, double *out);

/* Returns: (transfer full, g_free) `s` as a JSON string literal, quotes included. */
gchar *llm_json_quote (const char *s);

/* When the body is {"error": "..."} or {"error": {"message": "..."}}: that text, else NULL. */
const char *llm_json_error (JsonNode *root);

/* Adds a chat message {"role": role, "content": content} to the array being built. */
void llm_add_message (JsonBuilder *b, const char *role, const char *content);

/* Returns: (transfer full, malloc) the builder's document as compact JSON text. */
char *llm_builder_text (JsonBuilder *b);

/* Adds the request's schema as a JSON value (an object when it parses, else the string
 * "json", which asks for any JSON object). */
void llm_builder_add_schema (JsonBuilder *b, const char *schema);

/* Seeds travel as JSON integers that every API takes (some use 32-bit signed ints): the low
 * 31 bits of the request seed.  The cache key still covers the whole 64-bit seed. */
int64_t llm_wire_seed (uint64_t seed);

/* Appends a malloc'd "Name: value" header to out->headers.  Returns DMAS_OK, or DMAS_EFAIL
 * with err filled when DMAS_LLM_MAX_HEADERS are already there. */
int llm_http_add_header (DmasLlmHttp *out, DmasError *err, const char *name,
                         const char *value);

/* Fills out->content (a copy) and the token counts. */
void llm_answer_set (DmasLlmAnswer *out, const char *content, uint32_t tokens_in,
                     uint32_t tokens_out);

#endif /* DMAS_PLUGINS_LLM_COMMON_H */
