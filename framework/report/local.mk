# SPDX-License-Identifier: GPL-3.0-or-later
# framework/report: see Makefile.am.
