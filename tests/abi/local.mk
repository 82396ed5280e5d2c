# SPDX-License-Identifier: GPL-3.0-or-later
# tests/abi: hostile plugins (one defect each), built as never-installed check modules, and
# the program that loads each one and checks the exact refusal.

# Each plugin name equals its file name, as the loader demands.  exports-extra is the one
# built without the visibility flags and the export list, so that tests/lint can be shown
# to catch a leaked symbol.
check_LTLIBRARIES += tests/abi/abi-major.la
tests_abi_abi_major_la_SOURCES = tests/abi/abi-major.c tests/abi/abi-plugin.h
tests_abi_abi_major_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_abi_major_la_CFLAGS = $(plugin_cflags)
tests_abi_abi_major_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/abi-minor.la
tests_abi_abi_minor_la_SOURCES = tests/abi/abi-minor.c tests/abi/abi-plugin.h
tests_abi_abi_minor_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_abi_minor_la_CFLAGS = $(plugin_cflags)
tests_abi_abi_minor_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/bad-magic.la
tests_abi_bad_magic_la_SOURCES = tests/abi/bad-magic.c tests/abi/abi-plugin.h
tests_abi_bad_magic_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_bad_magic_la_CFLAGS = $(plugin_cflags)
tests_abi_bad_magic_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/bad-name.la
tests_abi_bad_name_la_SOURCES = tests/abi/bad-name.c tests/abi/abi-plugin.h
tests_abi_bad_name_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_bad_name_la_CFLAGS = $(plugin_cflags)
tests_abi_bad_name_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/bad-param.la
tests_abi_bad_param_la_SOURCES = tests/abi/bad-param.c tests/abi/abi-plugin.h
tests_abi_bad_param_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_bad_param_la_CFLAGS = $(plugin_cflags)
tests_abi_bad_param_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/comp-size.la
tests_abi_comp_size_la_SOURCES = tests/abi/comp-size.c tests/abi/abi-plugin.h
tests_abi_comp_size_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_comp_size_la_CFLAGS = $(plugin_cflags)
tests_abi_comp_size_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/desc-size.la
tests_abi_desc_size_la_SOURCES = tests/abi/desc-size.c tests/abi/abi-plugin.h
tests_abi_desc_size_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_desc_size_la_CFLAGS = $(plugin_cflags)
tests_abi_desc_size_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/dup-across.la
tests_abi_dup_across_la_SOURCES = tests/abi/dup-across.c tests/abi/abi-plugin.h
tests_abi_dup_across_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_dup_across_la_CFLAGS = $(plugin_cflags)
tests_abi_dup_across_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/dup-in-file.la
tests_abi_dup_in_file_la_SOURCES = tests/abi/dup-in-file.c tests/abi/abi-plugin.h
tests_abi_dup_in_file_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_dup_in_file_la_CFLAGS = $(plugin_cflags)
tests_abi_dup_in_file_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/exports-extra.la
tests_abi_exports_extra_la_SOURCES = tests/abi/exports-extra.c tests/abi/abi-plugin.h
tests_abi_exports_extra_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_exports_extra_la_CFLAGS = $(DMAS_CFLAGS) $(WARN_CFLAGS) $(SAN_CFLAGS)
tests_abi_exports_extra_la_LDFLAGS = -module -avoid-version -shared -rpath $(abs_builddir) $(SAN_LDFLAGS)

check_LTLIBRARIES += tests/abi/good-multi.la
tests_abi_good_multi_la_SOURCES = tests/abi/good-multi.c tests/abi/abi-plugin.h
tests_abi_good_multi_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_good_multi_la_CFLAGS = $(plugin_cflags)
tests_abi_good_multi_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/good-old-minor.la
tests_abi_good_old_minor_la_SOURCES = tests/abi/good-old-minor.c tests/abi/abi-plugin.h
tests_abi_good_old_minor_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_good_old_minor_la_CFLAGS = $(plugin_cflags)
tests_abi_good_old_minor_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/init-fails.la
tests_abi_init_fails_la_SOURCES = tests/abi/init-fails.c tests/abi/abi-plugin.h
tests_abi_init_fails_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_init_fails_la_CFLAGS = $(plugin_cflags)
tests_abi_init_fails_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/kind-api-major.la
tests_abi_kind_api_major_la_SOURCES = tests/abi/kind-api-major.c tests/abi/abi-plugin.h
tests_abi_kind_api_major_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_kind_api_major_la_CFLAGS = $(plugin_cflags)
tests_abi_kind_api_major_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/kind-api-minor.la
tests_abi_kind_api_minor_la_SOURCES = tests/abi/kind-api-minor.c tests/abi/abi-plugin.h
tests_abi_kind_api_minor_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_kind_api_minor_la_CFLAGS = $(plugin_cflags)
tests_abi_kind_api_minor_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/no-entry.la
tests_abi_no_entry_la_SOURCES = tests/abi/no-entry.c tests/abi/abi-plugin.h
tests_abi_no_entry_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_no_entry_la_CFLAGS = $(plugin_cflags)
tests_abi_no_entry_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/null-desc.la
tests_abi_null_desc_la_SOURCES = tests/abi/null-desc.c tests/abi/abi-plugin.h
tests_abi_null_desc_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_null_desc_la_CFLAGS = $(plugin_cflags)
tests_abi_null_desc_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/null-arm.la
tests_abi_null_arm_la_SOURCES = tests/abi/null-arm.c tests/abi/abi-plugin.h
tests_abi_null_arm_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_null_arm_la_CFLAGS = $(plugin_cflags)
tests_abi_null_arm_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/null-op.la
tests_abi_null_op_la_SOURCES = tests/abi/null-op.c tests/abi/abi-plugin.h
tests_abi_null_op_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_null_op_la_CFLAGS = $(plugin_cflags)
tests_abi_null_op_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/ops-huge.la
tests_abi_ops_huge_la_SOURCES = tests/abi/ops-huge.c tests/abi/abi-plugin.h
tests_abi_ops_huge_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_ops_huge_la_CFLAGS = $(plugin_cflags)
tests_abi_ops_huge_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/ops-size.la
tests_abi_ops_size_la_SOURCES = tests/abi/ops-size.c tests/abi/abi-plugin.h
tests_abi_ops_size_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_ops_size_la_CFLAGS = $(plugin_cflags)
tests_abi_ops_size_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/llm-no-answer.la
tests_abi_llm_no_answer_la_SOURCES = tests/abi/llm-no-answer.c tests/abi/abi-plugin.h
tests_abi_llm_no_answer_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_llm_no_answer_la_CFLAGS = $(plugin_cflags)
tests_abi_llm_no_answer_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/unknown-kind.la
tests_abi_unknown_kind_la_SOURCES = tests/abi/unknown-kind.c tests/abi/abi-plugin.h
tests_abi_unknown_kind_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_unknown_kind_la_CFLAGS = $(plugin_cflags)
tests_abi_unknown_kind_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/unresolved.la
tests_abi_unresolved_la_SOURCES = tests/abi/unresolved.c tests/abi/abi-plugin.h
tests_abi_unresolved_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_unresolved_la_CFLAGS = $(plugin_cflags)
tests_abi_unresolved_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/uses-time.la
tests_abi_uses_time_la_SOURCES = tests/abi/uses-time.c tests/abi/abi-plugin.h
tests_abi_uses_time_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_uses_time_la_CFLAGS = $(plugin_cflags)
tests_abi_uses_time_la_LDFLAGS = $(check_plugin_ldflags)

check_LTLIBRARIES += tests/abi/wrong-name.la
tests_abi_wrong_name_la_SOURCES = tests/abi/wrong-name.c tests/abi/abi-plugin.h
tests_abi_wrong_name_la_CPPFLAGS = -I$(top_srcdir)/include
tests_abi_wrong_name_la_CFLAGS = $(plugin_cflags)
tests_abi_wrong_name_la_LDFLAGS = $(check_plugin_ldflags)

check_PROGRAMS += tests/abi/test-abi
tests_abi_test_abi_SOURCES = tests/abi/test-abi.c
tests_abi_test_abi_LDADD = libdmas.la
TESTS += tests/abi/test-abi
