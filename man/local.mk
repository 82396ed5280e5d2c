# SPDX-License-Identifier: GPL-3.0-or-later
# man/: the dmas(1) manual page.
