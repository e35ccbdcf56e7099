#!/usr/bin/env bash
# Builds the fast CLI (see tools/build-cli.mjs for what goes where and why).
# Usage: tools/build-cli.sh [OUTDIR] — OUTDIR must be two levels below the root (default out/cli).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node tools/build-cli.mjs "$@"
