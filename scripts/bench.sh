#!/usr/bin/env bash
# Runs every benchmark in bench/ in turn; each prints its own baseline and ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
# The rollout-time bench synthesizes examples/cdk8s, which imports the built package.
npx tsc --build
status=0
for bench in bench/*.bench.ts; do
  [ -e "$bench" ] || continue
  echo "== $bench"
  npx ts-node --transpile-only --project test/tsconfig.json "$bench" || status=1
done
exit $status
