/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Basic types shared by the host and every plugin: time, ids, status codes, error buffer. */
#ifndef DMAS_TYPES_H
#define DMAS_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Virtual time in nanoseconds since the start of the run.  Never wall-clock time. */
typedef uint64_t DmasTime;

#define DMAS_TIME_NONE UINT64_MAX
#define DMAS_NS ((DmasTime) 1)
#define DMAS_US ((DmasTime) 1000)
#define DMAS_MS ((DmasTime) 1000000)
#define DMAS_S ((DmasTime) 1000000000)

/* Agents are numbered 0 .. n_agents-1 in the order of the platform's clusters. */
typedef uint32_t DmasAgentId;
#define DMAS_AGENT_NONE UINT32_MAX
/* Symbolic targets of the fault calls (fault_crash, fault_restart, agent_up): the primary and
 * the backup replica of the centralized controller.  DMAS_ENOENT when the run has none. */
#define DMAS_AGENT_CONTROLLER (UINT32_MAX - 1)
#define DMAS_AGENT_BACKUP (UINT32_MAX - 2)

typedef uint64_t DmasJobId;
typedef uint64_t DmasTimerId; /* 0 is never a valid timer id */

/* Status codes returned across the plugin ABI.  Negative values are errors. */
enum {
  DMAS_OK = 0,
  DMAS_PENDING = 1,   /* the answer will come later through a host callback */
  DMAS_EINVAL = -1,   /* bad argument or parameter */
  DMAS_ENOMEM = -2,
  DMAS_ENOENT = -3,   /* unknown agent, key, timer, ... */
  DMAS_ESTATE = -4,   /* call not allowed in the current state */
  DMAS_EFAIL = -5     /* any other failure; see the DmasError text */
};

/* Error text filled by a plugin when it returns a negative status.  The host owns the buffer;
 * plugins write a NUL-terminated message naming the thing and the fix. */
#define DMAS_ERROR_MAX 256
typedef struct DmasError {
  int code;
  char message[DMAS_ERROR_MAX];
} DmasError;

#ifdef __cplusplus
}
#endif

#endif /* DMAS_TYPES_H */
