#!/usr/bin/env bash
# Scale benchmark of #[endpoint] (not a test): builds 600 endpoints declared with the
# macro and the same 600 written by hand on authing_core's traits, and prints both build
# times and their ratio. The macro should cost at most 1.15x the hand-written code.
#
#   scripts/macro-scale/run.sh              # COUNT=600 RUNS=3 COMMAND=build by default
#   COUNT=1200 RUNS=5 scripts/macro-scale/run.sh
#   COMMAND=check scripts/macro-scale/run.sh  # what an editor runs on each save
#
# gen.py generates the two crates under $CARGO_TARGET_DIR/macro-scale (or
# target/macro-scale), as a workspace of their own with a target dir of its own.
# Dependencies are built once; measure.py then rebuilds each generated crate from
# scratch (`cargo clean -p`, no incremental compilation), alternating the two, and keeps
# the best of RUNS. Other builds running on the machine make the numbers noisy: compare
# runs made on a quiet machine, or look at the CPU-time ratio, which moves less.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${CARGO_TARGET_DIR:-$root/target}/macro-scale
count=${COUNT:-600}
runs=${RUNS:-3}
command=${COMMAND:-build}

python3 "$here/gen.py" --out "$out" --core "$root/authing-core" --count "$count"
# The workspace's lock file pins the same dependency versions and spares a registry lookup.
[ -f "$out/Cargo.lock" ] || cp "$root/Cargo.lock" "$out/Cargo.lock"
cd "$out"
# A target dir of its own: the timings must not depend on what other builds left around.
export CARGO_TARGET_DIR="$out/target" CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never

echo "== building dependencies once"
cargo "$command" --quiet --workspace

echo "== timing"
python3 "$here/measure.py" --runs "$runs" --count "$count" --command "$command"
