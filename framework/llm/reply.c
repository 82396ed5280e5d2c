/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A model's reply text -> a placement: size cap, closed schema, then the simulation check. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "llm/reply-json.h"
#include "llm/reply.h"

enum { M_JOB_ID, M_CLUSTER, M_NODES, M_SCORE, M_REASONING, N_MEMBERS };

static const gchar *const member_names[N_MEMBERS] = {
  [M_JOB_ID] = "job_id", [M_CLUSTER] = "cluster", [M_NODES] = "nodes",
  [M_SCORE] = "score",   [M_REASONING] = "reasoning",
};

/* Larger integers cannot come exactly out of a double ("3e15" is an integer, "1e300" is not
 * one we can hold). */
#define EXACT_DOUBLE_INT_MAX 9007199254740992.0

#define SCHEMA_PREFIX "reply does not match the placement schema: "

/* A model-chosen string, made safe and short for a message: printable characters kept, others
 * (terminal escapes included) written as \uXXXX, at most 40 characters. */
static gchar *
quote (const gchar *text)
{
  GString *s = g_string_new ("\"");
  guint n = 0;

  for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == 40)
        {
          g_string_append (s, "...");
          break;
        }
      if (c == '"' || c == '\\' || !g_unichar_isprint (c))
        g_string_append_printf (s, "\\u%04x", (guint) c);
      else
        g_string_append_unichar (s, c);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static gboolean
is_ws (gchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The part of the text the JSON reader sees: whitespace trimmed, and the inside of one
 * Markdown fence ("```" or "```json" on the first line, "```" on the last) when there is one.
 * Returns FALSE with *message for a fence that is opened and never closed. */
static gboolean
strip_fence (const gchar *text, gsize len, gsize *start, gsize *end, gchar **message)
{
  gsize s = 0, e = len, nl, close;

  while (s < e && is_ws (text[s]))
    s++;
  while (e > s && is_ws (text[e - 1]))
    e--;
  *start = s;
  *end = e;
  if (e - s < 3 || memcmp (text + s, "```", 3) != 0)
    return TRUE;
  /* The info string: letters only ("json", "JSON"), then the end of the line. */
  for (nl = s + 3; nl < e && g_ascii_isalpha (text[nl]); nl++)
    ;
  while (nl < e && (text[nl] == ' ' || text[nl] == '\t' || text[nl] == '\r'))
    nl++;
  if (nl >= e || text[nl] != '\n')
    {
      *message = g_strdup_printf ("reply is not JSON: a code fence must be followed by a new "
                                  "line at byte %" G_GSIZE_FORMAT, nl);
      return FALSE;
    }
  close = e >= 3 ? e - 3 : 0;
  if (close <= nl || memcmp (text + close, "```", 3) != 0)
    {
      *message = g_strdup_printf ("reply is not JSON: the code fence opened at byte "
                                  "%" G_GSIZE_FORMAT " is not closed", s);
      return FALSE;
    }
  *start = nl + 1;
  *end = close;
  return TRUE;
}

/* An integer member from its (valid JSON number) lexeme, in [min, max]. */
static gboolean
read_integer (const DmasLlmJsonMember *m, guint64 min, guint64 max, guint64 *out,
              gchar **message)
{
  g_autofree gchar *shown = quote (m->text);
  guint64 v;

  if (strpbrk (m->text, ".eE") == NULL)
    {
      /* "-0" is 0; any other negative integer is below every minimum we have. */
      if (m->text[0] == '-' && strcmp (m->text, "-0") != 0)
        goto below;
      errno = 0;
      v = g_ascii_strtoull (m->text[0] == '-' ? m->text + 1 : m->text, NULL, 10);
      if (errno == ERANGE || v > max)
        goto above;
    }
  else
    {
      gdouble d = g_ascii_strtod (m->text, NULL);

      if (!isfinite (d) || d != floor (d))
        {
          *message = g_strdup_printf (SCHEMA_PREFIX "%s must be an integer, not %s", m->name,
                                      shown);
          return FALSE;
        }
      if (d < 0)
        goto below;
      if (d > EXACT_DOUBLE_INT_MAX || d > (gdouble) max)
        goto above;
      v = (guint64) d;
    }
  if (v < min)
    goto below;
  *out = v;
  return TRUE;

below:
  *message = g_strdup_printf (SCHEMA_PREFIX "%s %s is below the minimum %" G_GUINT64_FORMAT,
                              m->name, shown, min);
  return FALSE;
above:
  *message = g_strdup_printf (SCHEMA_PREFIX "%s %s is out of range (at most %" G_GUINT64_FORMAT
                              ")", m->name, shown, max);
  return FALSE;
}

static gboolean
read_string_member (const DmasLlmJsonMember *m, glong max_chars, gchar **out, gchar **message)
{
  glong n = g_utf8_strlen (m->text, -1);

  if (n > max_chars)
    {
      *message = g_strdup_printf (SCHEMA_PREFIX "%s is %ld characters long, over the maximum "
                                  "%ld", m->name, n, max_chars);
      return FALSE;
    }
  *out = g_strdup (m->text);
  return TRUE;
}

static gboolean
read_score (const DmasLlmJsonMember *m, gdouble *out, gchar **message)
{
  gdouble d = g_ascii_strtod (m->text, NULL);

  if (!isfinite (d) || d < 0 || d > 1)
    {
      g_autofree gchar *shown = quote (m->text);

      *message = g_strdup_printf (SCHEMA_PREFIX "score %s is outside [0, 1]", shown);
      return FALSE;
    }
  *out = d == 0 ? 0.0 : d; /* -0 is 0 */
  return TRUE;
}

/* Members -> placement: each known member once, of its type and in its range. */
static gboolean
apply_schema (GPtrArray *members, DmasLlmPlacement *out, gchar **message)
{
  const DmasLlmJsonMember *seen[N_MEMBERS] = { NULL };
  static const DmasLlmJsonKind kinds[N_MEMBERS] = {
    [M_JOB_ID] = DMAS_LLM_JSON_NUMBER, [M_CLUSTER] = DMAS_LLM_JSON_STRING,
    [M_NODES] = DMAS_LLM_JSON_NUMBER,  [M_SCORE] = DMAS_LLM_JSON_NUMBER,
    [M_REASONING] = DMAS_LLM_JSON_STRING,
  };
  guint64 job_id = 0, nodes = 0;

  for (guint i = 0; i < members->len; i++)
    {
      const DmasLlmJsonMember *m = g_ptr_array_index (members, i);
      g_autofree gchar *shown = quote (m->name);
      guint k;

      for (k = 0; k < N_MEMBERS && strcmp (m->name, member_names[k]) != 0; k++)
        ;
      if (k == N_MEMBERS)
        {
          *message = g_strdup_printf (SCHEMA_PREFIX "unknown member %s at byte %" G_GSIZE_FORMAT
                                      " (the members are job_id, cluster, nodes, score, "
                                      "reasoning)", shown, m->name_offset);
          return FALSE;
        }
      if (seen[k] != NULL)
        {
          *message = g_strdup_printf (SCHEMA_PREFIX "member %s appears twice", shown);
          return FALSE;
        }
      if (m->kind != kinds[k])
        {
          *message = g_strdup_printf (SCHEMA_PREFIX "%s must be %s, not %s", member_names[k],
                                      k == M_JOB_ID || k == M_NODES ? "an integer"
                                      : dmas_llm_json_kind_name (kinds[k]),
                                      dmas_llm_json_kind_name (m->kind));
          return FALSE;
        }
      seen[k] = m;
    }
  for (guint k = 0; k < N_MEMBERS; k++)
    if (seen[k] == NULL)
      {
        *message = g_strdup_printf (SCHEMA_PREFIX "member \"%s\" is missing", member_names[k]);
        return FALSE;
      }
  if (!read_integer (seen[M_JOB_ID], 1, G_MAXUINT64, &job_id, message)
      || !read_integer (seen[M_NODES], 0, G_MAXUINT32, &nodes, message)
      || !read_score (seen[M_SCORE], &out->score, message)
      || !read_string_member (seen[M_CLUSTER], DMAS_LLM_CLUSTER_MAX, &out->cluster, message)
      || !read_string_member (seen[M_REASONING], DMAS_LLM_REASONING_MAX, &out->reasoning,
                              message))
    return FALSE;
  out->job_id = job_id;
  out->nodes = (guint32) nodes;
  return TRUE;
}

gboolean
dmas_llm_reply_parse (const gchar *text, gsize len, gsize max_bytes, DmasLlmPlacement *out,
                      gchar **message)
{
  g_autoptr (GPtrArray) members = NULL;
  g_autofree gchar *why = NULL;
  gsize start, end;

  memset (out, 0, sizeof *out);
  if (len > max_bytes)
    {
      *message = g_strdup_printf ("reply is %" G_GSIZE_FORMAT " bytes, over the cap of "
                                  "%" G_GSIZE_FORMAT " (llm.max_reply_bytes)", len, max_bytes);
      return FALSE;
    }
  if (!strip_fence (text, len, &start, &end, message))
    return FALSE;
  if (start == end)
    {
      *message = g_strdup ("reply is empty");
      return FALSE;
    }
  members = dmas_llm_json_read_object (text + start, end - start, start, &why);
  if (members == NULL)
    {
      *message = g_strconcat ("reply is not JSON: ", why, NULL);
      return FALSE;
    }
  if (!apply_schema (members, out, message))
    {
      dmas_llm_placement_clear (out);
      return FALSE;
    }
  return TRUE;
}

static gchar *
fmt_double (gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_dtostr (buf, sizeof buf, v));
}

gboolean
dmas_llm_reply_check (const DmasLlmPlacement *p, const DmasLlmExpect *expect, gchar **message)
{
  const DmasJob *job = expect->job;
  const DmasClusterView *c = expect->cluster;

  if (p->job_id != job->id)
    *message = g_strdup_printf ("impossible placement: job_id %" G_GUINT64_FORMAT " is not the "
                                "job asked about (%" G_GUINT64_FORMAT ")", p->job_id, job->id);
  else if (strcmp (p->cluster, expect->cluster_name) != 0)
    {
      g_autofree gchar *shown = quote (p->cluster);

      *message = g_strdup_printf ("impossible placement: cluster %s is not this agent's "
                                  "cluster (\"%s\")", shown, expect->cluster_name);
    }
  else if (p->score <= 0)
    return TRUE;
  else if (p->nodes < job->nodes)
    *message = g_strdup_printf ("impossible placement: %u nodes, the job needs %u", p->nodes,
                                job->nodes);
  else if (p->nodes > c->nodes)
    *message = g_strdup_printf ("impossible placement: %u nodes, the cluster has %u", p->nodes,
                                c->nodes);
  else if (job->cores > c->cores_per_node)
    *message = g_strdup_printf ("impossible placement: the job needs %u cores per node, the "
                                "cluster's nodes have %u", job->cores, c->cores_per_node);
  else if (job->memory_gb > c->memory_gb_per_node)
    {
      g_autofree gchar *need = fmt_double (job->memory_gb);
      g_autofree gchar *have = fmt_double (c->memory_gb_per_node);

      *message = g_strdup_printf ("impossible placement: the job needs %s GB per node, the "
                                  "cluster's nodes have %s GB", need, have);
    }
  else if (job->gpus > c->gpus_per_node)
    *message = g_strdup_printf ("impossible placement: the job needs %u GPUs per node, the "
                                "cluster's nodes have %u", job->gpus, c->gpus_per_node);
  else
    return TRUE;
  return FALSE;
}

void
dmas_llm_placement_clear (DmasLlmPlacement *p)
{
  g_clear_pointer (&p->cluster, g_free);
  g_clear_pointer (&p->reasoning, g_free);
  memset (p, 0, sizeof *p);
}
