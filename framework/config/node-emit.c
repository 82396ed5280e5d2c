/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DmasNode tree → YAML text, through libyaml's emitter so that quoting is always right. */
#include <config.h>

#include <string.h>

#include <yaml.h>

#include "config/node.h"

static int
write_to_gstring (void *data, unsigned char *buffer, size_t size)
{
  g_string_append_len (data, (const gchar *) buffer, (gssize) size);
  return 1;
}

static void
emit (yaml_emitter_t *emitter, yaml_event_t *event)
{
  /* The emitter only fails on invalid event order or memory exhaustion; both are bugs here. */
  if (!yaml_emitter_emit (emitter, event))
    g_error ("libyaml emitter: %s", emitter->problem != NULL ? emitter->problem : "failed");
}

static void
emit_scalar (yaml_emitter_t *emitter, const gchar *text, gboolean quoted)
{
  yaml_event_t event;

  /* A quoted scalar stays quoted so that "yes" or "042" read back as the same string; a plain
   * one is written plain when the emitter can, and quoted only when it must.  Both implicit
   * flags stay set: otherwise libyaml adds a "!" tag to a plain value it has to quote. */
  yaml_scalar_event_initialize (&event, NULL, NULL, (yaml_char_t *) text, (int) strlen (text),
                                !quoted, 1,
                                quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                       : YAML_ANY_SCALAR_STYLE);
  emit (emitter, &event);
}

static void
emit_node (yaml_emitter_t *emitter, const DmasNode *node)
{
  yaml_event_t event;

  switch (node->kind)
    {
    case DMAS_NODE_SCALAR:
      emit_scalar (emitter, node->scalar, node->quoted);
      return;
    case DMAS_NODE_SEQ:
      yaml_sequence_start_event_initialize (&event, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
      emit (emitter, &event);
      for (guint i = 0; i < node->values->len; i++)
        emit_node (emitter, g_ptr_array_index (node->values, i));
      yaml_sequence_end_event_initialize (&event);
      emit (emitter, &event);
      return;
    case DMAS_NODE_MAP:
      yaml_mapping_start_event_initialize (&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
      emit (emitter, &event);
      for (guint i = 0; i < node->keys->len; i++)
        {
          const DmasNode *key = g_ptr_array_index (node->key_nodes, i);

          emit_scalar (emitter, g_ptr_array_index (node->keys, i), key->quoted);
          emit_node (emitter, g_ptr_array_index (node->values, i));
        }
      yaml_mapping_end_event_initialize (&event);
      emit (emitter, &event);
      return;
    }
}

gchar *
dmas_node_to_yaml (const DmasNode *root)
{
  GString *out = g_string_new (NULL);
  yaml_emitter_t emitter;
  yaml_event_t event;

  if (!yaml_emitter_initialize (&emitter))
    g_error ("libyaml: out of memory");
  yaml_emitter_set_output (&emitter, write_to_gstring, out);
  yaml_emitter_set_unicode (&emitter, 1);
  /* No line folding: long values (paths) stay on one line, which keeps diffs readable. */
  yaml_emitter_set_width (&emitter, -1);
  yaml_emitter_set_indent (&emitter, 2);

  yaml_stream_start_event_initialize (&event, YAML_UTF8_ENCODING);
  emit (&emitter, &event);
  yaml_document_start_event_initialize (&event, NULL, NULL, NULL, 1);
  emit (&emitter, &event);
  emit_node (&emitter, root);
  yaml_document_end_event_initialize (&event, 1);
  emit (&emitter, &event);
  yaml_stream_end_event_initialize (&event);
  emit (&emitter, &event);
  yaml_emitter_flush (&emitter);
  yaml_emitter_delete (&emitter);
  return g_string_free (out, FALSE);
}
