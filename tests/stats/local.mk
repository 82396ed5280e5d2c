# SPDX-License-Identifier: GPL-3.0-or-later
# tests/stats: see tests/local.mk.
