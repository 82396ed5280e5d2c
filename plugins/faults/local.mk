# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/faults: one libtool module per component file.

# Plugins see only the public SDK (include/dmas): no framework headers, no GLib.
plugin_LTLIBRARIES += plugins/faults/crash.la
plugins_faults_crash_la_SOURCES = plugins/faults/crash.c
plugins_faults_crash_la_CFLAGS = $(plugin_cflags)
plugins_faults_crash_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_faults_crash_la_LDFLAGS = $(plugin_ldflags)
plugins_faults_crash_la_LIBADD = -lm
