#!/usr/bin/env bash
# Drives the login example through headless Chromium, for a person to see it work (CI
# runs the same flow over plain HTTP instead: examples/login/tests/login.rs).
#
#   scripts/login-browser/run.sh [OUT_DIR]      # default OUT_DIR: target/login-browser
#
# Installs Debian's chromium and chromium-driver when missing (needs root or sudo), starts
# the example against its loopback stand-in (or a real Authing app, if AUTHING_APP_ID,
# AUTHING_APP_SECRET and AUTHING_APP_HOST are set and the callback is registered), opens
# /login in headless Chromium, which follows the redirects through the authorize endpoint
# and back, and saves a screenshot and the DOM of the page it ends on. Fails unless that
# page says who signed in.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if ((${#missing[@]})); then
    sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "installing ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

out=${1:-target/login-browser}
mkdir -p "$out"
port=${AUTHING_LOGIN_PORT:-3917}
base="http://127.0.0.1:$port"

cargo build -q -p authing-login-example
AUTHING_LOGIN_ADDR="127.0.0.1:$port" target/debug/authing-login-example >"$out/app.log" 2>&1 &
app=$!
trap 'kill "$app" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -fsS -o /dev/null "$base/" 2>/dev/null && break
    sleep 0.2
done

chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,420
        --virtual-time-budget=5000 --user-data-dir="$out/profile")
rm -rf "$out/profile"
"${chrome[@]}" --screenshot="$out/signed-in.png" "$base/login" 2>"$out/chromium.log"
rm -rf "$out/profile"
"${chrome[@]}" --dump-dom "$base/login" >"$out/signed-in.html" 2>>"$out/chromium.log"

if grep -q 'Signed in as' "$out/signed-in.html"; then
    echo "signed in: $(grep -o 'Signed in as <b id="name">[^<]*' "$out/signed-in.html" | sed 's/.*>//')"
    echo "screenshot: $out/signed-in.png"
else
    echo "the page Chromium ended on does not say who signed in; see $out/signed-in.html and $out/app.log" >&2
    exit 1
fi
