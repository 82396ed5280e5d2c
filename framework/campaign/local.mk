# SPDX-License-Identifier: GPL-3.0-or-later
# framework/campaign: see Makefile.am.
