# SPDX-License-Identifier: GPL-3.0-or-later
# framework/net: see Makefile.am.
