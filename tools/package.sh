#!/usr/bin/env bash
# Release packaging, on a machine with network access (Electron headers and binaries are downloaded):
# bundle, rebuild native modules for Electron's ABI, then electron-builder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bundle-electron.sh
npx --yes @electron/rebuild --only better-sqlite3,pkcs11js
npx electron-builder --config electron-builder.yml "$@"
