# SPDX-License-Identifier: GPL-3.0-or-later
# configs: shipped example configurations, installed under $(pkgdatadir)/configs.
configsdir = $(pkgdatadir)/configs
dist_configs_DATA = configs/quickstart.yaml
