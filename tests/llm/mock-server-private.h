/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Between the mock LLM server's transport (mock-server.c) and its replies (mock-replies.c). */
#ifndef DMAS_TESTS_LLM_MOCK_SERVER_PRIVATE_H
#define DMAS_TESTS_LLM_MOCK_SERVER_PRIVATE_H

#include "mock-server.h"

G_BEGIN_DECLS

/* The placement the default responder answers for a request body (see mock-server.h).
 * Returns: (transfer full) the placement JSON text, or NULL with *error_message set to a JSON
 * error body when the prompt lacks `Job id:` or `Your cluster:`. */
gchar *mock_llm_default_placement (const gchar *body, gchar **error_message);

/* The default responder: fills *status and *reply (transfer full) for a request.  Returns
 * FALSE when it answered an error (404, 400). */
gboolean mock_llm_default_reply (const gchar *method, const gchar *target, const gchar *body,
                                 const gchar *const *models, guint *status, gchar **reply);

G_END_DECLS

#endif /* DMAS_TESTS_LLM_MOCK_SERVER_PRIVATE_H */
