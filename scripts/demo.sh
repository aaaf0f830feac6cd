#!/usr/bin/env bash
# The README's main job: synthesize the example, check it, explain its gateway's drain, simulate its rollout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=demo.out
rm -rf "$out"
mkdir -p "$out"

echo "== cdk8s synth (examples/cdk8s)"
(cd examples/cdk8s && npx cdk8s synth --no-check-upgrade --output "../../$out/manifests")
ls "$out/manifests"

echo
echo "== hitless check $out/manifests"
node dist/cli.js check "$out/manifests"

echo
echo "== hitless explain $out/manifests"
node dist/cli.js explain "$out/manifests"

echo
echo "== hitless simulate: gateway rollout at the Gloo guide's load"
node dist/cli.js simulate "$out/manifests" --scenario gateway-rollout --placement new-node \
  --concurrency 4 --rate 10 --timeout 1s --no-keepalive --seed 1 \
  --timeline "$out/gateway-rollout.svg"

echo
echo "== hitless simulate: upstream rollout"
node dist/cli.js simulate "$out/manifests" --scenario upstream-rollout \
  --concurrency 4 --rate 10 --timeout 1s --no-keepalive --seed 1 \
  --timeline "$out/upstream-rollout.svg"

echo
echo "timelines: $out/gateway-rollout.svg $out/upstream-rollout.svg"
