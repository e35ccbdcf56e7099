#!/usr/bin/env bash
# `npm test`: type checks, every Node suite, then the browser end-to-end suite; ends with the plain line
# "N passed, N failed" (the type checks count as one test each). Exit status 1 when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/vitest-*.json
failed_checks=0; passed_checks=0

check() { # name, command...
  local name="$1"; shift
  echo "--- $name"
  if "$@"; then passed_checks=$((passed_checks + 1)); else echo "FAILED: $name"; failed_checks=$((failed_checks + 1)); fi
}

check "test PKI and SoftHSM tokens" bash native/provision-test-pki.sh
check "typecheck (main, tests, bench)" npx tsc -p tsconfig.main.json
check "typecheck (renderer)" npx tsc -p tsconfig.renderer.json
check "layer rules" node --import tsx tools/check-layers.ts
check "file size rule" node --import tsx tools/check-file-size.ts

echo "--- node suites"
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-node.json
echo "--- browser end-to-end suite"
npx vitest run --config test/e2e-web/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.tmp/vitest-e2e.json

node - "$passed_checks" "$failed_checks" <<'JS'
const fs = require('node:fs');
let passed = Number(process.argv[2]), failed = Number(process.argv[3]), skipped = 0;
for (const f of ['.tmp/vitest-node.json', '.tmp/vitest-e2e.json']) {
  if (!fs.existsSync(f)) { console.log(`${f}: no report (suite crashed)`); failed += 1; continue; }
  const r = JSON.parse(fs.readFileSync(f, 'utf8'));
  passed += r.numPassedTests; failed += r.numFailedTests;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load, or whose set-up fails (its tests then show as skipped), counts as one
  // failure more: its skipped tests would otherwise hide the failure behind "0 failed".
  failed += r.testResults.filter((t) => t.status === 'failed' && !t.assertionResults.some((a) => a.status === 'failed')).length;
}
if (skipped) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
JS
