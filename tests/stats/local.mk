# SPDX-License-Identifier: GPL-3.0-or-later
# tests/stats: see tests/local.mk.
check_PROGRAMS += tests/stats/test-stats
TESTS += tests/stats/test-stats
tests_stats_test_stats_LDADD = libdmas.la
# reference.py prints the SciPy values typed into test-stats.c; it is not run by make check.
EXTRA_DIST += tests/stats/reference.py
