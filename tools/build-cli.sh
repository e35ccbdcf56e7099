#!/usr/bin/env bash
# Builds the fast CLI: src-main/cli/run.ts bundled ahead of time into out/cli/run.mjs, one chunk per
# command group (loaded when named), plus the register worker. npm packages are bundled too (Node's
# import of a CommonJS package from ESM lexes it at every start: ~80 ms for asn1js/pkijs alone), except
# the native modules and pdf.js, which load files beside themselves; `require` is provided for the
# CommonJS code inside the bundle. out/cli sits two levels below the root like src-main/core, so
# core/paths.ts finds resources/ from either. bin.mjs uses the bundle only while it is newer than every
# source file; otherwise it runs the sources through tsx.
# Usage: tools/build-cli.sh [OUTDIR] — OUTDIR must be two levels below the root (default out/cli).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-out/cli}"
rm -rf "$OUT"
node_modules/.bin/esbuild src-main/cli/run.ts src-main/core/register/worker-host.ts \
  --bundle --splitting --format=esm --platform=node --target=node20 \
  --external:better-sqlite3 --external:pkcs11js --external:pdfjs-dist --external:tsx --external:electron \
  "--banner:js=import { createRequire as __vanthuRequire } from 'node:module'; const require = __vanthuRequire(import.meta.url);" \
  --outdir="$OUT" --entry-names=[name] --chunk-names=chunk-[hash] --out-extension:.js=.mjs --log-level=warning
mv "$OUT/worker-host.mjs" "$OUT/register-worker.mjs"
