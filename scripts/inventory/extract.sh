#!/usr/bin/env bash
# Re-extracts inventory/authing-v3.json from a fresh npm download of the pinned official
# Node SDK. Usage: scripts/inventory/extract.sh   (needs node and npm; not run by CI)
# A new Authing release: bump SDK_VERSION, run, review the diff of the inventory.
set -euo pipefail
SDK_VERSION=4.0.1
TYPESCRIPT_VERSION=5.6.3

repo=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

npm install --prefix "$scratch" --no-audit --no-fund --ignore-scripts --silent \
  "authing-node-sdk@$SDK_VERSION" "typescript@$TYPESCRIPT_VERSION"
node "$repo/scripts/inventory/extract.mjs" \
  "$scratch/node_modules/authing-node-sdk" "$scratch/node_modules/typescript" "$repo/inventory" \
  >"$scratch/authing-v3.json"
mv "$scratch/authing-v3.json" "$repo/inventory/authing-v3.json"
echo "wrote inventory/authing-v3.json from authing-node-sdk@$SDK_VERSION"
