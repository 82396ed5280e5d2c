/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What platform.c and platform-preset.c share. */
#ifndef DMAS_WORLD_PLATFORM_PRIVATE_H
#define DMAS_WORLD_PLATFORM_PRIVATE_H

#include "world/platform.h"

G_BEGIN_DECLS

/* An empty platform whose cluster array frees the clusters' names.  Returns: (transfer full). */
DmasPlatform *dmas_platform_alloc (void);
/* Frees a DmasCluster's name (a GArray clear function). */
void dmas_cluster_clear (gpointer data);

G_END_DECLS

#endif /* DMAS_WORLD_PLATFORM_PRIVATE_H */
