# SPDX-License-Identifier: GPL-3.0-or-later
# framework/config: YAML → node tree → validated, resolved, typed run config.
libdmas_la_SOURCES += \
	framework/config/node.h \
	framework/config/node-private.h \
	framework/config/node.c \
	framework/config/node-parse.c \
	framework/config/node-emit.c \
	framework/config/node-set.c \
	framework/config/units.c \
	framework/config/didyoumean.c \
	framework/config/config.h \
	framework/config/schema.h \
	framework/config/schema.c \
	framework/config/schema-types.c \
	framework/config/validate.c \
	framework/config/resolve.c \
	framework/config/config.c
