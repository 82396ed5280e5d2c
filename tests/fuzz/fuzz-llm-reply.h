/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reply parser's fuzz target: one input through dmas_llm_reply_parse + check. */
#ifndef DMAS_TESTS_FUZZ_LLM_REPLY_H
#define DMAS_TESTS_FUZZ_LLM_REPLY_H

#include <glib.h>

G_BEGIN_DECLS

/* Size cap the target parses under (a corpus file may be bigger: then it must be refused). */
#define FUZZ_LLM_REPLY_CAP 65536

/* Parses data[0..len) as a reply and checks the invariants of the result: a refusal has a
 * non-empty UTF-8 message and a zeroed placement; an acceptance satisfies the closed schema
 * (job_id >= 1, score finite in [0, 1], strings valid UTF-8 within their maximum lengths) and
 * survives the simulation check against a fixed job and cluster.  Aborts on a violation.
 * Returns: TRUE when the reply was accepted. */
gboolean fuzz_llm_reply_one (const guint8 *data, gsize len);

G_END_DECLS

#endif /* DMAS_TESTS_FUZZ_LLM_REPLY_H */
