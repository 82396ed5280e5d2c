# SPDX-License-Identifier: GPL-3.0-or-later
# completion/: bash completion for dmas.
