#!/usr/bin/env bash
# Incremental `cargo build` after editing one Sessie template, before and after the
# split of Sessie out of koers-web, measured in the same run on the same machine.
#
#   bash benches/build/incremental.sh [BEFORE_REV] [RUNS]
#
# BEFORE_REV (default f5c4d32, the last commit before the split) is checked out into
# a temporary worktree with its own target directory and built once (cold, not
# timed). Then, alternating between the two trees, RUNS times (default 3): append a
# visible HTML comment to the console template (a real change: askama regenerates
# the template's code), time `cargo build`, and put the file back. Prints a markdown
# table of wall-clock seconds, median and best, and what cargo rebuilt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
before_rev="${1:-f5c4d32}"
runs="${2:-3}"
wt="$(mktemp -d /tmp/koers-before-XXXX)"
trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add --detach "$wt" "$before_rev" >/dev/null 2>&1

before_tpl="$wt/crates/web/templates/session_console.html"
after_tpl="$root/crates/sessie/templates/session_console.html"

echo "warming both trees (not timed)…" >&2
(cd "$wt" && cargo build --locked -q)
(cd "$root" && cargo build --locked -q)

time_one() { # dir template -> seconds
  local dir="$1" tpl="$2" copy
  copy="$(mktemp)"
  cp "$tpl" "$copy"
  echo "<!-- bench $RANDOM -->" >> "$tpl"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && cargo build --locked -q)
  t1=$(date +%s.%N)
  cp "$copy" "$tpl"
  rm -f "$copy"
  echo "$t1 - $t0" | bc
}

rebuilt() { # dir template -> crates cargo recompiles
  local dir="$1" tpl="$2" copy
  copy="$(mktemp)"
  cp "$tpl" "$copy"
  echo "<!-- bench list -->" >> "$tpl"
  (cd "$dir" && cargo build --locked -v 2>&1 | sed -n 's/^ *Compiling \([^ ]*\) .*/\1/p' | paste -sd, -)
  cp "$copy" "$tpl"
  rm -f "$copy"
  (cd "$dir" && cargo build --locked -q)
}

b=(); a=()
for _ in $(seq "$runs"); do
  b+=("$(time_one "$wt" "$before_tpl")")
  a+=("$(time_one "$root" "$after_tpl")")
done
# Put both trees back in a built state for the next measurement.
(cd "$wt" && cargo build --locked -q)
(cd "$root" && cargo build --locked -q)

stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%.2f | %.2f", v[int((NR+1)/2)], v[1]}'; }
echo
echo "| tree | what cargo rebuilt | median s | best s | runs (s) |"
echo "|---|---|---|---|---|"
echo "| before ($before_rev, Sessie inside koers-web) | $(rebuilt "$wt" "$before_tpl") | $(stats "${b[@]}") | ${b[*]} |"
echo "| after ($(git -C "$root" rev-parse --short HEAD), Sessie in koers-sessie) | $(rebuilt "$root" "$after_tpl") | $(stats "${a[@]}") | ${a[*]} |"
echo
echo "load: $(uptime)"
