# SPDX-License-Identifier: GPL-3.0-or-later
# framework/world: see Makefile.am.
libdmas_la_SOURCES += \
	framework/world/events.h \
	framework/world/platform.c \
	framework/world/platform.h \
	framework/world/workload.c \
	framework/world/workload.h \
	framework/world/localq.c \
	framework/world/localq.h
