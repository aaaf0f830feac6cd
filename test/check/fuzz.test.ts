import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { checkReadResult, formatJson, formatText } from '../../lib/check';
import { readManifestObjects, readManifestText } from '../../lib/read';

/**
 * Property-based tests: whatever the manifests hold (random text, random YAML, the fixtures with
 * fields replaced by values of the wrong type, huge numbers, deleted fields), reading and checking
 * never throws and always yields a report that serializes.
 */

const fixtures = path.join(__dirname, '..', 'fixtures', 'check');
const documents: unknown[] = fs.readdirSync(fixtures)
  .filter((name) => name.endsWith('.yaml'))
  .flatMap((name) => parseAllDocuments(fs.readFileSync(path.join(fixtures, name), 'utf8')).map((document) => (Array.isArray(document) ? undefined : document.toJS())))
  .filter((value) => value !== undefined && value !== null);

/** Every path to a value inside an object. */
function paths(value: unknown, prefix: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  into.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => paths(item, [...prefix, index], into));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], into);
  return into;
}

function setAt(root: unknown, at: (string | number)[], value: unknown, remove: boolean): unknown {
  if (at.length === 0) return value;
  let parent = root as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
  return root;
}

const weird = fc.oneof(
  fc.anything({ maxDepth: 2, maxKeys: 3, withNullPrototype: true, withBigInt: false, withDate: true, withMap: false, withSet: false, withTypedArray: false, withSparseArray: true, withBoxedValues: false }),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, -1, 0, NaN, Infinity, -Infinity, 0.0001, '', ' ', '30s', '25%', '-5%', '1e400', 'None', 'Local', 'true', null, [], {}, '/healthcheck/fail', 'sh', '-c'),
  fc.string({ maxLength: 40 }),
);

const mutated = fc.tuple(fc.constantFrom(...documents), fc.array(fc.tuple(fc.nat(), weird, fc.boolean()), { minLength: 1, maxLength: 6 })).map(([document, mutations]) => {
  let copy: unknown = structuredClone(document);
  for (const [pick, value, remove] of mutations) {
    const all = paths(copy);
    copy = setAt(copy, all[pick % all.length], value, remove);
  }
  return copy;
});

/** A whole install: every fixture document, some of them mutated, in random order. */
const installs = fc.tuple(fc.array(mutated, { maxLength: 4 }), fc.shuffledSubarray(documents)).map(([changed, kept]) => [...kept, ...changed]);

function checkNeverThrows(result: ReturnType<typeof readManifestText>): void {
  const report = checkReadResult(result);
  expect(['hitless', 'drops-requests', 'unknown']).toContain(report.verdict);
  formatText(report, { color: true });
  const json = JSON.parse(formatJson(report));
  expect(Object.keys(json).slice(0, 2)).toEqual(['verdict', 'findings']);
  for (const finding of report.findings) {
    // The topology builder turns a reader exception into this finding; none may happen.
    expect(finding.rule === 'object-not-read' ? finding.message : 'read').toBe('read');
    expect(typeof finding.rule).toBe('string');
    expect(typeof finding.message).toBe('string');
    expect(Array.isArray(finding.objects)).toBe(true);
  }
}

let cases = 0;
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`fast-check: ${cases} cases`);
});

describe('reading and checking never throw', () => {
  test('on random text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.fullUnicodeString({ maxLength: 100 }), fc.constantFrom('---\n---', '{', '[1,', ': :', '- - -', '&a [*a, *a]', 'kind: List\nitems: 5', '{"kind":"List","items":[null,1,"x"]}')), (text) => {
      cases++;
      checkNeverThrows(readManifestText(text, 'random.yaml'));
    }), { numRuns: 1500 });
  });

  test('on random YAML documents', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 4 }), (values) => {
      cases++;
      checkNeverThrows(readManifestText(values.map((value) => stringify(value)).join('---\n'), 'random.yaml'));
    }), { numRuns: 700 });
  });

  test('on the fixtures with fields of the wrong type, huge numbers and deleted fields (as objects)', () => {
    fc.assert(fc.property(installs, (objects) => {
      cases++;
      checkNeverThrows(readManifestObjects(objects, 'mutated'));
    }), { numRuns: 2500 });
  });

  test('on the fixtures mutated, as YAML text', () => {
    fc.assert(fc.property(installs, (objects) => {
      cases++;
      let text: string;
      try {
        text = objects.map((object) => stringify(object)).join('---\n');
      } catch {
        return; // values YAML cannot write (a Date with no time, say) are the object test's business
      }
      checkNeverThrows(readManifestText(text, 'mutated.yaml'));
    }), { numRuns: 500 });
  });
});
