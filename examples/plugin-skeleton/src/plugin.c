/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The skeleton plugin's descriptor: one .so, two components (bidding and consensus). */
#include <dmas/dmas.h>

#include "skeleton.h"

/* The host reads this before running any other code of the module: magic and ABI first, then
 * each component's kind API version and ops struct size.  Build against a newer SDK and the
 * numbers below follow (they are the SDK's macros); see docs/plugin-guide.md, "Versioning". */
static const DmasComponent components[] = {
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_BIDDING,
    .name = "fair-share",
    .api_major = DMAS_BIDDING_API_MAJOR,
    .api_minor = DMAS_BIDDING_API_MINOR,
    .ops = &skeleton_fair_share_ops,
    .summary = "idle share of the cluster divided by (1 + waiting jobs); 0 if it cannot fit",
    .params = skeleton_fair_share_params,
  },
  {
    .struct_size = sizeof (DmasComponent),
    .kind = DMAS_KIND_CONSENSUS,
    .name = "leader-decides",
    .api_major = DMAS_CONSENSUS_API_MAJOR,
    .api_minor = DMAS_CONSENSUS_API_MINOR,
    .ops = &skeleton_leader_decides_ops,
    .summary = "the slot's home collects every bid, decides the best, tells the others",
    .params = skeleton_leader_decides_params,
  },
};

static const DmasPluginDesc descriptor = {
  .magic = DMAS_PLUGIN_MAGIC,
  .abi_major = DMAS_ABI_MAJOR,
  .abi_minor = DMAS_ABI_MINOR,
  .struct_size = sizeof (DmasPluginDesc),
  .name = "skeleton", /* must be the file's name: skeleton.so */
  .version = "0.1.0",
  .license = "GPL-3.0-or-later",
  .init = NULL,
  .fini = NULL,
  .components = components,
  .n_components = sizeof components / sizeof components[0],
};

DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);

const DmasPluginDesc *
dmas_plugin_describe (void)
{
  return &descriptor;
}
