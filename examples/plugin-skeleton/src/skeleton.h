/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the skeleton's two components share with its descriptor (src/plugin.c). */
#ifndef SKELETON_H
#define SKELETON_H

#include <stdlib.h>

#include <dmas/dmas.h>

/* Zero-filled memory, or NULL. */
static inline void *
skeleton_alloc (size_t size)
{
  return calloc (1, size);
}

static inline void
skeleton_free (void *p)
{
  free (p);
}

/* Defined in src/fair-share.c and src/leader-decides.c; hidden from the dynamic symbol table
 * (the module is built with -fvisibility=hidden: only dmas_plugin_describe is exported). */
extern const DmasBiddingOps skeleton_fair_share_ops;
extern const DmasParamSpec skeleton_fair_share_params[];
extern const DmasConsensusOps skeleton_leader_decides_ops;
extern const DmasParamSpec skeleton_leader_decides_params[];

#endif /* SKELETON_H */
