# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/bidding: one libtool module per component file.
