# SPDX-License-Identifier: GPL-3.0-or-later
# framework/campaign: sweeps and repetitions expanded into runs, the worker pool, --resume.
libdmas_la_SOURCES += \
	framework/campaign/campaign.h \
	framework/campaign/campaign-private.h \
	framework/campaign/execute.c \
	framework/campaign/execute.h \
	framework/campaign/plan.c \
	framework/campaign/plan-json.c \
	framework/campaign/progress.c \
	framework/campaign/progress.h \
	framework/campaign/resume.c \
	framework/campaign/runner.c \
	framework/campaign/sweep.c
