# SPDX-License-Identifier: GPL-3.0-or-later
# framework/cli: the `dmas` binary.  Each subcommand lives in its own cmd_*.c.
dmas_SOURCES += \
	framework/cli/main.c \
	framework/cli/cli.h \
	framework/cli/setup.c
dmas_SOURCES += framework/cli/cmd_config.c
dmas_SOURCES += framework/cli/cmd_plugins.c
# `dmas plugins test` (cmd_plugins.c dispatches to it).
plugins_test_sources = framework/cli/plugins-test.c framework/cli/plugins-test.h \
	framework/cli/plugins-test-private.h framework/cli/plugins-test-run.c \
	framework/cli/plugins-test-bidding.c \
	framework/cli/plugins-test-llm.c
dmas_SOURCES += $(plugins_test_sources)
dmas_SOURCES += framework/cli/cmd_run.c
dmas_SOURCES += framework/cli/cmd_report.c
dmas_SOURCES += framework/cli/cmd_replay.c
dmas_SOURCES += framework/cli/cmd_evaluate.c
# `dmas demo`, `dmas check`, `dmas setup-env` (issue 7).
dmas_SOURCES += framework/cli/cmd_demo.c framework/cli/demo-show.c framework/cli/demo-show.h
dmas_SOURCES += framework/cli/cmd_check.c
dmas_SOURCES += framework/cli/cmd_setup_env.c
