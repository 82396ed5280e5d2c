/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OpenAI chat-completions protocol: request body, reply and model list. */
#include "openai-wire.h"

#include <string.h>

char *
llm_openai_body (const DmasLlmRequest *req, const char *model)
{
  const char *system = req->system != NULL ? req->system : "";
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  if (system[0] != '\0')
    llm_add_message (b, "system", system);
  llm_add_message (b, "user", req->prompt != NULL ? req->prompt : "");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "temperature");
  json_builder_add_double_value (b, req->temperature);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, llm_wire_seed (req->seed));
  json_builder_set_member_name (b, "max_tokens");
  json_builder_add_int_value (b, req->max_tokens);
  /* JSON mode rather than json_schema: every OpenAI-compatible server (SambaNova, vLLM,
   * llama.cpp) takes it; the host validates against the schema anyway. */
  json_builder_set_member_name (b, "response_format");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "json_object");
  json_builder_end_object (b);
  json_builder_end_object (b);
  return llm_builder_text (b);
}

int
llm_openai_parse (const char *who, const char *body, size_t len, DmasLlmAnswer *out,
                  DmasError *err)
{
  g_autoptr (JsonParser) parser = llm_parse_object (who, body, len, err);
  if (parser == NULL)
    return DMAS_EINVAL;
  JsonNode *root = json_parser_get_root (parser);
  const char *content = llm_json_string (root, "choices.0.message.content");
  if (content == NULL)
    {
      const char *why = llm_json_error (root);
      return dmas_error_set (err, DMAS_EINVAL,
                             "%s: the reply has no choices[0].message.content (a string)%s%s",
                             who, why != NULL ? ": " : "", why != NULL ? why : "");
    }
  llm_answer_set (out, content, llm_json_count (root, "usage.prompt_tokens"),
                  llm_json_count (root, "usage.completion_tokens"));
  return DMAS_OK;
}

int
llm_openai_models_parse (const char *who, const char *url, const char *model,
                         const char *key_var, long status, const char *body, size_t len,
                         DmasError *err)
{
  if (status == 401 || status == 403)
    return dmas_error_set (err, DMAS_EFAIL, "%s at %s refused the key (HTTP %ld): check %s "
                           "(`dmas setup-env` writes it to .env)", who, url, status, key_var);
  if (status != 200)
    return dmas_error_set (err, DMAS_EFAIL, "%s at %s answered HTTP %ld to GET /v1/models: "
                           "check the URL", who, url, status);
  g_autoptr (JsonParser) parser = llm_parse_object (who, body, len, err);
  if (parser == NULL)
    return DMAS_EINVAL;
  JsonNode *data = llm_json_path (json_parser_get_root (parser), "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return dmas_error_set (err, DMAS_EINVAL, "%s /v1/models: the reply has no \"data\" list",
                           who);
  JsonArray *a = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      const char *id = llm_json_string (json_array_get_element (a, i), "id");
      if (id != NULL && strcmp (id, model) == 0)
        return DMAS_OK;
    }
  return dmas_error_set (err, DMAS_ENOENT, "%s at %s does not serve the model %s: set "
                         "llm.model to one GET %s/v1/models lists", who, url, model, url);
}
