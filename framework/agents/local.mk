# SPDX-License-Identifier: GPL-3.0-or-later
# framework/agents: see Makefile.am.
