#!/usr/bin/env bash
# `npm test`: typecheck, lint, the SDK's build, unit, integration (on this machine's Node and again on
# Node 24 LTS), then browser tests against a fresh production build, then the NAT lab (real namespaces and
# NATs, Chromium and Firefox inside homes).
set -euo pipefail
cd "$(dirname "$0")/.."
# No Next.js telemetry from `next build` or the servers the tests start.
export NEXT_TELEMETRY_DISABLED=1
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "typecheck"; npx tsc --noEmit
step "lint"; npx eslint --max-warnings 0 .
step "format (Prettier)"; npx prettier --check .
step "SDK package (packages/sdk → dist: ESM + .d.ts)"; npm run build:sdk
step "unit + integration"; npx vitest run --project unit --project integration
step "unit + integration again on Node 24 LTS"; bash scripts/node24.sh npx vitest run --project unit --project integration
step "production build"; NEXT_TELEMETRY_DISABLED=1 npx next build
step "browser (Chromium, Firefox)"; bash scripts/in-netns.sh npx vitest run --project browser
step "example games (examples/*/test, Chromium)"; bash scripts/in-netns.sh npx vitest run --project examples
step "NAT lab (namespaces, nftables NAT, coturn; Chromium and Firefox in homes)"; bash scripts/lab.sh
