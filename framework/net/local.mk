# SPDX-License-Identifier: GPL-3.0-or-later
# framework/net: see Makefile.am.
libdmas_la_SOURCES += \
	framework/net/links.c \
	framework/net/netfaults.c \
	framework/net/network.c \
	framework/net/network.h \
	framework/net/network-private.h
