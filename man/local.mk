# SPDX-License-Identifier: GPL-3.0-or-later
# man/: the dmas(1) manual page, written by hand; the installation paths are filled in here.
man_MANS = man/dmas.1
EXTRA_DIST += man/dmas.1.in
CLEANFILES += man/dmas.1

# sed rather than AC_CONFIG_FILES: pkgdatadir and plugindir are only fully expanded in make.
man/dmas.1: man/dmas.1.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && \
	sed -e 's|@pkgdatadir[@]|$(pkgdatadir)|g' -e 's|@plugindir[@]|$(plugindir)|g' \
	  $(srcdir)/man/dmas.1.in >$@.tmp && mv $@.tmp $@
