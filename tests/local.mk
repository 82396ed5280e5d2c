# SPDX-License-Identifier: GPL-3.0-or-later
# tests: each subdirectory adds its programs in its own fragment.
BENCHMARKS =
include tests/unit/local.mk
include tests/abi/local.mk
include tests/lint/local.mk
include tests/configs/local.mk
include tests/plugins/local.mk
include tests/consensus-broken/local.mk
include tests/scenarios/local.mk
include tests/cli/local.mk
include tests/sdk/local.mk
include tests/install/local.mk
include tests/stats/local.mk
include tests/campaign/local.mk
include tests/report/local.mk
include tests/faults-net/local.mk
include tests/faults-byz/local.mk
include tests/faults-patterns/local.mk
include tests/bench/local.mk
include tests/packaging/local.mk
include tests/llm/local.mk
include tests/fuzz/local.mk
