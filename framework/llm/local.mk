# SPDX-License-Identifier: GPL-3.0-or-later
# framework/llm: the host's LLM service (service.h); see Makefile.am.
libdmas_la_SOURCES += \
	framework/llm/service.h \
	framework/llm/service-private.h \
	framework/llm/service.c \
	framework/llm/exchange.c \
	framework/llm/settings.c \
	framework/llm/secrets.c \
	framework/llm/template.c \
	framework/llm/template.h \
	framework/llm/request.c \
	framework/llm/request.h \
	framework/llm/reply.c \
	framework/llm/reply.h \
	framework/llm/reply-json.c \
	framework/llm/reply-json.h \
	framework/llm/record.c \
	framework/llm/record.h \
	framework/llm/http.c \
	framework/llm/http.h
