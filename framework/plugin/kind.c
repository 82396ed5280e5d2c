/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The component kinds this host knows: names, API versions, ops sizes and mandatory ops. */
#include "config.h"

#include <string.h>

#include "plugin/plugin-private.h"

static const gsize bidding_mandatory[] = {
  offsetof (DmasBiddingOps, create),
  offsetof (DmasBiddingOps, destroy),
  offsetof (DmasBiddingOps, bid),
};
static const gchar *const bidding_mandatory_names[] = { "create", "destroy", "bid" };

static const gsize consensus_mandatory[] = {
  offsetof (DmasConsensusOps, create),
  offsetof (DmasConsensusOps, destroy),
  offsetof (DmasConsensusOps, propose),
  offsetof (DmasConsensusOps, on_message),
};
static const gchar *const consensus_mandatory_names[] = { "create", "destroy", "propose",
                                                          "on_message" };

static const gsize fault_mandatory[] = {
  offsetof (DmasFaultOps, create),
  offsetof (DmasFaultOps, destroy),
  offsetof (DmasFaultOps, arm),
};
static const gchar *const fault_mandatory_names[] = { "create", "destroy", "arm" };

/* Plus one rule no offset list can say: an llm component has `answer` or both `http_build`
 * and `http_parse` (dmas_kind_check_ops). */
static const gsize llm_mandatory[] = {
  offsetof (DmasLlmOps, create),
  offsetof (DmasLlmOps, destroy),
};
static const gchar *const llm_mandatory_names[] = { "create", "destroy" };

static const DmasKindInfo kinds[] = {
  { DMAS_KIND_BIDDING, "bidding", DMAS_BIDDING_API_MAJOR, DMAS_BIDDING_API_MINOR,
    DMAS_BIDDING_OPS_MIN_SIZE, sizeof (DmasBiddingOps), bidding_mandatory,
    bidding_mandatory_names, G_N_ELEMENTS (bidding_mandatory) },
  { DMAS_KIND_CONSENSUS, "consensus", DMAS_CONSENSUS_API_MAJOR, DMAS_CONSENSUS_API_MINOR,
    DMAS_CONSENSUS_OPS_MIN_SIZE, sizeof (DmasConsensusOps), consensus_mandatory,
    consensus_mandatory_names, G_N_ELEMENTS (consensus_mandatory) },
  { DMAS_KIND_FAULT, "fault", DMAS_FAULT_API_MAJOR, DMAS_FAULT_API_MINOR,
    DMAS_FAULT_OPS_MIN_SIZE, sizeof (DmasFaultOps), fault_mandatory, fault_mandatory_names,
    G_N_ELEMENTS (fault_mandatory) },
  { DMAS_KIND_LLM, "llm", DMAS_LLM_API_MAJOR, DMAS_LLM_API_MINOR, DMAS_LLM_OPS_MIN_SIZE,
    sizeof (DmasLlmOps), llm_mandatory, llm_mandatory_names, G_N_ELEMENTS (llm_mandatory) },
};

const DmasKindInfo *
dmas_kind_info (DmasKind kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return &kinds[i];
  return NULL;
}

const gchar *
dmas_kind_to_string (DmasKind kind)
{
  const DmasKindInfo *info = dmas_kind_info (kind);

  if (info != NULL)
    return info->name;
  return "unknown";
}

gboolean
dmas_kind_from_string (const gchar *text, DmasKind *out)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (text, kinds[i].name) == 0)
      {
        if (out != NULL)
          *out = kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

gboolean
dmas_kind_check_ops (const DmasKindInfo *kind, const void *ops, const gchar **problem)
{
  if (kind->kind != DMAS_KIND_LLM)
    return TRUE;
  const DmasLlmOps *llm = ops;
  gboolean online = llm->http_build != NULL || llm->http_parse != NULL;
  if (llm->answer != NULL && online)
    *problem = "has both 'answer' and 'http_build'/'http_parse' (an llm component is offline "
               "or online, not both)";
  else if (llm->answer == NULL && (llm->http_build == NULL || llm->http_parse == NULL))
    *problem = "needs 'answer', or both 'http_build' and 'http_parse'";
  else if ((llm->probe_build == NULL) != (llm->probe_parse == NULL))
    *problem = "has only one of 'probe_build' and 'probe_parse'";
  else
    return TRUE;
  return FALSE;
}

gboolean
dmas_component_name_valid (const gchar *name)
{
  gsize len = 0;

  if (name == NULL)
    return FALSE;
  /* Bounded so that a garbage pointer to a long run of bytes is refused quickly. */
  for (const gchar *p = name; *p != '\0'; p++, len++)
    if (len >= DMAS_COMPONENT_NAME_MAX
        || !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
      return FALSE;
  return len > 0;
}
