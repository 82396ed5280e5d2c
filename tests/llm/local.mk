# SPDX-License-Identifier: GPL-3.0-or-later
# tests/llm: filled by the LLM work (issue 7).

# --- H2: the loopback mock LLM server and the provider tests ---------------------------------
# The mock server (tests/llm/mock-server.h) is compiled into each test program that uses it.
llm_mock_sources = tests/llm/mock-server.h tests/llm/mock-server-private.h \
	tests/llm/mock-server.c tests/llm/mock-replies.c

check_PROGRAMS += tests/llm/test-llm-mock
TESTS += tests/llm/test-llm-mock
tests_llm_test_llm_mock_SOURCES = tests/llm/test-llm-mock.c $(llm_mock_sources)
tests_llm_test_llm_mock_LDADD = $(JSON_LIBS) $(GLIB_LIBS) $(CURL_LIBS) $(LIBS)

# The providers' ops driven through a minimal host (tests/llm/provider-host.h) that dlopen()s
# the built modules: offline ones (simulated, replay) and online ones (also against the mock).
llm_provider_host_sources = tests/llm/provider-host.h tests/llm/provider-host.c
llm_provider_modules = plugins/llm/simulated.la plugins/llm/replay.la plugins/llm/ollama.la \
	plugins/llm/openai.la plugins/llm/sambastudio.la

check_PROGRAMS += tests/llm/test-llm-offline
TESTS += tests/llm/test-llm-offline
tests_llm_test_llm_offline_SOURCES = tests/llm/test-llm-offline.c $(llm_provider_host_sources)
tests_llm_test_llm_offline_LDADD = $(JSON_LIBS) $(GLIB_LIBS) -ldl $(LIBS)
EXTRA_tests_llm_test_llm_offline_DEPENDENCIES = $(llm_provider_modules)

check_PROGRAMS += tests/llm/test-llm-providers
TESTS += tests/llm/test-llm-providers
tests_llm_test_llm_providers_SOURCES = tests/llm/test-llm-providers.c \
	$(llm_provider_host_sources) $(llm_mock_sources)
tests_llm_test_llm_providers_LDADD = $(JSON_LIBS) $(GLIB_LIBS) $(CURL_LIBS) -ldl $(LIBS)
EXTRA_tests_llm_test_llm_providers_DEPENDENCIES = $(llm_provider_modules)

# --- H1: the host's LLM service (framework/llm) --------------------------------------------
check_PROGRAMS += tests/llm/test-llm-reply tests/llm/test-llm-template \
	tests/llm/test-llm-secrets tests/llm/test-llm-settings tests/llm/test-llm-service \
	tests/llm/test-llm-service-http
TESTS += tests/llm/test-llm-reply tests/llm/test-llm-template \
	tests/llm/test-llm-secrets tests/llm/test-llm-settings tests/llm/test-llm-service \
	tests/llm/test-llm-service-http
tests_llm_test_llm_reply_LDADD = libdmas.la
tests_llm_test_llm_template_LDADD = libdmas.la
tests_llm_test_llm_secrets_LDADD = libdmas.la
tests_llm_test_llm_settings_LDADD = libdmas.la
tests_llm_test_llm_service_LDADD = libdmas.la
tests_llm_test_llm_service_http_SOURCES = tests/llm/test-llm-service-http.c $(llm_mock_sources)
tests_llm_test_llm_service_http_LDADD = libdmas.la

# `dmas run` with bidding: llm against the mock (simulated, ollama + record/replay, openai with
# a sentinel key that must appear nowhere but in the request's Authorization header).
check_PROGRAMS += tests/llm/test-llm-e2e
TESTS += tests/llm/test-llm-e2e
tests_llm_test_llm_e2e_SOURCES = tests/llm/test-llm-e2e.c $(llm_mock_sources)
tests_llm_test_llm_e2e_LDADD = $(JSON_LIBS) $(GLIB_LIBS) $(LIBS)
EXTRA_tests_llm_test_llm_e2e_DEPENDENCIES = dmas $(llm_provider_modules)

# LLM runs in process through the sim's observer: hybrid pools, reputation (lead).
check_PROGRAMS += tests/llm/test-llm-sim
TESTS += tests/llm/test-llm-sim
tests_llm_test_llm_sim_LDADD = libdmas.la
