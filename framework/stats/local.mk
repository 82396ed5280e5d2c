# SPDX-License-Identifier: GPL-3.0-or-later
# framework/stats: see Makefile.am.
libdmas_la_SOURCES += \
	framework/stats/describe.c \
	framework/stats/result.c \
	framework/stats/significance.c \
	framework/stats/stats-private.h \
	framework/stats/stats.h \
	framework/stats/ttest.c \
	framework/stats/wilcoxon.c
