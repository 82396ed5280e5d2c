# SPDX-License-Identifier: GPL-3.0-or-later
# framework/engine: see Makefile.am.
libdmas_la_SOURCES += \
	framework/engine/engine.h \
	framework/engine/engine-private.h \
	framework/engine/engine.c \
	framework/engine/digest.c \
	framework/engine/streams.c \
	framework/engine/source.c
