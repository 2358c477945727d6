#!/usr/bin/env bash
# `npm run lab`: the NAT lab's cases (tests/lab/) in their own sandbox, then one table of what each
# case reached and how fast. Needs root, nftables, conntrack, coturn, Chromium, Firefox ESR and a
# production build (`npx next build`); `npm test` runs the same cases.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .next/BUILD_ID ] || NEXT_TELEMETRY_DISABLED=1 npx next build
export LAB_MATRIX_FILE; LAB_MATRIX_FILE=$(mktemp)
status=0
bash scripts/in-lab.sh npx vitest run --project lab "$@" || status=$?
npx tsx tests/lab/printMatrix.ts "$LAB_MATRIX_FILE" || true
rm -f "$LAB_MATRIX_FILE"
exit $status
