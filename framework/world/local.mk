# SPDX-License-Identifier: GPL-3.0-or-later
# framework/world: see Makefile.am.
