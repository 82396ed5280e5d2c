# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench: performance benchmarks, built and run only by `make bench`.
EXTRA_PROGRAMS = tests/bench/bench-engine
BENCHMARKS += tests/bench/bench-engine
tests_bench_bench_engine_LDADD = libdmas.la
CLEANFILES += $(EXTRA_PROGRAMS)
# End-to-end throughput, run by `make bench` before the hold benchmark (whose ratio line must
# stay the last line).
bench_scripts = tests/bench/bench-e2e.sh
EXTRA_DIST += tests/bench/bench-e2e.sh tests/bench/e2e.yaml
