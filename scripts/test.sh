#!/usr/bin/env bash
# The one test command (README): every crate's tests on a real SQLite file and the
# real PostgreSQL on this machine, then the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL: the tests create and drop a fresh database per run.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "PostgreSQL is not answering; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

cargo test --workspace --all-features --locked

# The browser tests and the small load test drive the binary `cargo test` just built.
cargo build -p koers --all-features --locked

# A small load test over real HTTP, so the load generator cannot rot: it fails unless
# every acknowledged join, statement and vote is in the database afterwards.
target/debug/koers loadtest --participants 300 --interval-ms 500 --duration 5 --statements 20 --ramp 2
target/debug/koers loadtest --participants 200 --interval-ms 500 --duration 5 --statements 20 --ramp 2 \
  --postgres postgres://postgres@127.0.0.1:5432/postgres --instances 2
KOERS_BIN="$PWD/target/debug/koers" bash tests/e2e/run.sh
