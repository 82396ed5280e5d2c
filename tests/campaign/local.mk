# SPDX-License-Identifier: GPL-3.0-or-later
# tests/campaign: see tests/local.mk.
