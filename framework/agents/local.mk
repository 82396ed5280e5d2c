# SPDX-License-Identifier: GPL-3.0-or-later
# framework/agents: see Makefile.am.
libdmas_la_SOURCES += \
	framework/agents/agent.c \
	framework/agents/agent.h \
	framework/agents/faults.c \
	framework/agents/faults-net.c \
	framework/agents/availability.c \
	framework/agents/degrade.c \
	framework/agents/byzantine.c \
	framework/agents/byzantine-hooks.h \
	framework/agents/byzantine-twins.c \
	framework/agents/faults.h \
	framework/agents/host_api.c \
	framework/agents/host_api.h \
	framework/agents/host-llm.c \
	framework/agents/host-llm.h \
	framework/agents/sched_msg.c \
	framework/agents/sched_msg.h \
	framework/agents/sim.c \
	framework/agents/sim.h \
	framework/agents/sim-private.h
# The failure detector and the recovery of lost jobs.
libdmas_la_SOURCES += \
	framework/agents/detector.c \
	framework/agents/detector.h \
	framework/agents/recovery.c \
	framework/agents/recovery.h
# The clients and the centralized controller.
libdmas_la_SOURCES += \
	framework/agents/client.c \
	framework/agents/client.h \
	framework/agents/central.c \
	framework/agents/central.h \
	framework/agents/central-agent.c \
	framework/agents/central-msg.c \
	framework/agents/central-place.c \
	framework/agents/central-private.h
# Host services: simulated signatures, stable storage, the bids the validity check reads.
libdmas_la_SOURCES += \
	framework/agents/bidlog.c \
	framework/agents/bidlog.h \
	framework/agents/signature.c \
	framework/agents/signature.h \
	framework/agents/storage.c \
	framework/agents/storage.h
