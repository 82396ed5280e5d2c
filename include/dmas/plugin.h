/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plugin descriptor: what a .so declares about itself before any of its code runs. */
#ifndef DMAS_PLUGIN_H
#define DMAS_PLUGIN_H

#include <dmas/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Versioning rules (see docs and README):
 *  - DMAS_ABI_MAJOR changes when DmasPluginDesc, DmasComponent or DmasHostApi change
 *    incompatibly; the host refuses any other major.
 *  - DMAS_ABI_MINOR grows when something is appended (a host call at the end of DmasHostApi);
 *    the host accepts plugins built against any minor <= its own.
 *  - Each kind's ops struct has its own DMAS_<KIND>_API_MAJOR/MINOR with the same rules. */
#define DMAS_PLUGIN_MAGIC 0x444d4153u /* "DMAS" */
#define DMAS_ABI_MAJOR 1
/* 1.0: descriptor, component, host table up to param_duration.
 * 1.1: host fault capability (fault_crash, fault_restart, agent_up), sign/verify,
 *      persist/restore.
 * 1.2: network, degradation and Byzantine faults (fault_link_add/remove, fault_partition,
 *      fault_heal, fault_degrade, fault_byzantine), accuse.
 * 1.3: llm_request, secret, bid_plausible; the llm kind. */
#define DMAS_ABI_MINOR 3

typedef enum {
  DMAS_KIND_BIDDING = 1,
  DMAS_KIND_CONSENSUS = 2,
  DMAS_KIND_FAULT = 3,
  DMAS_KIND_LLM = 4    /* providers of model answers (dmas/llm.h) */
} DmasKind;

/* Types of component parameters. */
typedef enum {
  DMAS_PARAM_INT = 1,      /* int64 */
  DMAS_PARAM_DOUBLE = 2,
  DMAS_PARAM_BOOL = 3,
  DMAS_PARAM_STRING = 4,
  DMAS_PARAM_DURATION = 5  /* DmasTime, written "150ms", "5s", ... in YAML */
} DmasParamType;

/* One parameter a component accepts.  The host rejects unknown keys in YAML (with a
 * did-you-mean), checks the type, fills the default, and prints it in the resolved config. */
typedef struct DmasParamSpec {
  const char *name;
  DmasParamType type;
  const char *default_value; /* written as in YAML, e.g. "50ms"; never NULL */
  const char *doc;
} DmasParamSpec;

/* A component is a class: ops->create() makes one instance per agent (a fault component:
 * one per entry of the config's `faults:` list). */
typedef struct DmasComponent {
  uint32_t struct_size;      /* sizeof (DmasComponent) as the plugin was built */
  DmasKind kind;
  const char *name;          /* unique within its kind, [a-z0-9-]+ */
  uint32_t api_major;        /* the kind's API version the plugin was built against */
  uint32_t api_minor;
  const void *ops;           /* DmasBiddingOps *, DmasConsensusOps *, ... by kind */
  const char *summary;       /* one line for `dmas plugins` */
  const DmasParamSpec *params; /* terminated by an entry with name == NULL; may be NULL */
} DmasComponent;

typedef struct DmasPluginDesc {
  uint32_t magic;            /* DMAS_PLUGIN_MAGIC */
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t struct_size;      /* sizeof (DmasPluginDesc) as the plugin was built */
  const char *name;          /* must equal the file's basename without .so */
  const char *version;
  const char *license;
  /* Optional, called once after every check passed, before any component is used.
   * Return DMAS_OK or a negative status with err filled. */
  int (*init) (DmasError *err);
  void (*fini) (void);       /* optional, called once at exit */
  const DmasComponent *components;
  uint32_t n_components;
} DmasPluginDesc;

/* Each plugin exports exactly this one function, and nothing else. */
#if defined(__GNUC__)
#define DMAS_PLUGIN_EXPORT __attribute__ ((visibility ("default")))
#else
#define DMAS_PLUGIN_EXPORT
#endif

typedef const DmasPluginDesc *(*DmasPluginDescribeFn) (void);
#define DMAS_PLUGIN_ENTRY "dmas_plugin_describe"

#ifdef __cplusplus
}
#endif

#endif /* DMAS_PLUGIN_H */
