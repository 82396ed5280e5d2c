# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz: fuzz targets and their corpora.  make check runs each target over its corpus and
# over deterministic mutations of it; fuzz-llm-reply.c says how to build a libFuzzer binary by
# hand with clang (not part of the build: it needs -fsanitize=fuzzer).
check_PROGRAMS += tests/fuzz/test-fuzz-llm-reply
TESTS += tests/fuzz/test-fuzz-llm-reply
tests_fuzz_test_fuzz_llm_reply_SOURCES = tests/fuzz/test-fuzz-llm-reply.c \
	tests/fuzz/fuzz-llm-reply.c tests/fuzz/fuzz-llm-reply.h
tests_fuzz_test_fuzz_llm_reply_LDADD = libdmas.la
EXTRA_DIST += tests/fuzz/corpus
