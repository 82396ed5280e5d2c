# SPDX-License-Identifier: GPL-3.0-or-later
# framework/engine: see Makefile.am.
