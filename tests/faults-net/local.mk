# SPDX-License-Identifier: GPL-3.0-or-later
# tests/faults-net: see tests/local.mk.
