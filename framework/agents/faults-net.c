/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Network faults (link faults, partitions): not built yet; every call refuses. */
#include "config.h"

#include "agents/faults.h"
#include "agents/sim-private.h"

static int
not_yet (DmasHostCtx *ctx, const gchar *call)
{
  dmas_sim_log (ctx->sim, DMAS_AGENT_NONE, "%s: %s is not supported yet",
                dmas_host_ctx_name (ctx), call);
  return DMAS_ESTATE;
}

int
dmas_faults_link_add (DmasHostCtx *ctx, const DmasLinkFault *fault, guint64 *id_out)
{
  (void) fault;
  (void) id_out;
  return not_yet (ctx, "fault_link_add");
}

int
dmas_faults_link_remove (DmasHostCtx *ctx, guint64 id)
{
  (void) id;
  return not_yet (ctx, "fault_link_remove");
}

int
dmas_faults_partition (DmasHostCtx *ctx, const guint8 *reach, guint32 n, DmasAgentId with,
                       guint64 *id_out)
{
  (void) reach;
  (void) n;
  (void) with;
  (void) id_out;
  return not_yet (ctx, "fault_partition");
}

int
dmas_faults_heal (DmasHostCtx *ctx, guint64 id)
{
  (void) id;
  return not_yet (ctx, "fault_heal");
}
