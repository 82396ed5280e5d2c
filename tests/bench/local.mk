# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench: performance benchmarks, built and run only by `make bench`.
EXTRA_PROGRAMS = tests/bench/bench-engine
BENCHMARKS += tests/bench/bench-engine
tests_bench_bench_engine_LDADD = libdmas.la
CLEANFILES += $(EXTRA_PROGRAMS)
