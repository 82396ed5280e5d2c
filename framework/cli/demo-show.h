/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `dmas demo`: prints what one scenario's run does as it happens, and tallies it. */
#ifndef DMAS_CLI_DEMO_SHOW_H
#define DMAS_CLI_DEMO_SHOW_H

#include <stdio.h>

#include <glib.h>

#include "agents/sim.h"
#include "config/config.h"

G_BEGIN_DECLS

/* How the output looks and how fast it goes. */
typedef struct {
  FILE *out;
  gboolean colour;      /* ANSI colours (stdout is a terminal and NO_COLOR is unset) */
  gboolean fast;        /* no pauses between the steps */
} DmasDemoStyle;

/* One claim a Byzantine agent made: a bid > 0 for a job (first one per slot and agent). */
typedef struct {
  DmasJobId job;
  guint32 epoch;
  DmasAgentId agent;
  gdouble score;
  gboolean impossible;   /* its cluster cannot run the job at all */
  gboolean byzantine;    /* the agent was Byzantine when it bid */
} DmasDemoClaim;

/* The first decision of a slot, and whether every later one agreed. */
typedef struct {
  DmasJobId job;
  guint32 epoch;
  DmasAgentId winner;
  gdouble score;
  guint deciders;
  gboolean disagreed;
} DmasDemoDecision;

/* What a scenario showed.  The arrays are in the order the events happened. */
typedef struct DmasDemoShow {
  DmasDemoStyle style;
  DmasSim *sim;               /* borrowed */
  GArray *claims;             /* DmasDemoClaim: every bid > 0 (first per slot and agent) */
  GArray *decisions;          /* DmasDemoDecision, one per slot */
  GPtrArray *systems;         /* gchar*: the system messages printed so far */
  gboolean *byzantine;        /* per agent: Byzantine now */
  guint llm_calls, llm_invalid, llm_failed;
  guint jobs_started, jobs_finished;
} DmasDemoShow;

/* Returns: (transfer full) the state of one scenario; sim borrowed. */
DmasDemoShow *dmas_demo_show_new (const DmasDemoStyle *style, DmasSim *sim);
void dmas_demo_show_free (DmasDemoShow *show);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DmasDemoShow, dmas_demo_show_free)

/* Returns: (transfer none) the observer to pass with the show to dmas_sim_set_observer(). */
const DmasSimObserver *dmas_demo_show_observer (void);

/* Waits `ms` milliseconds unless the style is fast (the output is flushed first). */
void dmas_demo_pause (const DmasDemoStyle *style, guint ms);
/* ANSI sequences for dmas_demo_sgr(). */
#define DMAS_DEMO_RESET "\033[0m"
#define DMAS_DEMO_BOLD "\033[1m"
#define DMAS_DEMO_DIM "\033[2m"
#define DMAS_DEMO_RED "\033[31m"
#define DMAS_DEMO_GREEN "\033[32m"
#define DMAS_DEMO_YELLOW "\033[33m"
#define DMAS_DEMO_BLUE "\033[34m"
#define DMAS_DEMO_MAGENTA "\033[35m"
#define DMAS_DEMO_CYAN "\033[36m"
/* Returns: (transfer none) `sequence` (one of the above), or "" without colour. */
const gchar *dmas_demo_sgr (const DmasDemoStyle *style, const gchar *sequence);
/* Returns: (transfer full) "agent 3 (Storage)". */
gchar *dmas_demo_agent (const DmasDemoShow *show, DmasAgentId agent);

G_END_DECLS

#endif /* DMAS_CLI_DEMO_SHOW_H */
