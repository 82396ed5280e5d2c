# SPDX-License-Identifier: GPL-3.0-or-later
# tests/report: see tests/local.mk.
# The report's tables, statistics and compatible files on a hand-built campaign directory.
check_PROGRAMS += tests/report/test-report
TESTS += tests/report/test-report
tests_report_test_report_LDADD = libdmas.la
# plots/ and report.html (framework/report/plots.c, html.c) on an in-memory campaign.
check_PROGRAMS += tests/report/test-plots tests/report/test-html
TESTS += tests/report/test-plots tests/report/test-html
tests_report_test_plots_SOURCES = tests/report/test-plots.c tests/report/plots-fixture.c \
	tests/report/plots-fixture.h
tests_report_test_plots_LDADD = libdmas.la
tests_report_test_html_SOURCES = tests/report/test-html.c tests/report/plots-fixture.c \
	tests/report/plots-fixture.h
tests_report_test_html_LDADD = libdmas.la
