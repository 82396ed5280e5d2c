# SPDX-License-Identifier: GPL-3.0-or-later
# tests/configs: the corpus of bad configs (each with its expected error) and the shipped
# quickstart config, loaded by one GTest program.
check_PROGRAMS += tests/configs/test-bad-configs
tests_configs_test_bad_configs_LDADD = libdmas.la
TESTS += tests/configs/test-bad-configs
EXTRA_DIST += \
	tests/configs/bad/01-unknown-top-key.expected \
	tests/configs/bad/01-unknown-top-key.yaml \
	tests/configs/bad/02-unknown-nested-key.expected \
	tests/configs/bad/02-unknown-nested-key.yaml \
	tests/configs/bad/03-unknown-key-no-suggestion.expected \
	tests/configs/bad/03-unknown-key-no-suggestion.yaml \
	tests/configs/bad/04-wrong-type-int.expected \
	tests/configs/bad/04-wrong-type-int.yaml \
	tests/configs/bad/05-negative-duration.expected \
	tests/configs/bad/05-negative-duration.yaml \
	tests/configs/bad/06-bare-number-duration.expected \
	tests/configs/bad/06-bare-number-duration.yaml \
	tests/configs/bad/07-bad-unit.expected \
	tests/configs/bad/07-bad-unit.yaml \
	tests/configs/bad/08-alias.expected \
	tests/configs/bad/08-alias.yaml \
	tests/configs/bad/09-anchor.expected \
	tests/configs/bad/09-anchor.yaml \
	tests/configs/bad/10-duplicate-key.expected \
	tests/configs/bad/10-duplicate-key.yaml \
	tests/configs/bad/11-tab-indent.expected \
	tests/configs/bad/11-tab-indent.yaml \
	tests/configs/bad/12-unclosed-quote.expected \
	tests/configs/bad/12-unclosed-quote.yaml \
	tests/configs/bad/13-too-deep.expected \
	tests/configs/bad/13-too-deep.yaml \
	tests/configs/bad/14-non-map-root.expected \
	tests/configs/bad/14-non-map-root.yaml \
	tests/configs/bad/15-empty.expected \
	tests/configs/bad/15-empty.yaml \
	tests/configs/bad/16-preset-and-clusters.expected \
	tests/configs/bad/16-preset-and-clusters.yaml \
	tests/configs/bad/17-min-greater-than-max.expected \
	tests/configs/bad/17-min-greater-than-max.yaml \
	tests/configs/bad/18-unknown-enum-value.expected \
	tests/configs/bad/18-unknown-enum-value.yaml \
	tests/configs/bad/19-reserved-faults.expected \
	tests/configs/bad/19-reserved-faults.yaml \
	tests/configs/bad/20-centralized.expected \
	tests/configs/bad/20-centralized.yaml \
	tests/configs/bad/21-set-missing-equals.expected \
	tests/configs/bad/21-set-missing-equals.set \
	tests/configs/bad/21-set-missing-equals.yaml \
	tests/configs/bad/22-seq-where-map-expected.expected \
	tests/configs/bad/22-seq-where-map-expected.yaml \
	tests/configs/bad/23-quoted-number.expected \
	tests/configs/bad/23-quoted-number.yaml \
	tests/configs/bad/24-multiple-documents.expected \
	tests/configs/bad/24-multiple-documents.yaml \
	tests/configs/bad/25-agents-with-clusters.expected \
	tests/configs/bad/25-agents-with-clusters.yaml \
	tests/configs/bad/26-out-of-range.expected \
	tests/configs/bad/26-out-of-range.yaml \
	tests/configs/bad/27-yes-for-bool.expected \
	tests/configs/bad/27-yes-for-bool.yaml \
	tests/configs/bad/28-span-after-horizon.expected \
	tests/configs/bad/28-span-after-horizon.yaml \
	tests/configs/bad/29-duplicate-cluster-names.expected \
	tests/configs/bad/29-duplicate-cluster-names.yaml \
	tests/configs/bad/30-params-not-a-map.expected \
	tests/configs/bad/30-params-not-a-map.yaml \
	tests/configs/bad/31-set-through-scalar.expected \
	tests/configs/bad/31-set-through-scalar.set \
	tests/configs/bad/31-set-through-scalar.yaml \
	tests/configs/bad/32-key-not-scalar.expected \
	tests/configs/bad/32-key-not-scalar.yaml \
	tests/configs/bad/33-too-precise-duration.expected \
	tests/configs/bad/33-too-precise-duration.yaml \
	tests/configs/bad/34-empty-cluster-list.expected \
	tests/configs/bad/34-empty-cluster-list.yaml \
	tests/configs/bad/35-swf-without-path.expected \
	tests/configs/bad/35-swf-without-path.yaml \
	tests/configs/bad/36-unknown-cluster-type.expected \
	tests/configs/bad/36-unknown-cluster-type.yaml \
	tests/configs/bad/37-no-value.expected \
	tests/configs/bad/37-no-value.yaml \
	tests/configs/bad/38-name-with-space.expected \
	tests/configs/bad/38-name-with-space.yaml \
	tests/configs/bad/39-yaml-tag.expected \
	tests/configs/bad/39-yaml-tag.yaml \
	tests/configs/bad/40-gpus-without-gpus.expected \
	tests/configs/bad/40-gpus-without-gpus.yaml \
	tests/configs/bad/41-set-bare-number.expected \
	tests/configs/bad/41-set-bare-number.set \
	tests/configs/bad/41-set-bare-number.yaml \
	tests/configs/bad/42-unknown-local-policy.expected \
	tests/configs/bad/42-unknown-local-policy.yaml \
	tests/configs/bad/43-cluster-item-not-map.expected \
	tests/configs/bad/43-cluster-item-not-map.yaml \
	tests/configs/bad/44-campaign-key-single-run.expected \
	tests/configs/bad/44-campaign-key-single-run.yaml \
	tests/configs/bad/45-invalid-utf8.expected \
	tests/configs/bad/45-invalid-utf8.yaml
# The network section (86-95).
EXTRA_DIST += \
	tests/configs/bad/86-bandwidth-no-unit.expected \
	tests/configs/bad/86-bandwidth-no-unit.yaml \
	tests/configs/bad/87-bandwidth-size-unit.expected \
	tests/configs/bad/87-bandwidth-size-unit.yaml \
	tests/configs/bad/88-negative-jitter.expected \
	tests/configs/bad/88-negative-jitter.yaml \
	tests/configs/bad/89-link-missing-to.expected \
	tests/configs/bad/89-link-missing-to.yaml \
	tests/configs/bad/90-link-unknown-key.expected \
	tests/configs/bad/90-link-unknown-key.yaml \
	tests/configs/bad/91-link-bad-bandwidth.expected \
	tests/configs/bad/91-link-bad-bandwidth.yaml \
	tests/configs/bad/92-link-end-not-a-name.expected \
	tests/configs/bad/92-link-end-not-a-name.yaml \
	tests/configs/bad/93-link-symmetric-yes.expected \
	tests/configs/bad/93-link-symmetric-yes.yaml \
	tests/configs/bad/94-set-bandwidth-bare.expected \
	tests/configs/bad/94-set-bandwidth-bare.set \
	tests/configs/bad/94-set-bandwidth-bare.yaml \
	tests/configs/bad/95-link-latency-no-unit.expected \
	tests/configs/bad/95-link-latency-no-unit.yaml
# Fault entries (66-72).
EXTRA_DIST += \
	tests/configs/bad/66-fault-entry-not-map.expected \
	tests/configs/bad/66-fault-entry-not-map.yaml \
	tests/configs/bad/67-fault-missing-type.expected \
	tests/configs/bad/67-fault-missing-type.yaml \
	tests/configs/bad/68-faults-scalar.expected \
	tests/configs/bad/68-faults-scalar.yaml \
	tests/configs/bad/69-fault-type-list.expected \
	tests/configs/bad/69-fault-type-list.yaml \
	tests/configs/bad/70-faults-no-value.expected \
	tests/configs/bad/70-faults-no-value.yaml \
	tests/configs/bad/71-set-faults-preset.expected \
	tests/configs/bad/71-set-faults-preset.set \
	tests/configs/bad/71-set-faults-preset.yaml \
	tests/configs/bad/72-fault-type-empty.expected \
	tests/configs/bad/72-fault-type-empty.yaml
# Workloads and platforms (46-55).
EXTRA_DIST += \
	tests/configs/bad/46-unknown-dist.expected \
	tests/configs/bad/46-unknown-dist.yaml \
	tests/configs/bad/47-dist-param-of-other-dist.expected \
	tests/configs/bad/47-dist-param-of-other-dist.yaml \
	tests/configs/bad/48-dist-missing-param.expected \
	tests/configs/bad/48-dist-missing-param.yaml \
	tests/configs/bad/49-choice-weights-length.expected \
	tests/configs/bad/49-choice-weights-length.yaml \
	tests/configs/bad/50-path-with-synthetic.expected \
	tests/configs/bad/50-path-with-synthetic.yaml \
	tests/configs/bad/51-trace-with-synthetic-key.expected \
	tests/configs/bad/51-trace-with-synthetic-key.yaml \
	tests/configs/bad/52-from-trace-with-preset.expected \
	tests/configs/bad/52-from-trace-with-preset.yaml \
	tests/configs/bad/53-from-trace-synthetic.expected \
	tests/configs/bad/53-from-trace-synthetic.yaml \
	tests/configs/bad/54-nodes-without-from-trace.expected \
	tests/configs/bad/54-nodes-without-from-trace.yaml \
	tests/configs/bad/55-unknown-job-type.expected \
	tests/configs/bad/55-unknown-job-type.yaml
# The failure detector's heartbeat section (76-85).
EXTRA_DIST += \
	tests/configs/bad/76-heartbeat-zero-period.expected \
	tests/configs/bad/76-heartbeat-zero-period.yaml \
	tests/configs/bad/77-heartbeat-timeout-no-unit.expected \
	tests/configs/bad/77-heartbeat-timeout-no-unit.yaml \
	tests/configs/bad/78-heartbeat-unknown-key.expected \
	tests/configs/bad/78-heartbeat-unknown-key.yaml \
	tests/configs/bad/79-heartbeat-enabled-yes.expected \
	tests/configs/bad/79-heartbeat-enabled-yes.yaml \
	tests/configs/bad/80-heartbeat-not-a-map.expected \
	tests/configs/bad/80-heartbeat-not-a-map.yaml \
	tests/configs/bad/81-heartbeat-negative-timeout.expected \
	tests/configs/bad/81-heartbeat-negative-timeout.yaml \
	tests/configs/bad/82-set-heartbeat-bare-period.expected \
	tests/configs/bad/82-set-heartbeat-bare-period.set \
	tests/configs/bad/82-set-heartbeat-bare-period.yaml \
	tests/configs/bad/83-heartbeats-top-key.expected \
	tests/configs/bad/83-heartbeats-top-key.yaml \
	tests/configs/bad/84-heartbeat-timeout-list.expected \
	tests/configs/bad/84-heartbeat-timeout-list.yaml \
	tests/configs/bad/85-heartbeat-zero-timeout.expected \
	tests/configs/bad/85-heartbeat-zero-timeout.yaml
# Local policies, the centralized controller and the clients (56-65).
EXTRA_DIST += \
	tests/configs/bad/56-ha-heartbeat-not-below-takeover.expected \
	tests/configs/bad/56-ha-heartbeat-not-below-takeover.yaml \
	tests/configs/bad/57-client-backoff-above-max.expected \
	tests/configs/bad/57-client-backoff-above-max.yaml \
	tests/configs/bad/58-ha-unknown-key.expected \
	tests/configs/bad/58-ha-unknown-key.yaml \
	tests/configs/bad/59-client-timeout-zero.expected \
	tests/configs/bad/59-client-timeout-zero.yaml \
	tests/configs/bad/60-client-give-up-bare-number.expected \
	tests/configs/bad/60-client-give-up-bare-number.yaml \
	tests/configs/bad/61-ha-not-a-map.expected \
	tests/configs/bad/61-ha-not-a-map.yaml \
	tests/configs/bad/62-ha-backup-yes.expected \
	tests/configs/bad/62-ha-backup-yes.yaml \
	tests/configs/bad/63-clients-misspelt.expected \
	tests/configs/bad/63-clients-misspelt.yaml \
	tests/configs/bad/64-client-backoff-max-below-default.expected \
	tests/configs/bad/64-client-backoff-max-below-default.yaml \
	tests/configs/bad/65-ha-negative-heartbeat.expected \
	tests/configs/bad/65-ha-negative-heartbeat.yaml
