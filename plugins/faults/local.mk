# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/faults: one libtool module per component file.

# Plugins see only the public SDK (include/dmas): no framework headers, no GLib.
plugin_LTLIBRARIES += plugins/faults/crash.la
plugins_faults_crash_la_SOURCES = plugins/faults/crash.c plugins/faults/targets.h \
	plugins/faults/duration.h
plugins_faults_crash_la_CFLAGS = $(plugin_cflags)
plugins_faults_crash_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_faults_crash_la_LDFLAGS = $(plugin_ldflags)
plugins_faults_crash_la_LIBADD = -lm

plugin_LTLIBRARIES += plugins/faults/byzantine.la
plugins_faults_byzantine_la_SOURCES = plugins/faults/byzantine.c plugins/faults/targets.h
plugins_faults_byzantine_la_CFLAGS = $(plugin_cflags)
plugins_faults_byzantine_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_faults_byzantine_la_LDFLAGS = $(plugin_ldflags)

# F1 (netfaults): partitions and bad links.
plugin_LTLIBRARIES += plugins/faults/partition.la
plugins_faults_partition_la_SOURCES = plugins/faults/partition.c plugins/faults/targets.h
plugins_faults_partition_la_CFLAGS = $(plugin_cflags)
plugins_faults_partition_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_faults_partition_la_LDFLAGS = $(plugin_ldflags)
plugins_faults_partition_la_LIBADD = -lm

plugin_LTLIBRARIES += plugins/faults/link.la
plugins_faults_link_la_SOURCES = plugins/faults/link.c plugins/faults/targets.h
plugins_faults_link_la_CFLAGS = $(plugin_cflags)
plugins_faults_link_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_faults_link_la_LDFLAGS = $(plugin_ldflags)

# F3 (patterns): degradation and explicit schedules.
plugin_LTLIBRARIES += plugins/faults/degrade.la
plugins_faults_degrade_la_SOURCES = plugins/faults/degrade.c plugins/faults/targets.h
plugins_faults_degrade_la_CFLAGS = $(plugin_cflags)
plugins_faults_degrade_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_faults_degrade_la_LDFLAGS = $(plugin_ldflags)
plugins_faults_degrade_la_LIBADD = -lm

plugin_LTLIBRARIES += plugins/faults/schedule.la
plugins_faults_schedule_la_SOURCES = plugins/faults/schedule.c plugins/faults/targets.h \
	plugins/faults/json-reader.h \
	plugins/faults/duration.h
plugins_faults_schedule_la_CFLAGS = $(plugin_cflags)
plugins_faults_schedule_la_CPPFLAGS = -I$(top_srcdir)/include
plugins_faults_schedule_la_LDFLAGS = $(plugin_ldflags)
