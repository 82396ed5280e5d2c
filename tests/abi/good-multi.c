/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test plugin with several components of both kinds, out of order, one with parameters. */
#include "abi-plugin.h"

static const DmasParamSpec alpha_params[] = {
  { "deadline", DMAS_PARAM_DURATION, "50ms", "how long the home agent collects bids" },
  { "min-bids", DMAS_PARAM_INT, "1", "bids needed before awarding early" },
  { "ratio", DMAS_PARAM_DOUBLE, "0.5", "a fraction" },
  { "verbose", DMAS_PARAM_BOOL, "false", "log every round" },
  { "label", DMAS_PARAM_STRING, "", "free text" },
  { NULL, 0, NULL, NULL },
};

static int
ok_init (DmasError *err)
{
  (void) err;
  return DMAS_OK;
}

static void
ok_fini (void)
{
}

static const DmasComponent components[] = {
  ABI_CONSENSUS ("zeta"),
  ABI_BIDDING ("beta"),
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "alpha",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &stub_consensus_ops,
    .summary = "alpha test protocol",
    .params = alpha_params,
  },
};
static const DmasPluginDesc desc = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "good-multi",
  .version = "2.3.4",
  .license = "GPL-3.0-or-later",
  .init = ok_init,
  .fini = ok_fini,
  .components = components,
  .n_components = 3,
};

ABI_DESCRIBE (desc)
