#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion (completion/dmas) sourced in bash: subcommands, options, files, --set.
# shellcheck shell=bash
if [ -z "${BASH_VERSION:-}" ]; then
  command -v bash >/dev/null 2>&1 || { echo "1..0 # SKIP bash is not installed"; exit 0; }
  exec bash "$0" "$@"
fi
set -u
builddir="${DMAS_BUILDDIR:?set by the test environment}"
src="${DMAS_SRCDIR:?set by the test environment}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The build tree's dmas, so that `dmas plugins` lists the build tree's components.
PATH="$builddir:$PATH"
# shellcheck source=/dev/null
source "$src/completion/dmas" || { echo "Bail out! cannot source $src/completion/dmas"; exit 1; }

n=0
fails=0
# complete LINE: the candidates for the command line LINE (cursor at its end), one a line.
complete_line () {
  COMP_LINE=$1
  COMP_POINT=${#COMP_LINE}
  read -r -a COMP_WORDS <<<"$COMP_LINE"
  COMP_CWORD=${#COMP_WORDS[@]}
  COMPREPLY=()
  _dmas dmas
  printf '%s\n' "${COMPREPLY[@]}" | sort
}
# check DESCRIPTION LINE EXPECTED: the sorted candidates of LINE are exactly EXPECTED (sorted,
# one a line).
check () {
  n=$((n + 1))
  local got
  got=$(complete_line "$2")
  if [[ $got == "$3" ]]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    echo "# line: '$2'"
    printf '%s\n' "$got" | sed 's/^/# got: /'
    printf '%s\n' "$3" | sed 's/^/# want: /'
    fails=$((fails + 1))
  fi
}
# check_has DESCRIPTION LINE WORD...: each WORD is among the candidates of LINE.
check_has () {
  n=$((n + 1))
  local desc="$1" line="$2" got w missing=""
  shift 2
  got=$(complete_line "$line")
  for w in "$@"; do
    grep -qxF -- "$w" <<<"$got" || missing="$missing $w"
  done
  if [[ -z $missing ]]; then
    echo "ok $n - $desc"
  else
    echo "not ok $n - $desc (missing:$missing)"
    printf '%s\n' "$got" | sed 's/^/# got: /'
    fails=$((fails + 1))
  fi
}
lines () { printf '%s\n' "$@" | sort; }

echo "1..11"
n=$((n + 1))
if complete -p dmas 2>/dev/null | grep -q -- '-F _dmas'; then
  echo "ok $n - sourcing registers _dmas for dmas"
else
  echo "not ok $n - sourcing registers _dmas for dmas"; fails=$((fails + 1))
fi
check "the subcommands" "dmas " "$(lines check config demo evaluate plugins replay report run setup-env)"
check "a subcommand prefix" "dmas re" "$(lines replay report)"
check_has "run's options" "dmas run --" --seed --set --plugin-path --output --jobs --resume --progress
check "plugins' options" "dmas plugins --p" "$(lines --params --plugin-path)"
check "--progress modes" "dmas run --progress " "$(lines auto bar jsonl none)"
check_has "--set keys from dmas config" "dmas run --set scheduling.c" scheduling.consensus=

# The consensus names offered are those `dmas plugins` lists, whatever they are.
want=$(dmas plugins 2>/dev/null | sed -n 's|^consensus/\([^ ]*\) .*|\1|p' | sort)
if [[ -z $want ]]; then
  echo "not ok $((n + 1)) - --set scheduling.consensus= offers the installed consensus components (dmas plugins lists none)"
  n=$((n + 1)); fails=$((fails + 1))
else
  check "--set scheduling.consensus= offers the installed consensus components" \
    "dmas run --set scheduling.consensus=" "$want"
fi
check "--set=scheduling.bidding=PREFIX, attached form" "dmas config --set=scheduling.bidding=heu" \
  "heuristic"

# CONFIG: YAML files and directories, nothing else; report and replay take directories.
mkdir -p "$tmp/cfg/sub"
: >"$tmp/cfg/a.yaml"; : >"$tmp/cfg/b.yml"; : >"$tmp/cfg/notes.txt"
check "run CONFIG completes YAML files and directories" "dmas run $tmp/cfg/" \
  "$(lines "$tmp/cfg/a.yaml" "$tmp/cfg/b.yml" "$tmp/cfg/sub")"
check "report DIR completes directories only" "dmas report $tmp/cfg/" "$(lines "$tmp/cfg/sub")"

[[ $fails -eq 0 ]]
