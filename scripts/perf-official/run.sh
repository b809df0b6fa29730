#!/usr/bin/env bash
# Side by side with Authing's official SDKs (not part of CI): the same GetOtpSecretByUser
# call through hand-written reqwest, authing-rs (both management schemes), the official
# Node.js SDK 4.0.1 and the official Python SDK 5.1.0, against one canned server in its
# own process, in alternating rounds; prints CPU per call (1 and 64 at a time) and calls/s
# at 64 as ratios against the hand-written call of the same round.
#
#   scripts/perf-official/run.sh            # 5 rounds
#   ROUNDS=3 scripts/perf-official/run.sh
#
# The SDKs are installed into a scratch folder outside the repository
# (PERF_SCRATCH, default /tmp/authing-perf-official); nothing from it is committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
scratch="${PERF_SCRATCH:-/tmp/authing-perf-official}"
rounds="${ROUNDS:-5}"
mkdir -p "$scratch"

if [ ! -d "$scratch/node/node_modules/authing-node-sdk" ]; then
  echo "== installing authing-node-sdk@4.0.1 into $scratch/node" >&2
  npm install --prefix "$scratch/node" --no-audit --no-fund authing-node-sdk@4.0.1 >&2
fi
if [ ! -x "$scratch/venv/bin/python" ] || ! "$scratch/venv/bin/python" -c "import authing, websockets" 2>/dev/null; then
  echo "== installing authing==5.1.0 (and websockets, which it imports undeclared) into $scratch/venv" >&2
  python3 -m venv "$scratch/venv"
  "$scratch/venv/bin/pip" install --quiet "authing==5.1.0" websockets >&2
fi

echo "== building the Rust clients and the canned server (release)" >&2
(cd "$repo" && cargo build --release --locked -p authing-benches --bin cpu-per-call >&2)
bin="$repo/target/release/cpu-per-call"

# The server serves until its standard input closes: when this script ends, it does.
coproc SERVER { exec "$bin" serve; }
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null || true' EXIT
read -r base <&"${SERVER[0]}"
echo "== canned server at $base" >&2

# Calls per measurement: enough for a few tenths of a second of each client's CPU.
calls() {
  case "$1:$2" in
    node:1) echo 500 ;; node:64) echo 2000 ;;
    python:1) echo 300 ;; python:64) echo 1000 ;;
    *:1) echo 2000 ;; *) echo 10000 ;;
  esac
}

measure() {
  local client="$1" concurrency="$2" n
  n="$(calls "$client" "$concurrency")"
  case "$client" in
    node) node "$here/node-driver.js" "$scratch/node" "$base" "$concurrency" "$n" ;;
    python) "$scratch/venv/bin/python" "$here/python-driver.py" "$base" "$concurrency" "$n" ;;
    *) "$bin" measure "$client" get-otp "$concurrency" "$n" "$base" ;;
  esac
}

clients=(hand-written token signature node python)
results="$scratch/results.txt"
: > "$results"
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds" >&2
  for k in "${!clients[@]}"; do
    # Rotate the order each round, so that no client always goes first.
    client="${clients[$(( (k + round) % ${#clients[@]} ))]}"
    for concurrency in 1 64; do
      echo "$client $concurrency $round $(measure "$client" "$concurrency")" >> "$results"
    done
  done
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1 /proc/loadavg)"
python3 "$here/report.py" "$results"
