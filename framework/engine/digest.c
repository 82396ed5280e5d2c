/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trace digest: a SHA-256 over a fast order-sensitive fold of every dispatched event. */
#include "config.h"

#include <string.h>

#include "engine/engine-private.h"

/* Why not SHA-256 on every event: a 24-byte update per event costs about as much as the whole
 * rest of a dispatch, and the engine must stay within 80 % of a bare heap.  So each event is
 * folded into a 64-bit state by dmas_engine_digest_fold() (engine-private.h: two
 * multiply-xorshift rounds over time|class and kind|agent), and that state goes into SHA-256
 * every 256 events and once more, with the event count, when the digest is read.  The fold is a
 * bijection of the state for each event, so one changed, missing or extra event always changes
 * the digest; several changes could only cancel out through a 64-bit collision.  That is the
 * purpose here (noticing that a run did not replay), not resisting an adversary.  Every word is
 * hashed little-endian, so the digest is the same on every machine. */

#define TRACE_DOMAIN "dmas-trace-v1"
#define TRACE_MIX_INIT G_GUINT64_CONSTANT (0x6a09e667f3bcc908)

static void
update_u64 (GChecksum *sum, guint64 value)
{
  guint64 le = GUINT64_TO_LE (value);

  g_checksum_update (sum, (const guchar *) &le, sizeof le);
}

void
dmas_engine_digest_init (DmasEngine *engine)
{
  engine->trace_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (engine->trace_sum, (const guchar *) TRACE_DOMAIN, strlen (TRACE_DOMAIN));
  engine->trace_mix = TRACE_MIX_INIT;
}

void
dmas_engine_digest_flush (DmasEngine *engine)
{
  update_u64 (engine->trace_sum, engine->trace_mix);
}

gchar *
dmas_engine_digest (DmasEngine *engine)
{
  /* A copy, so reading the digest mid-run leaves the running one exactly as it was. */
  g_autoptr (GChecksum) sum = g_checksum_copy (engine->trace_sum);

  update_u64 (sum, engine->trace_mix);
  update_u64 (sum, engine->n_events);
  return g_strdup (g_checksum_get_string (sum));
}
