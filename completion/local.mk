# SPDX-License-Identifier: GPL-3.0-or-later
# completion/: bash completion for dmas, installed where bash-completion loads it on demand.
# Under $(datadir), not pkg-config's absolute completionsdir, so that a --prefix install (and
# make distcheck) stays inside the prefix; override with make bashcompletiondir=DIR.
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completion/dmas
