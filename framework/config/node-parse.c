/* SPDX-License-Identifier: GPL-3.0-or-later */
/* YAML text → DmasNode tree with libyaml's event parser, enforcing the config's input rules. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <yaml.h>

#include "config/node.h"
#include "config/node-private.h"

typedef struct {
  yaml_parser_t parser;
  const gchar *text;
  gsize len;
  const gchar *name;
  const gchar *base_dir;
  guint column_offset;
  gboolean one_line;   /* a --set value: marks past its end point just after it */
  guint n_nodes;
} Parser;

static guint
mark_line (const Parser *p, const yaml_mark_t *mark)
{
  return p->one_line ? 1 : (guint) mark->line + 1;
}

static guint
mark_column (const Parser *p, const yaml_mark_t *mark)
{
  /* --set values are parsed on their own; shifting the first line makes the column point into
   * the whole "key=value" argument the user typed.  libyaml reports an unexpected end on the
   * line after the last one; on the command line that is just past the argument. */
  if (p->one_line && mark->line > 0)
    return p->column_offset + (guint) p->len + 1;
  return (guint) mark->column + 1 + (mark->line == 0 ? p->column_offset : 0);
}

static void
set_error_at (GError **error, const Parser *p, const yaml_mark_t *mark, DmasConfigError code,
              const gchar *message)
{
  g_set_error (error, DMAS_CONFIG_ERROR, code, "%s:%u:%u: %s", p->name, mark_line (p, mark),
               mark_column (p, mark), message);
}

/* The character at a mark, for hints; libyaml's marks count characters, not bytes. */
static gunichar
char_at (const Parser *p, const yaml_mark_t *mark)
{
  const gchar *s = p->text;
  const gchar *end = p->text + p->len;

  for (size_t line = 0; line < mark->line && s < end; s++)
    if (*s == '\n')
      line++;
  for (size_t col = 0; col < mark->column && s < end && *s != '\n'; col++)
    {
      const gchar *next = g_utf8_find_next_char (s, end);

      s = next != NULL ? next : end;
    }
  return s < end ? g_utf8_get_char_validated (s, end - s) : 0;
}

static void
set_syntax_error (GError **error, Parser *p)
{
  yaml_parser_t *yp = &p->parser;
  g_autoptr (GString) msg = g_string_new ("invalid YAML: ");
  yaml_mark_t mark = yp->problem_mark;

  if (yp->error == YAML_MEMORY_ERROR)
    {
      g_string_append (msg, "out of memory");
      set_error_at (error, p, &mark, DMAS_CONFIG_ERROR_SYNTAX, msg->str);
      return;
    }
  g_string_append (msg, yp->problem != NULL ? yp->problem : "unknown problem");
  if (yp->error == YAML_READER_ERROR)
    {
      /* Reader errors (bad encoding) carry a byte offset instead of a mark. */
      memset (&mark, 0, sizeof mark);
      for (gsize i = 0; i < yp->problem_offset && i < p->len; i++)
        {
          if (p->text[i] == '\n')
            {
              mark.line++;
              mark.column = 0;
            }
          else
            mark.column++;
        }
      g_string_append (msg, "; save the file as UTF-8 text");
    }
  else if (yp->context != NULL
           && (yp->context_mark.line != mark.line || yp->context_mark.column != mark.column))
    g_string_append_printf (msg, " (%s that starts at %u:%u)", yp->context,
                            mark_line (p, &yp->context_mark), mark_column (p, &yp->context_mark));
  if (yp->error != YAML_READER_ERROR
      && (char_at (p, &mark) == '\t' || strstr (msg->str, "tab character") != NULL))
    g_string_append (msg, "; indent with spaces, YAML does not allow tabs");
  set_error_at (error, p, &mark, DMAS_CONFIG_ERROR_SYNTAX, msg->str);
}

static gboolean
next_event (Parser *p, yaml_event_t *event, GError **error)
{
  if (yaml_parser_parse (&p->parser, event))
    return TRUE;
  set_syntax_error (error, p);
  return FALSE;
}

/* Rejects what a config must not use, whatever the node's kind. */
static gboolean
check_event (Parser *p, const yaml_event_t *event, guint depth, GError **error)
{
  const yaml_char_t *anchor = NULL, *tag = NULL;

  switch (event->type)
    {
    case YAML_SCALAR_EVENT:
      anchor = event->data.scalar.anchor;
      tag = event->data.scalar.tag;
      break;
    case YAML_SEQUENCE_START_EVENT:
      anchor = event->data.sequence_start.anchor;
      tag = event->data.sequence_start.tag;
      break;
    case YAML_MAPPING_START_EVENT:
      anchor = event->data.mapping_start.anchor;
      tag = event->data.mapping_start.tag;
      break;
    default:
      break;
    }
  if (event->type == YAML_ALIAS_EVENT || anchor != NULL)
    {
      g_autofree gchar *msg = g_strdup_printf (
          "aliases and anchors are not supported (found %s '%s'); write the value out in full",
          anchor != NULL ? "anchor" : "alias",
          anchor != NULL ? (const gchar *) anchor : (const gchar *) event->data.alias.anchor);
      set_error_at (error, p, &event->start_mark, DMAS_CONFIG_ERROR_SYNTAX, msg);
      return FALSE;
    }
  if (tag != NULL)
    {
      const gchar *text = (const gchar *) tag;
      g_autofree gchar *msg = NULL;

      /* libyaml expands "!!int" to its full name; show it the way it was written. */
      if (g_str_has_prefix (text, "tag:yaml.org,2002:"))
        msg = g_strdup_printf ("YAML tags such as '!!%s' are not supported; remove the tag "
                               "(quote a value to make it a string)",
                               text + strlen ("tag:yaml.org,2002:"));
      else
        msg = g_strdup_printf ("YAML tags such as '%s' are not supported; remove the tag "
                               "(quote a value to make it a string)", text);
      set_error_at (error, p, &event->start_mark, DMAS_CONFIG_ERROR_SYNTAX, msg);
      return FALSE;
    }
  if (depth > DMAS_CONFIG_MAX_DEPTH)
    {
      g_autofree gchar *msg = g_strdup_printf (
          "nesting deeper than %d levels is not allowed; flatten this part of the config",
          DMAS_CONFIG_MAX_DEPTH);
      set_error_at (error, p, &event->start_mark, DMAS_CONFIG_ERROR_LIMIT, msg);
      return FALSE;
    }
  if (++p->n_nodes > DMAS_CONFIG_MAX_NODES)
    {
      g_autofree gchar *msg = g_strdup_printf (
          "more than %d values in one config; put large data (job lists, traces) in separate "
          "files", DMAS_CONFIG_MAX_NODES);
      set_error_at (error, p, &event->start_mark, DMAS_CONFIG_ERROR_LIMIT, msg);
      return FALSE;
    }
  return TRUE;
}

static DmasNode *
new_node_at (Parser *p, DmasNodeKind kind, const yaml_mark_t *mark)
{
  guint line = mark_line (p, mark), column = mark_column (p, mark);

  if (kind == DMAS_NODE_MAP)
    return dmas_node_new_map (p->name, p->base_dir, line, column);
  if (kind == DMAS_NODE_SEQ)
    return dmas_node_new_seq (p->name, p->base_dir, line, column);
  return dmas_node_new_scalar (NULL, p->name, p->base_dir, line, column);
}

static DmasNode *parse_node (Parser *p, yaml_event_t *event, guint depth, GError **error);

static gboolean
parse_seq_items (Parser *p, DmasNode *seq, guint depth, GError **error)
{
  for (;;)
    {
      yaml_event_t event;
      DmasNode *item;

      if (!next_event (p, &event, error))
        return FALSE;
      if (event.type == YAML_SEQUENCE_END_EVENT)
        {
          yaml_event_delete (&event);
          return TRUE;
        }
      item = parse_node (p, &event, depth + 1, error);
      yaml_event_delete (&event);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (seq->values, item);
    }
}

static DmasNode *
parse_key (Parser *p, DmasNode *map, yaml_event_t *event, guint depth, GError **error)
{
  DmasNode *key, *first;

  if (!check_event (p, event, depth, error))
    return NULL;
  if (event->type != YAML_SCALAR_EVENT)
    {
      set_error_at (error, p, &event->start_mark, DMAS_CONFIG_ERROR_SYNTAX,
                    "a key must be plain text, not a list or a map; write 'key: value'");
      return NULL;
    }
  key = new_node_at (p, DMAS_NODE_SCALAR, &event->start_mark);
  g_free (key->scalar);
  key->scalar = g_strndup ((const gchar *) event->data.scalar.value, event->data.scalar.length);
  key->quoted = event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
  first = dmas_node_get_key_node (map, key->scalar);
  if (first != NULL)
    {
      g_autofree gchar *msg = g_strdup_printf (
          "duplicate key '%s' (first given at line %u); keep only one of them", key->scalar,
          first->line);
      set_error_at (error, p, &event->start_mark, DMAS_CONFIG_ERROR_SYNTAX, msg);
      dmas_node_free (key);
      return NULL;
    }
  return key;
}

static gboolean
parse_map_entries (Parser *p, DmasNode *map, guint depth, GError **error)
{
  for (;;)
    {
      yaml_event_t event;
      DmasNode *key, *value;

      if (!next_event (p, &event, error))
        return FALSE;
      if (event.type == YAML_MAPPING_END_EVENT)
        {
          yaml_event_delete (&event);
          return TRUE;
        }
      key = parse_key (p, map, &event, depth + 1, error);
      yaml_event_delete (&event);
      if (key == NULL)
        return FALSE;
      if (!next_event (p, &event, error))
        {
          dmas_node_free (key);
          return FALSE;
        }
      value = parse_node (p, &event, depth + 1, error);
      yaml_event_delete (&event);
      if (value == NULL)
        {
          dmas_node_free (key);
          return FALSE;
        }
      dmas_node_set_keyed (map, key, value);
    }
}

/* Builds the node that starts with `event` (borrowed), reading the events of its children. */
static DmasNode *
parse_node (Parser *p, yaml_event_t *event, guint depth, GError **error)
{
  g_autoptr (DmasNode) node = NULL;

  if (!check_event (p, event, depth, error))
    return NULL;
  switch (event->type)
    {
    case YAML_SCALAR_EVENT:
      node = new_node_at (p, DMAS_NODE_SCALAR, &event->start_mark);
      g_free (node->scalar);
      node->scalar = g_strndup ((const gchar *) event->data.scalar.value,
                                event->data.scalar.length);
      node->quoted = event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
      return g_steal_pointer (&node);
    case YAML_SEQUENCE_START_EVENT:
      node = new_node_at (p, DMAS_NODE_SEQ, &event->start_mark);
      return parse_seq_items (p, node, depth, error) ? g_steal_pointer (&node) : NULL;
    case YAML_MAPPING_START_EVENT:
      node = new_node_at (p, DMAS_NODE_MAP, &event->start_mark);
      return parse_map_entries (p, node, depth, error) ? g_steal_pointer (&node) : NULL;
    default:
      set_error_at (error, p, &event->start_mark, DMAS_CONFIG_ERROR_SYNTAX,
                    "unexpected YAML structure");
      return NULL;
    }
}

/* Reads the one document of the stream.  `root_map` demands a map at the top (files);
 * otherwise any value is accepted and an empty stream is a null scalar (--set values). */
static DmasNode *
parse_stream (Parser *p, gboolean root_map, GError **error)
{
  g_autoptr (DmasNode) root = NULL;
  yaml_event_t event;
  gboolean ok;

  if (!next_event (p, &event, error))
    return NULL;
  yaml_event_delete (&event); /* STREAM-START */
  if (!next_event (p, &event, error))
    return NULL;
  if (event.type == YAML_STREAM_END_EVENT)
    {
      yaml_mark_t start = { 0, 0, 0 };

      yaml_event_delete (&event);
      if (!root_map)
        return new_node_at (p, DMAS_NODE_SCALAR, &start);
      set_error_at (error, p, &start, DMAS_CONFIG_ERROR_VALUE,
                    "the config is empty; write a map of keys, e.g. 'name: my-run'");
      return NULL;
    }
  yaml_event_delete (&event); /* DOCUMENT-START */
  if (!next_event (p, &event, error))
    return NULL;
  if (root_map && event.type != YAML_MAPPING_START_EVENT)
    {
      set_error_at (error, p, &event.start_mark, DMAS_CONFIG_ERROR_TYPE,
                    "the top level of a config must be a map of keys, e.g. 'name: my-run', "
                    "not a list or a single value");
      yaml_event_delete (&event);
      return NULL;
    }
  root = parse_node (p, &event, 1, error);
  yaml_event_delete (&event);
  if (root == NULL)
    return NULL;
  if (!next_event (p, &event, error))
    return NULL;
  yaml_event_delete (&event); /* DOCUMENT-END */
  if (!next_event (p, &event, error))
    return NULL;
  ok = event.type == YAML_STREAM_END_EVENT;
  if (!ok)
    set_error_at (error, p, &event.start_mark, DMAS_CONFIG_ERROR_SYNTAX,
                  "a config holds one YAML document; remove the second '---' and what "
                  "follows, or merge it into the first");
  yaml_event_delete (&event);
  return ok ? g_steal_pointer (&root) : NULL;
}

static void
set_too_big_error (GError **error, const gchar *name, guint64 size)
{
  g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_LIMIT,
               "%s:1:1: the config is %" G_GUINT64_FORMAT " bytes, over the limit of %d bytes "
               "(1 MiB); keep large data such as traces in separate files",
               name, size, DMAS_CONFIG_MAX_BYTES);
}

static DmasNode *
parse_text (const gchar *text, gsize len, const gchar *name, const gchar *base_dir,
            guint column_offset, gboolean root_map, GError **error)
{
  Parser p = { .text = text, .len = len, .name = name, .base_dir = base_dir,
               .column_offset = column_offset,
               .one_line = !root_map && memchr (text, '\n', len) == NULL };
  DmasNode *root;

  if (len > DMAS_CONFIG_MAX_BYTES)
    {
      set_too_big_error (error, name, len);
      return NULL;
    }
  if (!yaml_parser_initialize (&p.parser))
    g_error ("libyaml: out of memory");
  yaml_parser_set_input_string (&p.parser, (const unsigned char *) text, len);
  root = parse_stream (&p, root_map, error);
  yaml_parser_delete (&p.parser);
  return root;
}

DmasNode *
dmas_node_parse_string (const gchar *text, gsize len, const gchar *name, const gchar *base_dir,
                        GError **error)
{
  g_autofree gchar *cwd = NULL;

  if (base_dir == NULL)
    base_dir = cwd = g_get_current_dir ();
  return parse_text (text, len, name, base_dir, 0, TRUE, error);
}

DmasNode *
dmas_node_parse_value (const gchar *text, const gchar *name, const gchar *base_dir,
                       guint column_offset, GError **error)
{
  return parse_text (text, strlen (text), name, base_dir, column_offset, FALSE, error);
}

DmasNode *
dmas_node_parse_file (const gchar *path, GError **error)
{
  g_autofree gchar *text = NULL;
  g_autofree gchar *abs = NULL;
  g_autofree gchar *dir = NULL;
  g_autoptr (GError) local = NULL;
  GStatBuf st;
  gsize len = 0;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO,
                   "%s: cannot read the config: %s (check the path)", path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO,
                   "%s: cannot read the config: not a regular file", path);
      return NULL;
    }
  /* Checked before reading so that a huge file is never loaded into memory. */
  if (st.st_size > DMAS_CONFIG_MAX_BYTES)
    {
      set_too_big_error (error, path, (guint64) st.st_size);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, DMAS_CONFIG_ERROR, DMAS_CONFIG_ERROR_IO,
                   "%s: cannot read the config: %s", path, local->message);
      return NULL;
    }
  abs = g_canonicalize_filename (path, NULL);
  dir = g_path_get_dirname (abs);
  return parse_text (text, len, path, dir, 0, TRUE, error);
}
