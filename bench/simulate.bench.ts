/**
 * `hitless simulate` of a 30-minute gateway rollout at 40 requests/s (the Gloo guide's 4 × 10, no
 * keep-alive), and at Envoy Gateway's 2,000 requests/s for 2 minutes. Goal: the 30-minute run in
 * ≤ 2 s. Baseline: the bare event queue pushing and popping as many events as the run has
 * requests × 2, in the same process.
 */
import { performance } from 'perf_hooks';
import { EventQueue, Random, simulate } from '../lib/simulate';
import { ENVOY_GATEWAY_LOAD, glooGuideTopology, GUIDE_LOAD, safeTopology } from '../test/simulate/fixtures';

function time<T>(run: () => T): { result: T; seconds: number } {
  const start = performance.now();
  const result = run();
  return { result, seconds: (performance.now() - start) / 1000 };
}

function queueAlone(events: number): number {
  const queue = new EventQueue();
  const random = new Random(1);
  let now = 0;
  for (let index = 0; index < 8; index++) queue.push(random.next(), 0, index);
  let handled = 0;
  for (let event = queue.pop(); event !== undefined && handled < events; event = queue.pop()) {
    now = event.time;
    queue.push(now + random.next() * 0.1, 0, event.subject);
    queue.release(event);
    handled++;
  }
  return handled;
}

// Warm the JIT so that the figures measure steady work.
simulate(glooGuideTopology(), { scenario: 'gateway-rollout', load: { ...GUIDE_LOAD, durationSeconds: 60 }, seed: 1 });

const thirtyMinutes = time(() => simulate(safeTopology(), { scenario: 'gateway-rollout', load: { ...GUIDE_LOAD, durationSeconds: 1800 }, seed: 1 }));
const baseline = time(() => queueAlone(thirtyMinutes.result.requests * 2));
const envoyGateway = time(() => simulate(safeTopology(), { scenario: 'gateway-rollout', load: { ...ENVOY_GATEWAY_LOAD, durationSeconds: 120 }, seed: 1 }));

const line = (name: string, seconds: number, requests: number) =>
  `${name.padEnd(58)} ${seconds.toFixed(3)} s  (${(seconds / baseline.seconds).toFixed(2)} × baseline; ${Math.round((seconds * 1e9) / requests)} ns/request)`;
console.log(line(`baseline: event queue alone, ${thirtyMinutes.result.requests * 2} events`, baseline.seconds, thirtyMinutes.result.requests));
console.log(line(`30 min at 40 req/s, gateway rollout (${thirtyMinutes.result.requests} requests)`, thirtyMinutes.seconds, thirtyMinutes.result.requests));
console.log(line(`2 min at 2,000 req/s keep-alive (${envoyGateway.result.requests} requests)`, envoyGateway.seconds, envoyGateway.result.requests));
console.log(`goal ≤ 2 s for the 30-minute run: ${thirtyMinutes.seconds <= 2 ? 'met' : 'NOT met'}`);
if (thirtyMinutes.result.requests !== 1800 * 40) {
  console.error(`expected 72000 requests, counted ${thirtyMinutes.result.requests}`);
  process.exitCode = 1;
}
