/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host's LLM calls (host-llm.c) and the run's llm provider. */
#ifndef DMAS_AGENTS_HOST_LLM_H
#define DMAS_AGENTS_HOST_LLM_H

#include <glib.h>

#include "agents/host_api.h"
#include "agents/sim.h"

G_BEGIN_DECLS

/* The DmasHostApi entries (host_api.c puts them in the table). */
int dmas_host_llm_request (DmasCtx *ctx, const DmasLlmAsk *ask, DmasLlmReplyFn fn, void *data,
                           DmasFreeFn free_fn);
const char *dmas_host_secret (DmasCtx *ctx, const char *name);

/* Reads the config's llm section, loads the secrets, finds and creates the provider
 * (llm.provider in `registry`; nothing when registry is NULL) and the service.  Returns FALSE
 * with error set naming the config and the fix. */
gboolean dmas_sim_llm_setup (DmasSim *sim, DmasRegistry *registry, GError **error);
/* Destroys the service, the provider instance and the secrets (idempotent). */
void dmas_sim_llm_teardown (DmasSim *sim);
/* The service's observer: forwards to the sim's observer. */
void dmas_sim_observe_llm (gpointer data, const DmasLlmCall *call,
                           const DmasLlmOutcome *outcome);

G_END_DECLS

#endif /* DMAS_AGENTS_HOST_LLM_H */
