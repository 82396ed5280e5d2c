/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: ops whose struct_size is too large to be anything but garbage. */
#include "abi-plugin.h"

static const DmasConsensusOps huge_ops = {
  .struct_size = 1u << 20,
  .create = stub_create,
  .destroy = stub_destroy,
  .propose = stub_propose,
  .on_message = stub_on_message,
};

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_CONSENSUS, "ops-huge", DMAS_CONSENSUS_API_MAJOR,
                 DMAS_CONSENSUS_API_MINOR, &huge_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("ops-huge", components);

ABI_DESCRIBE (desc)
