import * as path from 'path';
import { typeCheck } from '../support/typecheck';

/** examples/policy-pack type-checks against the library and @pulumi/policy (running it needs the Pulumi CLI). */
test('the policy pack example compiles against hitless and @pulumi/policy', () => {
  expect(typeCheck([path.resolve(__dirname, '../../examples/policy-pack/index.ts')])).toEqual([]);
}, 120_000);
