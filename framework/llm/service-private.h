/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The LLM service's state, shared by service.c (calls) and exchange.c (talking to providers). */
#ifndef DMAS_LLM_SERVICE_PRIVATE_H
#define DMAS_LLM_SERVICE_PRIVATE_H

#include "llm/record.h"
#include "llm/service.h"
#include "llm/template.h"

G_BEGIN_DECLS

struct DmasLlmService {
  const DmasLlmSettings *settings;  /* borrowed */
  const DmasLlmProvider *provider;  /* borrowed */
  gchar *prompts_dir;
  DmasLlmTemplate *system;
  DmasLlmTemplate *compromised;
  GPtrArray *templates;             /* DmasLlmTemplate*, the asked ones, loaded on first use */
  DmasLlmRecord *record;            /* NULL when llm.record is "" */
  GRand *jitter;                    /* backoff jitter only: shapes wall time, never the run */
  gint64 wall_us;                   /* real time spent in exchanges (the time budget) */
  DmasLlmCounters counters;
  DmasLlmObserverFn observer;
  gpointer observer_data;
};

/* What a provider made of one request. */
typedef struct DmasLlmExchange {
  gchar *content;                   /* the reply text, NULL when there was none */
  gchar *failure;                   /* why there was none */
  guint tokens_in, tokens_out;
  DmasTime latency;                 /* provider-reported (replay) or measured; 0 = none */
  guint attempts;
} DmasLlmExchange;

/* Offline providers: ops->answer. */
void dmas_llm_exchange_offline (DmasLlmService *service, const DmasLlmRequest *req,
                                DmasLlmExchange *ex);
/* Online providers: http_build, the HTTP attempts (budget, retries, backoff), http_parse. */
void dmas_llm_exchange_online (DmasLlmService *service, const DmasLlmRequest *req,
                               DmasLlmExchange *ex);
void dmas_llm_exchange_clear (DmasLlmExchange *ex);

G_END_DECLS

#endif /* DMAS_LLM_SERVICE_PRIVATE_H */
