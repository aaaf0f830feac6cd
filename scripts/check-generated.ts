/**
 * Fails the build when a generated file in the repository is stale.
 *
 *   ts-node scripts/check-generated.ts
 *
 * Each check regenerates its file in memory and compares; each prints how to regenerate.
 */
import { main as docgen } from './docgen';
import { main as envoyApi } from './envoy-api';

const CHECKS: ReadonlyArray<{ readonly name: string; readonly run: () => number }> = [
  { name: 'API.md', run: () => docgen(['--check']) },
  { name: 'lib/core/envoy/envoy-api.json', run: () => envoyApi(['--check']) },
];

function main(): number {
  let failed = 0;
  for (const check of CHECKS) {
    try {
      if (check.run() !== 0) {
        failed++;
      }
    } catch (error) {
      process.stderr.write(`${check.name}: ${(error as Error).message}\n`);
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main();
}
