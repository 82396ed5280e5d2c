/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the Byzantine tests: in-process runs of the configs of tests/faults-byz. */
#ifndef DMAS_TESTS_BYZ_RUN_H
#define DMAS_TESTS_BYZ_RUN_H

#include <glib.h>

#include "agents/sim.h"
#include "config/config.h"
#include "metrics/metrics.h"
#include "plugin/registry.h"

G_BEGIN_DECLS

/* The registry (scanned once: consensus, bidding and fault plugins of the build, and this
 * directory's check-only byz-probe) and the source dir.  Every helper asserts on failure. */
typedef struct {
  DmasRegistry *registry;
  gchar *srcdir;
} ByzEnv;

ByzEnv *byz_env_new (void);
void byz_env_free (ByzEnv *env);

/* One finished run: the config outlives the sim that borrows it. */
typedef struct {
  DmasConfig *config;
  DmasSim *sim;
  DmasRunStatus status;
  gchar *diagnosis;       /* (nullable) */
} ByzRun;

/* Runs tests/faults-byz/`config` with run seed `seed`, `consensus` and the extra --set values
 * `sets` (nullable, NULL-terminated), to the end.  Clear `run` with byz_run_clear(). */
void byz_run (const ByzEnv *env, const gchar *config, const gchar *consensus, guint64 seed,
              const gchar *const *sets, ByzRun *run);
void byz_run_clear (ByzRun *run);

/* Counter `name` that plugins reported through metric(), 0 when none did. */
gdouble byz_plugin_metric (const ByzRun *run, const gchar *name);
/* The run's totals (jobs_completed, jobs_lost, ...). */
void byz_summary (const ByzRun *run, DmasMetricsSummary *out);

G_END_DECLS

#endif /* DMAS_TESTS_BYZ_RUN_H */
