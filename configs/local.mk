# SPDX-License-Identifier: GPL-3.0-or-later
# configs: shipped example configurations, installed under $(pkgdatadir)/configs.
configsdir = $(pkgdatadir)/configs
dist_configs_DATA = configs/quickstart.yaml configs/single.yaml configs/llm-single.yaml

# Comparison campaigns: methods x conditions x repetitions (framework/campaign).
comparedir = $(pkgdatadir)/configs/compare
dist_compare_DATA = configs/compare/consensus.yaml configs/compare/llm-byzantine.yaml

# Platform presets, found by `platform: {preset: NAME}` (world/platform.c) in the source tree
# when dmas runs from its build tree, else here.
platformsdir = $(pkgdatadir)/configs/platforms
dist_platforms_DATA = \
	configs/platforms/amsc.yaml \
	configs/platforms/seed-demo.yaml \
	configs/platforms/seed-resilience.yaml \
	configs/platforms/supercomputers.yaml

# Trace runs: their workload.path points at the traces beside the source checkout, so they are
# shipped in the source archive only, as examples to copy.
EXTRA_DIST += \
	configs/traces/kth-easy.yaml \
	configs/traces/kth-fcfs.yaml \
	configs/traces/nasa-easy.yaml

# The predecessor's evaluation matrix (`dmas evaluate`).
paperdir = $(pkgdatadir)/configs/paper
dist_paper_DATA = configs/paper/resilience.yaml

# Prompt templates of the LLM bidders (framework/llm/template.c finds them here when
# installed, in the source tree when dmas runs from its build tree; llm.prompts overrides).
promptsdir = $(pkgdatadir)/configs/prompts
dist_prompts_DATA = configs/prompts/system.txt configs/prompts/bid.txt \
	configs/prompts/compromised.txt

# `dmas demo`'s scenarios (cmd_demo.c reads them from the source tree when run from the build
# tree, else from here).
demodir = $(pkgdatadir)/configs/demo
dist_demo_DATA = configs/demo/1-healthy.yaml configs/demo/2-byzantine.yaml \
	configs/demo/3-recovery.yaml
