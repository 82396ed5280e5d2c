# SPDX-License-Identifier: GPL-3.0-or-later
# tests/faults-patterns: see tests/local.mk.
