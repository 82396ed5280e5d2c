# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/consensus: one libtool module per component file.
