/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulated signatures: HMAC-SHA256 with per-agent secrets that only the host holds. */
#include "config.h"

#include <string.h>

#include "agents/signature.h"

#define SECRET_SIZE 32

struct DmasSigner {
  guint n_agents;
  guint8 *secrets; /* SECRET_SIZE bytes per agent */
};

DmasSigner *
dmas_signer_new (guint64 seed, guint n_agents)
{
  DmasSigner *signer = g_new0 (DmasSigner, 1);
  signer->n_agents = n_agents;
  signer->secrets = g_new (guint8, (gsize) MAX (n_agents, 1) * SECRET_SIZE);
  guint8 seed_le[8];
  for (guint i = 0; i < sizeof seed_le; i++)
    seed_le[i] = (guint8) (seed >> (8 * i));
  for (guint agent = 0; agent < n_agents; agent++)
    {
      g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree gchar *label = g_strdup_printf ("sign/%u", agent);
      g_checksum_update (sum, seed_le, sizeof seed_le);
      g_checksum_update (sum, (const guchar *) label, strlen (label));
      gsize len = SECRET_SIZE;
      g_checksum_get_digest (sum, signer->secrets + (gsize) agent * SECRET_SIZE, &len);
    }
  return signer;
}

void
dmas_signer_free (DmasSigner *signer)
{
  if (signer == NULL)
    return;
  g_free (signer->secrets);
  g_free (signer);
}

int
dmas_signer_sign (const DmasSigner *signer, DmasAgentId agent, const void *data, gsize len,
                  guint8 sig[DMAS_SIG_SIZE])
{
  if (agent >= signer->n_agents)
    return DMAS_ENOENT;
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256,
                                       signer->secrets + (gsize) agent * SECRET_SIZE,
                                       SECRET_SIZE);
  if (len > 0)
    g_hmac_update (hmac, data, len);
  gsize n = DMAS_SIG_SIZE;
  g_hmac_get_digest (hmac, sig, &n);
  return DMAS_OK;
}

int
dmas_signer_verify (const DmasSigner *signer, DmasAgentId agent, const void *data, gsize len,
                    const guint8 sig[DMAS_SIG_SIZE])
{
  guint8 expected[DMAS_SIG_SIZE];
  int status = dmas_signer_sign (signer, agent, data, len, expected);
  if (status != DMAS_OK)
    return status;
  /* Constant time, out of habit: nothing in a simulation can time it. */
  guint8 diff = 0;
  for (guint i = 0; i < DMAS_SIG_SIZE; i++)
    diff |= (guint8) (expected[i] ^ sig[i]);
  return diff == 0;
}
