#!/usr/bin/env bash
# Build time and rlib size of b24-client with one scope feature against all scopes, as ratios
# against the runtime alone (`--no-default-features`), all measured in this run.
#
#   scripts/bench-scopes.sh [ROUNDS]     (default 3; prints a Markdown table)
#
# Dependencies and the proc macro are built once first; each round then cleans only
# b24-client and builds it (debug) once per feature set. The table shows the median round.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/scope-bench}
sets=("default" "im" "user" "department" "basic" "none")
args_for() {
  case $1 in
    default) echo "" ;;
    none) echo "--no-default-features" ;;
    *) echo "--no-default-features --features $1" ;;
  esac
}
for s in "${sets[@]}"; do
  # shellcheck disable=SC2046
  cargo build -q -p b24-client --locked $(args_for "$s")
done
declare -A times sizes
for r in $(seq "$rounds"); do
  for s in "${sets[@]}"; do
    cargo clean -q -p b24-client
    start=$(date +%s.%N)
    # shellcheck disable=SC2046
    cargo build -q -p b24-client --locked $(args_for "$s")
    end=$(date +%s.%N)
    times[$s]+="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') "
    sizes[$s]=$(stat -c %s "$CARGO_TARGET_DIR"/debug/libb24_client.rlib)
  done
  echo "round $r done" >&2
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base_t=$(echo "${times[none]}" | median)
all_s=${sizes[default]}
echo "| features | build time (median of $rounds) | vs runtime only | rlib size | vs all scopes |"
echo "| --- | --- | --- | --- | --- |"
for s in "${sets[@]}"; do
  t=$(echo "${times[$s]}" | median)
  awk -v s="$s" -v t="$t" -v b="$base_t" -v z="${sizes[$s]}" -v all="$all_s" \
    'BEGIN { printf "| %s | %.2f s | %.2fx | %.1f MB | %.2f |\n", s, t, t / b, z / 1e6, z / all }'
done
echo
for s in "${sets[@]}"; do echo "rounds $s: ${times[$s]}"; done
