/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Umbrella header of the dmas plugin SDK. */
#ifndef DMAS_DMAS_H
#define DMAS_DMAS_H

#include <dmas/types.h>
#include <dmas/job.h>
#include <dmas/plugin.h>
#include <dmas/host.h>
#include <dmas/bidding.h>
#include <dmas/consensus.h>
#include <dmas/fault.h>
#include <dmas/llm.h>
#include <dmas/wire.h>

#endif /* DMAS_DMAS_H */
