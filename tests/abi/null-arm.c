/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile test plugin: a fault component without its mandatory arm op. */
#include "abi-plugin.h"

static const DmasFaultOps no_arm_ops = {
  .struct_size = sizeof (DmasFaultOps),
  .create = stub_create,
  .destroy = stub_destroy,
  .arm = NULL,
};

static const DmasComponent components[] = {
  ABI_COMPONENT (DMAS_KIND_FAULT, "null-arm", DMAS_FAULT_API_MAJOR, DMAS_FAULT_API_MINOR,
                 &no_arm_ops),
};
static const DmasPluginDesc desc = ABI_DESC ("null-arm", components);

ABI_DESCRIBE (desc)
