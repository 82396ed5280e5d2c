# SPDX-License-Identifier: GPL-3.0-or-later
# framework/world: see Makefile.am.
libdmas_la_SOURCES += \
	framework/world/events.h \
	framework/world/platform.c \
	framework/world/platform.h \
	framework/world/platform-private.h \
	framework/world/platform-preset.c \
	framework/world/workload.c \
	framework/world/workload.h \
	framework/world/dist.c \
	framework/world/dist.h \
	framework/world/trace.c \
	framework/world/trace.h \
	framework/world/swf.c \
	framework/world/swf.h \
	framework/world/batsim.c \
	framework/world/batsim.h \
	framework/world/localq.c \
	framework/world/localq.h \
	framework/world/backfill.h \
	framework/world/backfill-easy.c \
	framework/world/backfill-conservative.c \
	framework/world/backfill-profile.c
