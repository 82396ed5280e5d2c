/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reply parser's fuzz target: one input through dmas_llm_reply_parse + check. */

/* Two builds: the corpus runner (test-fuzz-llm-reply, run by make check) links this file;
 * with clang, a libFuzzer binary can be built by hand from the same file:
 *   clang -fsanitize=fuzzer,address -DFUZZ_LLM_REPLY_LIBFUZZER -I. -I$SRC/include \
 *     -I$SRC/framework $(pkg-config --cflags glib-2.0) $SRC/tests/fuzz/fuzz-llm-reply.c \
 *     $SRC/framework/llm/reply.c $SRC/framework/llm/reply-json.c \
 *     $(pkg-config --libs glib-2.0) -lm -o fuzz-llm-reply
 *   ./fuzz-llm-reply $SRC/tests/fuzz/corpus/llm-reply */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-llm-reply.h"
#include "llm/reply.h"

/* Invariant violations abort with a message (not g_assert: it may be compiled out, and the
 * libFuzzer build has no GTest). */
#define REQUIRE(cond) \
  do { \
    if (!(cond)) \
      { \
        fprintf (stderr, "fuzz-llm-reply: invariant failed: %s (%s:%d)\n", #cond, __FILE__, \
                 __LINE__); \
        abort (); \
      } \
  } while (0)

static const DmasJob JOB = { .id = 7, .nodes = 2, .cores = 16, .memory_gb = 64, .gpus = 2 };
static const DmasClusterView CLUSTER = { .nodes = 8, .cores_per_node = 32,
                                         .memory_gb_per_node = 128, .gpus_per_node = 4 };

gboolean
fuzz_llm_reply_one (const guint8 *data, gsize len)
{
  DmasLlmPlacement p;
  DmasLlmExpect expect = { .job = &JOB, .cluster_name = "gpu-a", .cluster = &CLUSTER };
  gchar *message = NULL;
  gboolean ok;

  memset (&p, 0xa5, sizeof p); /* the parser must set every field */
  ok = dmas_llm_reply_parse ((const gchar *) data, len, FUZZ_LLM_REPLY_CAP, &p, &message);
  if (!ok)
    {
      REQUIRE (message != NULL && message[0] != '\0');
      REQUIRE (g_utf8_validate (message, -1, NULL));
      REQUIRE (p.cluster == NULL && p.reasoning == NULL && p.job_id == 0 && p.nodes == 0);
      g_free (message);
      return FALSE;
    }
  REQUIRE (message == NULL);
  REQUIRE (len <= FUZZ_LLM_REPLY_CAP);
  REQUIRE (p.job_id >= 1);
  REQUIRE (isfinite (p.score) && p.score >= 0 && p.score <= 1);
  REQUIRE (p.cluster != NULL && g_utf8_validate (p.cluster, -1, NULL));
  REQUIRE (g_utf8_strlen (p.cluster, -1) <= DMAS_LLM_CLUSTER_MAX);
  REQUIRE (p.reasoning != NULL && g_utf8_validate (p.reasoning, -1, NULL));
  REQUIRE (g_utf8_strlen (p.reasoning, -1) <= DMAS_LLM_REASONING_MAX);
  if (dmas_llm_reply_check (&p, &expect, &message))
    {
      REQUIRE (message == NULL);
      REQUIRE (p.job_id == JOB.id && strcmp (p.cluster, "gpu-a") == 0);
      REQUIRE (p.score == 0 || (p.nodes >= JOB.nodes && p.nodes <= CLUSTER.nodes));
    }
  else
    {
      REQUIRE (message != NULL && g_str_has_prefix (message, "impossible placement: "));
      REQUIRE (g_utf8_validate (message, -1, NULL));
      g_free (message);
    }
  dmas_llm_placement_clear (&p);
  return TRUE;
}

#ifdef FUZZ_LLM_REPLY_LIBFUZZER
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_llm_reply_one (data, size);
  return 0;
}
#endif
