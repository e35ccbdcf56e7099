#!/usr/bin/env bash
# Bundles the Electron shell, preload and backend utility process into out/electron/*.cjs, and the
# renderer into out/renderer. Native modules (better-sqlite3, pkcs11js) stay external: electron-builder
# unpacks them from the asar (electron-builder.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
ESBUILD="node_modules/.bin/esbuild"
COMMON=(--bundle --platform=node --format=cjs --target=node20 --external:electron --external:better-sqlite3 --external:pkcs11js --log-level=warning)
"$ESBUILD" src-main/electron/main.ts --outfile=out/electron/main.cjs "${COMMON[@]}"
"$ESBUILD" src-main/preload/index.ts --outfile=out/electron/preload.cjs "${COMMON[@]}"
"$ESBUILD" src-main/core/host/utility-entry.ts --outfile=out/electron/backend.cjs "${COMMON[@]}" --define:import.meta.dirname=__dirname
node node_modules/vite/bin/vite.js build --config src-renderer/vite.config.ts --logLevel warn
