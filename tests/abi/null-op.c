/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a consensus component without its mandatory on_message op. */
#include "abi-plugin.h"

static const DmasConsensusOps no_message_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = stub_create,
  .destroy = stub_destroy,
  .propose = stub_propose,
  .on_message = NULL,
};

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_CONSENSUS, "null-op", DMAS_CONSENSUS_API_MAJOR,
                 DMAS_CONSENSUS_API_MINOR, &no_message_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("null-op", components);

ABI_DESCRIBE (desc)
