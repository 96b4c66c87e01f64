#!/usr/bin/env bash
# The consensus benchmark in one command, from the repository root:
#
#   bash benches/consensus/run.sh
#
# Sets up benches/.venv (red-dwarf 0.4.0 and NumPy), builds the Rust bench in
# release mode, times the Rust engine, our NumPy port and red-dwarf side by side
# on every conversation in data/polis (the repository's copy) and on the seeded synthetic
# conversation (33,422 participants x 783 statements, 2.0 M votes), and rewrites
# the "## Consensus engine" section of docs/BENCHMARKS.md with the figures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${KOERS_POLIS_DATA:-$root/data/polis}"
if [ ! -d "$data" ]; then
  echo "Pol.is data not found at $data (set KOERS_POLIS_DATA)" >&2
  exit 1
fi
bash "$here/setup.sh"
py="$root/benches/.venv/bin/python"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-consensus}"
(cd "$root" && cargo build --quiet --release -p koers-consensus --example bench)
bin="$CARGO_TARGET_DIR/release/examples/bench"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
uptime > "$out/load-before.txt"
echo "Rust: Pol.is conversations" >&2
"$bin" "$data" --repeat 21 > "$out/rust.jsonl"
echo "Rust: synthetic" >&2
"$bin" "$data" --synthetic --repeat 11 --write-synthetic "$out/synthetic.csv" > "$out/rust-synthetic.jsonl"
echo "NumPy and red-dwarf: Pol.is conversations" >&2
"$py" "$here/bench.py" "$data" --repeat 3 > "$out/python.jsonl"
echo "NumPy and red-dwarf: synthetic (slow)" >&2
"$py" "$here/bench.py" "$data" --synthetic "$out/synthetic.csv" --reddwarf-timeout "${REDDWARF_TIMEOUT:-1200}" > "$out/python-synthetic.jsonl"
uptime > "$out/load-after.txt"
"$py" "$here/report.py" "$out" "$root/docs/BENCHMARKS.md"
