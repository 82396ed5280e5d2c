# SPDX-License-Identifier: GPL-3.0-or-later
# tests/faults-byz: see tests/local.mk.
