/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a parameter whose default does not parse as its type. */
#include "abi-plugin.h"

static const DmasParamSpec params[] = {
  { "deadline", DMAS_PARAM_DURATION, "fast", "how long to wait" },
  { NULL, 0, NULL, NULL },
};

static const DmasComponent components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "bad-param",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &stub_consensus_ops,
    .summary = "test component",
    .params = params,
  },
};
static const DmasPluginDesc desc = ABI_DESC ("bad-param", components);

ABI_DESCRIBE (desc)
