/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encoding of the host's scheduling messages (announce, finish). */
#include "config.h"

#include <dmas/wire.h>

#include "agents/sched_msg.h"

/* ANNOUNCE: id u64 | submit u64 | walltime u64 | runtime u64 | memory_gb f64 | nodes u32 |
 * cores u32 | gpus u32 | priority i32 | type u32 | home u32. */
void
dmas_sched_encode_announce (const DmasJob *job, guint8 out[DMAS_SCHED_ANNOUNCE_LEN])
{
  dmas_put_u64 (out + 0, job->id);
  dmas_put_u64 (out + 8, job->submit);
  dmas_put_u64 (out + 16, job->walltime);
  dmas_put_u64 (out + 24, job->runtime);
  dmas_put_double (out + 32, job->memory_gb);
  dmas_put_u32 (out + 40, job->nodes);
  dmas_put_u32 (out + 44, job->cores);
  dmas_put_u32 (out + 48, job->gpus);
  dmas_put_u32 (out + 52, (guint32) job->priority);
  dmas_put_u32 (out + 56, (guint32) job->type);
  dmas_put_u32 (out + 60, job->home);
}

gboolean
dmas_sched_decode_announce (const guint8 *body, gsize len, DmasJob *out)
{
  if (len != DMAS_SCHED_ANNOUNCE_LEN)
    return FALSE;
  out->id = dmas_get_u64 (body + 0);
  out->submit = dmas_get_u64 (body + 8);
  out->walltime = dmas_get_u64 (body + 16);
  out->runtime = dmas_get_u64 (body + 24);
  out->memory_gb = dmas_get_double (body + 32);
  out->nodes = dmas_get_u32 (body + 40);
  out->cores = dmas_get_u32 (body + 44);
  out->gpus = dmas_get_u32 (body + 48);
  out->priority = (gint32) dmas_get_u32 (body + 52);
  guint32 type = dmas_get_u32 (body + 56);
  out->home = dmas_get_u32 (body + 60);
  if (type > DMAS_JOB_GENERAL)
    return FALSE;
  out->type = (DmasJobType) type;
  return TRUE;
}

/* FINISH: id u64 | start u64 | end u64 | agent u32 | killed u32. */
void
dmas_sched_encode_finish (const DmasSchedFinish *msg, guint8 out[DMAS_SCHED_FINISH_LEN])
{
  dmas_put_u64 (out + 0, msg->job);
  dmas_put_u64 (out + 8, msg->start);
  dmas_put_u64 (out + 16, msg->end);
  dmas_put_u32 (out + 24, msg->agent);
  dmas_put_u32 (out + 28, msg->killed ? 1u : 0u);
}

gboolean
dmas_sched_decode_finish (const guint8 *body, gsize len, DmasSchedFinish *out)
{
  if (len != DMAS_SCHED_FINISH_LEN)
    return FALSE;
  out->job = dmas_get_u64 (body + 0);
  out->start = dmas_get_u64 (body + 8);
  out->end = dmas_get_u64 (body + 16);
  out->agent = dmas_get_u32 (body + 24);
  guint32 killed = dmas_get_u32 (body + 28);
  if (killed > 1)
    return FALSE;
  out->killed = killed != 0;
  return TRUE;
}
