# SPDX-License-Identifier: GPL-3.0-or-later
# framework/report: see Makefile.am.
libdmas_la_SOURCES += \
	framework/report/data.h \
	framework/report/data-private.h \
	framework/report/report.h \
	framework/report/metrics-table.c \
	framework/report/data.c \
	framework/report/compute.c \
	framework/report/json-out.c \
	framework/report/tables.c \
	framework/report/stats-json.c \
	framework/report/compat.c \
	framework/report/compat-faults.c \
	framework/report/terminal.c \
	framework/report/report.c
libdmas_la_SOURCES += framework/report/plots.c
libdmas_la_SOURCES += framework/report/plots.h
libdmas_la_SOURCES += framework/report/html.c
libdmas_la_SOURCES += framework/report/html.h
EXTRA_DIST += docs/compat.md
