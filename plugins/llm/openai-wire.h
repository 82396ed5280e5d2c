/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OpenAI chat-completions protocol, shared by llm/openai and llm/sambastudio's newer
 * endpoints (compiled into both modules). */
#ifndef DMAS_PLUGINS_LLM_OPENAI_WIRE_H
#define DMAS_PLUGINS_LLM_OPENAI_WIRE_H

#include "common.h"

/* The body of POST .../chat/completions for req, asking `model`:
 * {model, messages: [system?, user], temperature, seed, max_tokens,
 *  response_format: {type: "json_object"}}.
 * Returns: (transfer full, malloc) the JSON text. */
char *llm_openai_body (const DmasLlmRequest *req, const char *model);

/* Reads choices[0].message.content and usage.prompt_tokens / completion_tokens into out.
 * Returns DMAS_OK, or DMAS_EINVAL with err saying what `who` got instead. */
int llm_openai_parse (const char *who, const char *body, size_t len, DmasLlmAnswer *out,
                      DmasError *err);

/* Reads the reply to GET /v1/models: DMAS_OK when `model` is in data[].id, else a negative
 * status with err saying how to fix it (`key_var` names the key's variable for a 401/403). */
int llm_openai_models_parse (const char *who, const char *url, const char *model,
                             const char *key_var, long status, const char *body, size_t len,
                             DmasError *err);

#endif /* DMAS_PLUGINS_LLM_OPENAI_WIRE_H */
