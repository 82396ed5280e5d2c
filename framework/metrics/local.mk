# SPDX-License-Identifier: GPL-3.0-or-later
# framework/metrics: see Makefile.am.
libdmas_la_SOURCES += \
	framework/metrics/metrics.c \
	framework/metrics/metrics.h \
	framework/metrics/summary.c \
	framework/metrics/summary.h
