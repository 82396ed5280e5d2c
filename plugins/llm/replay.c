/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llm/replay: answers from a cache recorded with llm.record, so a run with a model repeats. */
#include <string.h>

#include <dmas/dmas.h>

#include "common.h"

/* The cache is JSON Lines, one exchange per line, appended by the host's LLM service:
 *   {"key":"<64 hex>","model":"...","content":"...","tokens_in":N,"tokens_out":N,
 *    "latency_ns":N}
 *   {"key":"<64 hex>","model":"...","error":"<why>","latency_ns":N}     (a failed exchange)
 * The key is the SHA-256 of everything that shapes the request (docs/llm.md), so a hit is the
 * same question.  The same key can occur more than once (an identical question asked again,
 * answered differently at temperature > 0): the n-th lookup of a key gets its n-th line, and
 * lookups past the last line get the last one again, so a recorded run replays exactly and a
 * longer one still gets answers. */

typedef struct {
  char *content;       /* NULL for a recorded failure */
  char *error;
  uint32_t tokens_in, tokens_out;
  DmasTime latency;
} Entry;

typedef struct {
  GPtrArray *entries;  /* Entry*, in file order */
  guint next;          /* the next lookup's index */
} Slot;

typedef struct {
  gchar *file;
  GHashTable *slots;   /* key -> Slot*; only looked up, never iterated */
} Replay;

static void
entry_free (gpointer p)
{
  Entry *e = p;
  g_free (e->content);
  g_free (e->error);
  g_free (e);
}

static void
slot_free (gpointer p)
{
  Slot *s = p;
  g_ptr_array_unref (s->entries);
  g_free (s);
}

static void
replay_free (Replay *r)
{
  g_free (r->file);
  if (r->slots != NULL)
    g_hash_table_unref (r->slots);
  g_free (r);
}

static gboolean
is_key (const char *s)
{
  if (s == NULL || strlen (s) != DMAS_LLM_KEY_SIZE)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* Reads one line into a new entry, or returns NULL with err naming FILE:LINE. */
static Entry *
parse_line (const char *file, guint line, const char *text, char **key, DmasError *err)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_data (parser, text, -1, &error))
    {
      dmas_error_set (err, DMAS_EINVAL, "%s:%u: not JSON (%s): the cache is one JSON object "
                      "per line, as llm.record writes it", file, line, error->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      dmas_error_set (err, DMAS_EINVAL, "%s:%u: not a JSON object", file, line);
      return NULL;
    }
  const char *k = llm_json_string (root, "key");
  if (!is_key (k))
    {
      dmas_error_set (err, DMAS_EINVAL, "%s:%u: \"key\" must be %d hex characters", file,
                      line, DMAS_LLM_KEY_SIZE);
      return NULL;
    }
  const char *content = llm_json_string (root, "content");
  const char *failure = llm_json_string (root, "error");
  if ((content == NULL) == (failure == NULL))
    {
      dmas_error_set (err, DMAS_EINVAL, "%s:%u: needs exactly one of \"content\" (a reply) or "
                      "\"error\" (a recorded failure), as strings", file, line);
      return NULL;
    }
  double latency = 0;
  if (llm_json_path (root, "latency_ns") != NULL
      && (!llm_json_number (root, "latency_ns", &latency) || latency < 0))
    {
      dmas_error_set (err, DMAS_EINVAL, "%s:%u: \"latency_ns\" must be a number >= 0", file,
                      line);
      return NULL;
    }
  Entry *e = g_new0 (Entry, 1);
  e->content = g_strdup (content);
  e->error = g_strdup (failure);
  e->tokens_in = llm_json_count (root, "tokens_in");
  e->tokens_out = llm_json_count (root, "tokens_out");
  e->latency = (DmasTime) latency;
  *key = g_strdup (k);
  return e;
}

static gboolean
load (Replay *r, DmasError *err)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (r->file, &text, NULL, &error))
    {
      dmas_error_set (err, DMAS_EINVAL, "replay: cannot read the cache %s (%s): record one "
                      "with llm.record", r->file, error->message);
      return FALSE;
    }
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      g_autofree char *key = NULL;
      Entry *e = parse_line (r->file, i + 1, lines[i], &key, err);
      if (e == NULL)
        return FALSE;
      Slot *slot = g_hash_table_lookup (r->slots, key);
      if (slot == NULL)
        {
          slot = g_new0 (Slot, 1);
          slot->entries = g_ptr_array_new_with_free_func (entry_free);
          g_hash_table_insert (r->slots, g_steal_pointer (&key), slot);
        }
      g_ptr_array_add (slot->entries, e);
    }
  return TRUE;
}

static void *
replay_create (DmasCtx *ctx, DmasError *err)
{
  const char *file = llm_param (ctx, "cache");
  if (file[0] == '\0')
    {
      dmas_error_set (err, DMAS_EINVAL, "replay: no cache file: set params: {llm/replay: "
                      "{cache: FILE}} to a file recorded with llm.record");
      return NULL;
    }
  Replay *r = g_new0 (Replay, 1);
  r->file = g_strdup (file);
  r->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, slot_free);
  if (!load (r, err))
    {
      replay_free (r);
      return NULL;
    }
  return r;
}

static void
replay_destroy (void *self)
{
  replay_free (self);
}

static int
replay_answer (void *self, DmasCtx *ctx, const DmasLlmRequest *req, DmasLlmAnswer *out,
               DmasError *err)
{
  (void) ctx;
  Replay *r = self;
  Slot *slot = req->key != NULL ? g_hash_table_lookup (r->slots, req->key) : NULL;
  if (slot == NULL)
    return dmas_error_set (err, DMAS_ENOENT, "not in cache %s: record it first with "
                           "llm.record", r->file);
  const Entry *e = g_ptr_array_index (slot->entries, slot->next);
  if (slot->next + 1 < slot->entries->len)
    slot->next++;
  out->latency = e->latency;
  if (e->content == NULL)
    return dmas_error_set (err, DMAS_EFAIL, "recorded failure: %s", e->error);
  llm_answer_set (out, e->content, e->tokens_in, e->tokens_out);
  return DMAS_OK;
}

static const DmasLlmOps replay_ops = {
  .struct_size = sizeof (DmasLlmOps),
  .create = replay_create,
  .destroy = replay_destroy,
  .answer = replay_answer,
};

static const DmasParamSpec replay_params[] = {
  { "cache", DMAS_PARAM_STRING, "",
    "the JSON Lines file a run with llm.record wrote (required)" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent replay_components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_LLM,
    .name = "replay",
    .api_major = DMAS_LLM_API_MAJOR,
    .api_minor = DMAS_LLM_API_MINOR,
    .ops = &replay_ops,
    .summary = "offline: answers from a cache recorded with llm.record (same requests, same "
               "replies, same latencies)",
    .params = replay_params,
  },
};

static const DmasPluginDesc replay_desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "replay",
  .version = "1.0.0",
  .license = "GPL-3.0-or-later",
  .components = replay_components,
  .n_components = 1,
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

DMAS_PLUGIN_EXPORT const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &replay_desc;
}
