# SPDX-License-Identifier: GPL-3.0-or-later
# framework/agents: see Makefile.am.
libdmas_la_SOURCES += \
	framework/agents/agent.c \
	framework/agents/agent.h \
	framework/agents/host_api.c \
	framework/agents/host_api.h \
	framework/agents/sched_msg.c \
	framework/agents/sched_msg.h \
	framework/agents/sim.c \
	framework/agents/sim.h \
	framework/agents/sim-private.h
