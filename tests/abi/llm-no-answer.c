/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: an llm component that can neither answer nor speak HTTP. */
#include "abi-plugin.h"

static void *
no_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  (void) err;
  return NULL;
}

static void
no_destroy (void *self)
{
  (void) self;
}

static const DmasLlmOps no_answer_ops = {
  .struct_size = sizeof (DmasLlmOps),
  .create = no_create,
  .destroy = no_destroy,
  .http_build = NULL, /* and no answer, no http_parse */
};

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_LLM, "llm-no-answer", 1, 0, &no_answer_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("llm-no-answer", components);

ABI_DESCRIBE (desc)
