# SPDX-License-Identifier: GPL-3.0-or-later
# framework/metrics: see Makefile.am.
