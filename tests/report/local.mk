# SPDX-License-Identifier: GPL-3.0-or-later
# tests/report: see tests/local.mk.
