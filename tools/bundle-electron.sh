#!/usr/bin/env bash
# Bundles the Electron shell, preload and backend utility process into out/electron/*.cjs, and the
# renderer into out/renderer. Native modules (better-sqlite3, pkcs11js) stay external: electron-builder
# unpacks them from the asar (electron-builder.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
ESBUILD="node_modules/.bin/esbuild"
# Core modules use import.meta.dirname/url (ESM in a checkout); in the CommonJS bundle they become
# the bundle file's own folder and URL.
NODE_META=(--define:import.meta.dirname=__dirname --define:import.meta.url=__vanthuModuleUrl "--banner:js=const __vanthuModuleUrl=require('node:url').pathToFileURL(__filename).href;")
COMMON=(--bundle --platform=node --format=cjs --target=node20 --external:electron --external:better-sqlite3 --external:pkcs11js --log-level=warning)
"$ESBUILD" src-main/electron/main.ts --outfile=out/electron/main.cjs "${COMMON[@]}"
"$ESBUILD" src-main/preload/index.ts --outfile=out/electron/preload.cjs "${COMMON[@]}"
"$ESBUILD" src-main/core/host/utility-entry.ts --outfile=out/electron/backend.cjs "${COMMON[@]}" "${NODE_META[@]}"
"$ESBUILD" src-main/core/register/worker-host.ts --outfile=out/electron/register-worker.cjs "${COMMON[@]}" "${NODE_META[@]}"
# The exchange runs inside the register worker, loaded by path from beside it (core/services/exchange-remote.ts).
"$ESBUILD" src-main/core/services/exchange-worker.ts --outfile=out/electron/exchange-worker.cjs "${COMMON[@]}" "${NODE_META[@]}"
node node_modules/vite/bin/vite.js build --config src-renderer/vite.config.ts --logLevel error
# pdf.js runs its parser in a "fake worker" in Node, loaded by file name from beside the bundle.
cp node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs out/electron/pdf.worker.mjs
