#!/usr/bin/env bash
# Runs every benchmark in bench/ in turn; each prints its own baseline and ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for bench in bench/*.bench.ts; do
  [ -e "$bench" ] || continue
  echo "== $bench"
  npx ts-node --transpile-only --project test/tsconfig.json "$bench" || status=1
done
exit $status
