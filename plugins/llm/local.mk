# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/llm: the providers (include/dmas/llm.h), one libtool module per provider.

# Providers see only the public SDK (include/dmas), but unlike the other kinds they read and
# write JSON, so they may link GLib and json-glib.  common.[ch] is compiled into each module;
# openai-wire.[ch] into the two that speak the OpenAI protocol.  They never open a socket or
# read a clock: the host does the HTTP (tests/lint/test-plugin-symbols.sh checks every .so).
llm_plugin_cppflags = -I$(top_srcdir)/include -D_POSIX_C_SOURCE=200809L \
	$(GLIB_CFLAGS) $(JSON_CFLAGS)
llm_plugin_libadd = $(JSON_LIBS) $(GLIB_LIBS)
llm_common_sources = plugins/llm/common.c plugins/llm/common.h
EXTRA_DIST += plugins/llm/README.md

plugin_LTLIBRARIES += plugins/llm/simulated.la
plugins_llm_simulated_la_SOURCES = plugins/llm/simulated.c $(llm_common_sources)
plugins_llm_simulated_la_CFLAGS = $(plugin_cflags)
plugins_llm_simulated_la_CPPFLAGS = $(llm_plugin_cppflags)
plugins_llm_simulated_la_LDFLAGS = $(plugin_ldflags)
plugins_llm_simulated_la_LIBADD = $(llm_plugin_libadd) -lm

plugin_LTLIBRARIES += plugins/llm/replay.la
plugins_llm_replay_la_SOURCES = plugins/llm/replay.c $(llm_common_sources)
plugins_llm_replay_la_CFLAGS = $(plugin_cflags)
plugins_llm_replay_la_CPPFLAGS = $(llm_plugin_cppflags)
plugins_llm_replay_la_LDFLAGS = $(plugin_ldflags)
plugins_llm_replay_la_LIBADD = $(llm_plugin_libadd)

plugin_LTLIBRARIES += plugins/llm/ollama.la
plugins_llm_ollama_la_SOURCES = plugins/llm/ollama.c $(llm_common_sources)
plugins_llm_ollama_la_CFLAGS = $(plugin_cflags)
plugins_llm_ollama_la_CPPFLAGS = $(llm_plugin_cppflags)
plugins_llm_ollama_la_LDFLAGS = $(plugin_ldflags)
plugins_llm_ollama_la_LIBADD = $(llm_plugin_libadd)

llm_openai_sources = plugins/llm/openai-wire.c plugins/llm/openai-wire.h

plugin_LTLIBRARIES += plugins/llm/openai.la
plugins_llm_openai_la_SOURCES = plugins/llm/openai.c $(llm_openai_sources) $(llm_common_sources)
plugins_llm_openai_la_CFLAGS = $(plugin_cflags)
plugins_llm_openai_la_CPPFLAGS = $(llm_plugin_cppflags)
plugins_llm_openai_la_LDFLAGS = $(plugin_ldflags)
plugins_llm_openai_la_LIBADD = $(llm_plugin_libadd)

plugin_LTLIBRARIES += plugins/llm/sambastudio.la
plugins_llm_sambastudio_la_SOURCES = plugins/llm/sambastudio.c $(llm_openai_sources) \
	$(llm_common_sources)
plugins_llm_sambastudio_la_CFLAGS = $(plugin_cflags)
plugins_llm_sambastudio_la_CPPFLAGS = $(llm_plugin_cppflags)
plugins_llm_sambastudio_la_LDFLAGS = $(plugin_ldflags)
plugins_llm_sambastudio_la_LIBADD = $(llm_plugin_libadd)
