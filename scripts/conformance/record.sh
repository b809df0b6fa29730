#!/usr/bin/env bash
# Records what the official Authing Node.js SDK sends for every endpoint of the inventory,
# as the fixtures the conformance test compares authing-rs with (not run by CI).
#
#   scripts/conformance/record.sh                    # every endpoint of inventory/authing-v3.json
#   ONLY=management.importOtp,authentication.sendEnrollFactorRequest scripts/conformance/record.sh
#   INVENTORY=other.json OUT=/tmp/fixtures scripts/conformance/record.sh
#
# It installs the SDK pinned by package.json and package-lock.json beside this script
# (authing-node-sdk 4.0.1 and the exact axios it sends with) into a scratch folder outside
# the repository, with `npm ci`, and reuses that folder on later runs. SDK=<dir of an
# authing-node-sdk> skips the install and records with that copy instead.
#
# The fixtures directory is emptied first, so an endpoint that left the inventory leaves
# no stale fixture behind. The output depends only on the inventory and the SDK: running
# the script twice yields the same files.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
inventory=${INVENTORY:-$root/inventory/authing-v3.json}
out=${OUT:-$root/tests/fixtures/conformance}

if [ ! -f "$inventory" ]; then
    echo "record.sh: no inventory at $inventory (set INVENTORY=...)" >&2
    exit 1
fi

if [ -z "${SDK:-}" ]; then
    scratch=${SCRATCH:-${TMPDIR:-/tmp}/authing-rs-conformance}
    mkdir -p "$scratch"
    # Reinstall only when the pins changed since the last install.
    if ! cmp -s "$here/package-lock.json" "$scratch/package-lock.json" ||
        [ ! -d "$scratch/node_modules/authing-node-sdk" ]; then
        cp "$here/package.json" "$here/package-lock.json" "$scratch/"
        (cd "$scratch" && npm ci --ignore-scripts --no-audit --no-fund)
    fi
    SDK=$scratch/node_modules/authing-node-sdk
fi

version=$(node -p "require('$SDK/package.json').version")
echo "recording authing-node-sdk $version from $SDK"

rm -rf "$out"
mkdir -p "$out"
node "$here/record.js" --sdk "$SDK" --inventory "$inventory" --out "$out" ${ONLY:+--only "$ONLY"}
