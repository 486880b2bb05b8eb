#!/usr/bin/env bash
# The call overhead in instructions (docs/BENCHMARKS.md, "Call overhead"): builds
# b24-client's `call_instructions` bench and runs it under valgrind's callgrind twice, once
# counting the instructions inside `bare_calls` (a bare reqwest POST + serde_json::Value, 2,000
# times) and once inside `full_calls` (our full call path, 2,000 times), then prints both
# counts and their ratio. Instruction counts do not depend on the machine's load, so the ratio
# repeats from run to run. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

# The bench profile (optimised), as `cargo bench` builds it.
bin=$(cargo bench -p b24-client --bench call_instructions --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*call_instructions[^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not build the call_instructions bench" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/$1.out" \
    --toggle-collect="*$1*" "$bin" --bench >/dev/null 2>"$out/$1.log"
  # "Collected : N": the instructions executed inside the toggled function.
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/$1.log"
}

bare=$(count bare_calls)
full=$(count full_calls)
calls=2000
echo "bare reqwest POST + serde_json::Value: $bare instructions ($((bare / calls)) a call)"
echo "b24-client full call path, typed:      $full instructions ($((full / calls)) a call)"
awk -v f="$full" -v b="$bare" 'BEGIN { printf "ratio: %.3fx\n", f / b }'
