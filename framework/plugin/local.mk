# SPDX-License-Identifier: GPL-3.0-or-later
# framework/plugin: see Makefile.am.
libdmas_la_SOURCES += \
	framework/plugin/registry.h \
	framework/plugin/plugin-private.h \
	framework/plugin/kind.c \
	framework/plugin/loader.c \
	framework/plugin/component-check.c \
	framework/plugin/params.c \
	framework/plugin/registry.c \
	framework/plugin/searchpath.c \
	framework/plugin/select.c
