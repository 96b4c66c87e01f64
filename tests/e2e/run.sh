#!/usr/bin/env bash
# Browser tests: every page in both languages at desktop and phone size, checked with
# axe-core, on Debian's Chromium. Builds nothing: takes the koers binary from
# $KOERS_BIN (default target/debug/koers under the repository root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

export KOERS_BIN="${KOERS_BIN:-target/debug/koers}"
case "$KOERS_BIN" in /*) ;; *) KOERS_BIN="$root/$KOERS_BIN" ;; esac
if [ ! -x "$KOERS_BIN" ]; then
  echo "e2e: no koers binary at $KOERS_BIN (build it first: cargo build -p koers)" >&2
  exit 1
fi

# Debian's Chromium; never a downloaded browser.
if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: installing chromium from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "e2e: node and npm are needed (Node 20 or newer)" >&2
  exit 1
fi

cd "$here"
# npm ci only when node_modules is missing or the lockfile changed since the last one.
stamp=node_modules/.koers-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

rm -rf screenshots
mkdir -p screenshots
# Every *.spec.mjs file (or the ones named as arguments), one after the other: each
# starts its own demo server and browser, and the tests within a file run in order
# (sessie.spec.mjs runs one live session through every phase).
if [ "$#" -gt 0 ]; then specs=("$@"); else specs=(*.spec.mjs); fi
exec node --test --test-concurrency=1 --test-reporter=tap "${specs[@]}"
