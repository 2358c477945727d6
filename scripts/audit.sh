#!/usr/bin/env bash
# `npm audit --omit=dev` must show no high or critical finding. Where the registry's audit service is
# not reachable (this workplace's mirror answers 405), say so loudly instead of failing every build.
set -uo pipefail
out=$(npm audit --omit=dev --audit-level=high 2>&1); code=$?
echo "$out" | grep -v 'Unknown user config'
if [ $code -ne 0 ] && echo "$out" | grep -q 'audit endpoint returned an error'; then
  echo "WARNING: npm audit could not reach the advisory service; dependency audit NOT performed." >&2
  exit 0
fi
exit $code
