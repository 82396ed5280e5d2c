/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A model's reply text -> a placement: size cap, closed schema, then the simulation check. */
#ifndef DMAS_LLM_REPLY_H
#define DMAS_LLM_REPLY_H

#include <glib.h>

#include <dmas/job.h>

G_BEGIN_DECLS

/* Limits of the closed placement schema (dmas_llm_placement_schema()), in characters. */
#define DMAS_LLM_CLUSTER_MAX 64
#define DMAS_LLM_REASONING_MAX 1000

/* A schema-valid reply. */
typedef struct DmasLlmPlacement {
  DmasJobId job_id;        /* >= 1 */
  gchar *cluster;          /* owned; at most DMAS_LLM_CLUSTER_MAX characters */
  guint32 nodes;
  gdouble score;           /* in [0, 1] */
  gchar *reasoning;        /* owned; at most DMAS_LLM_REASONING_MAX characters */
} DmasLlmPlacement;

/* Parses a reply under the size cap.  Accepted text: exactly one JSON object, optionally with
 * whitespace around it, optionally inside ONE Markdown code fence (a first line "```" or
 * "```json", a last line "```") because chat models add one even when told not to; anything
 * else (prose around the object, two objects, comments) is refused.  The object must have
 * exactly the members job_id (integer >= 1), cluster (string), nodes (integer >= 0, at most
 * 2^32-1), score (number in [0, 1]) and reasoning (string), each once; text inside strings is
 * only data.  `len` bytes of `text` are read (NUL bytes are refused).  Pure: no logging, no
 * global state (the fuzz target).
 * Returns: TRUE with *out filled (clear it with dmas_llm_placement_clear()), or FALSE with
 * *out zeroed and *message (transfer full) saying what is wrong and where, e.g. "reply is not
 * JSON: expected ',' or '}' at byte 17" or "reply does not match the placement schema: unknown
 * member \"bid\"". */
gboolean dmas_llm_reply_parse (const gchar *text, gsize len, gsize max_bytes,
                               DmasLlmPlacement *out, gchar **message);

/* What a placement must be about: the job asked and the asking agent's cluster. */
typedef struct DmasLlmExpect {
  const DmasJob *job;
  const gchar *cluster_name;
  const DmasClusterView *cluster;
} DmasLlmExpect;

/* The simulation check: job_id is the job asked, cluster the agent's own name, and when
 * score > 0 the node count lies in [job nodes, cluster nodes] and the job's per-node cores,
 * memory and GPUs fit the cluster's nodes.  Score 0 is "declines" and needs no fit.
 * Returns: TRUE, or FALSE with *message (transfer full) "impossible placement: ...". */
gboolean dmas_llm_reply_check (const DmasLlmPlacement *placement, const DmasLlmExpect *expect,
                               gchar **message);

void dmas_llm_placement_clear (DmasLlmPlacement *placement);

G_END_DECLS

#endif /* DMAS_LLM_REPLY_H */
