/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulated signatures: HMAC-SHA256 with per-agent secrets that only the host holds. */
#ifndef DMAS_AGENTS_SIGNATURE_H
#define DMAS_AGENTS_SIGNATURE_H

#include <glib.h>

#include <dmas/host.h>

G_BEGIN_DECLS

/* The secrets of agents 0 .. n_agents-1, each SHA-256(seed as 8 little-endian bytes ‖
 * "sign/<agent>"): fixed by the run seed, so runs are reproducible, and never handed to a
 * plugin, so an agent can produce its own signatures only. */
typedef struct DmasSigner DmasSigner;

/* Returns: (transfer full). */
DmasSigner *dmas_signer_new (guint64 seed, guint n_agents);
void dmas_signer_free (DmasSigner *signer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasSigner, dmas_signer_free)

/* `agent`'s signature of `data` (HMAC-SHA256 keyed with its secret) into `sig`.
 * Returns: DMAS_OK, or DMAS_ENOENT for an agent the signer does not know. */
int dmas_signer_sign (const DmasSigner *signer, DmasAgentId agent, const void *data, gsize len,
                      guint8 sig[DMAS_SIG_SIZE]);
/* Returns: 1 when `sig` is `agent`'s signature of `data`, 0 when not, DMAS_ENOENT for an
 * agent the signer does not know. */
int dmas_signer_verify (const DmasSigner *signer, DmasAgentId agent, const void *data,
                        gsize len, const guint8 sig[DMAS_SIG_SIZE]);

G_END_DECLS

#endif /* DMAS_AGENTS_SIGNATURE_H */
