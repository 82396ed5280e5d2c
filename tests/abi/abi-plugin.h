/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Valid stub ops and descriptor macros shared by the hostile test plugins (one defect each). */
#ifndef DMAS_TEST_ABI_PLUGIN_H
#define DMAS_TEST_ABI_PLUGIN_H

#include <stdlib.h>

#include <dmas/dmas.h>

/* Each plugin uses only some of the stubs below. */
#define ABI_UNUSED __attribute__ ((unused))

static ABI_UNUSED void *
stub_create (DmasCtx *ctx, DmasError *err)
{
  (void) ctx;
  (void) err;
  return calloc (1, 1);
}

static ABI_UNUSED void
stub_destroy (void *self)
{
  free (self);
}

static ABI_UNUSED int
stub_bid (void *self, DmasCtx *ctx, const DmasJob *job, const DmasClusterView *cluster,
          DmasBid *out, DmasError *err)
{
  (void) self;
  (void) ctx;
  (void) job;
  (void) cluster;
  (void) err;
  out->score = 0.0;
  return DMAS_OK;
}

static ABI_UNUSED int
stub_propose (void *self, DmasCtx *ctx, const DmasSlot *slot, const DmasBid *bid)
{
  (void) self;
  (void) ctx;
  (void) slot;
  (void) bid;
  return DMAS_OK;
}

static ABI_UNUSED int
stub_on_message (void *self, DmasCtx *ctx, DmasAgentId src, uint32_t type, const void *body,
                 size_t len)
{
  (void) self;
  (void) ctx;
  (void) src;
  (void) type;
  (void) body;
  (void) len;
  return DMAS_OK;
}

static ABI_UNUSED const DmasBiddingOps stub_bidding_ops = {
  .struct_size = sizeof (DmasBiddingOps),
  .create = stub_create,
  .destroy = stub_destroy,
  .bid = stub_bid,
};

static ABI_UNUSED const DmasConsensusOps stub_consensus_ops = {
  .struct_size = sizeof (DmasConsensusOps),
  .create = stub_create,
  .destroy = stub_destroy,
  .propose = stub_propose,
  .on_message = stub_on_message,
};

#define ABI_COMPONENT(KIND, NAME, MAJOR, MINOR, OPS)                                          \
  {                                                                                           \
    .struct_size = sizeof (DmasComponent), .kind = (KIND), .name = (NAME),                   \
    .api_major = (MAJOR), .api_minor = (MINOR), .ops = (OPS), .summary = "test component",    \
    .params = NULL                                                                            \
  }
#define ABI_BIDDING(NAME)                                                                     \
  ABI_COMPONENT (DMAS_KIND_BIDDING, NAME, DMAS_BIDDING_API_MAJOR, DMAS_BIDDING_API_MINOR,      \
                 &stub_bidding_ops)
#define ABI_CONSENSUS(NAME)                                                                   \
  ABI_COMPONENT (DMAS_KIND_CONSENSUS, NAME, DMAS_CONSENSUS_API_MAJOR,                         \
                 DMAS_CONSENSUS_API_MINOR, &stub_consensus_ops)

/* A descriptor with every field spelled out, for plugins whose defect is in the descriptor. */
#define ABI_DESC_FULL(MAGIC, MAJOR, MINOR, SIZE, NAME, INIT, COMPONENTS)                       \
  {                                                                                           \
    .magic = (MAGIC), .abi_major = (MAJOR), .abi_minor = (MINOR), .struct_size = (SIZE),      \
    .name = (NAME), .version = "0.0.1", .license = "GPL-3.0-or-later", .init = (INIT),        \
    .fini = NULL, .components = (COMPONENTS),                                                 \
    .n_components = sizeof (COMPONENTS) / sizeof ((COMPONENTS)[0])                            \
  }
#define ABI_DESC(NAME, COMPONENTS)                                                            \
  ABI_DESC_FULL (DMAS_PLUGIN_MAGIC, DMAS_ABI_MAJOR, DMAS_ABI_MINOR, sizeof (DmasPluginDesc),  \
                 NAME, NULL, COMPONENTS)

/* Defines the entry point returning `DESC`. */
#define ABI_DESCRIBE(DESC)                                                                    \
  DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void);                       \
  DMAS_PLUGIN_EXPORT const DmasPluginDesc *dmas_plugin_describe (void) { return &(DESC); }

#endif /* DMAS_TEST_ABI_PLUGIN_H */
