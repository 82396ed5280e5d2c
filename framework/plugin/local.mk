# SPDX-License-Identifier: GPL-3.0-or-later
# framework/plugin: see Makefile.am.
