#!/usr/bin/env bash
# Sets up a fresh Debian 12 / Ubuntu machine for vanthu: system packages, then the npm dependencies
# (native modules build from source against the local Node headers), then the test PKI and tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
bash native/install-system-packages.sh
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
bash native/provision-test-pki.sh
# The fast CLI (out/cli); bin.cjs falls back to the sources whenever they are newer.
bash tools/build-cli.sh
