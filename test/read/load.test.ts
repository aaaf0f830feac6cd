import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { loadManifestFiles, loadManifestText, parseYamlDocument } from '../../lib/read/load';

/** How the `yaml` library (YAML 1.2, merge keys on, last repeated key wins) reads each document. */
function yamlLibraryValues(text: string): unknown[] {
  const documents = parseAllDocuments(text, { uniqueKeys: false, merge: true });
  return (Array.isArray(documents) ? documents : [documents]).map((document) => document.toJS({ maxAliasCount: 1000 }));
}

function objectsOf(text: string): unknown[] {
  return loadManifestText(text, 'x.yaml').objects.map((each) => each.object);
}

describe('loadManifestText', () => {
  test('reads multi-document YAML, skipping empty documents and scalars', () => {
    const loaded = loadManifestText('---\nkind: A\n---\n\n---\n42\n---\nkind: B\n', 'all.yaml');
    expect(loaded.objects.map((each) => each.object.kind)).toEqual(['A', 'B']);
    expect(loaded.problems).toEqual([]);
  });

  test('reads JSON objects and arrays', () => {
    expect(loadManifestText('{"kind":"A"}', 'a.json').objects).toHaveLength(1);
    expect(loadManifestText('[{"kind":"A"},{"kind":"B"}]', 'a.json').objects).toHaveLength(2);
  });

  test('flattens List kinds', () => {
    const loaded = loadManifestText('apiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: DeploymentList\n  items: [{kind: B}, {kind: C}]\n', 'list.yaml');
    expect(loaded.objects.map((each) => each.object.kind)).toEqual(['A', 'B', 'C']);
  });

  test('reports a syntax error with the line and document, and still reads the other documents', () => {
    const loaded = loadManifestText('kind: A\n---\nkind: [B\n---\nkind: C\n', 'mixed.yaml');
    expect(loaded.objects.map((each) => each.object.kind)).toEqual(['A', 'C']);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0].source).toMatch(/^mixed\.yaml:\d+ \(document 2\)$/);
  });
});

/**
 * What go-yaml v2 (sigs.k8s.io/yaml's parser, so kubectl's and the API server's) makes of each
 * plain scalar, from goyaml.v2/resolve.go: a table of exact words, then Go integer literals with
 * underscores removed (leading 0 is octal), then YAML-style floats. Timestamps stay strings.
 */
const GO_YAML_V2: [string, unknown][] = [
  ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['ON', true], ['True', true],
  ['no', false], ['n', false], ['N', false], ['off', false], ['Off', false], ['FALSE', false],
  ['tRue', 'tRue'], ['yEs', 'yEs'], ['~', null], ['null', null], ['NULL', null],
  ['070', 56], ['0777', 511], ['-070', -56], ['08', 8], ['09.5', 9.5], ['0', 0], ['0o17', 15], ['0x1F', 31], ['-0x1F', -31], ['+12', 12],
  ['1_000', 1000], ['0_70', 56], ['0b101', 5], ['-0b11', -3], ['1.5', 1.5], ['1.', 1], ['.5', 0.5], ['1e5', 100000], ['1.5E-3', 0.0015],
  ['.inf', Infinity], ['-.Inf', -Infinity], ['+.INF', Infinity], ['NaN', 'NaN'], ['1:20', '1:20'], ['2002-12-14', '2002-12-14'],
  ['0x', '0x'], ['1e', '1e'], ['+', '+'], ['._5', '._5'], ['1__0', 10], ['=', '='], ['12345678901234567890', 12345678901234567890],
];

/** Reads `text` on the careful path too: an alias anywhere sends the whole text there. */
function objectsOfCareful(text: string): unknown[] {
  return objectsOf(`${text}---\nanchor: &x 1\nalias: *x\n`).slice(0, -1);
}

describe('loadManifestText reads plain scalars as the cluster does (YAML 1.1, go-yaml v2), on both paths', () => {
  test.each(GO_YAML_V2)('%j reads as go-yaml v2 resolves it', (scalar, expected) => {
    const text = `kind: A\nplain: ${scalar}\nlist: [${scalar}]\nflow: {v: ${scalar}}\n`;
    const want = [{ kind: 'A', plain: expected, list: [expected], flow: { v: expected } }];
    expect(objectsOf(text)).toEqual(want);
    expect(objectsOfCareful(text)).toEqual(want);
  });

  test('an empty value is null', () => {
    expect(objectsOf('kind: A\nv:\n')).toEqual([{ kind: 'A', v: null }]);
  });

  test('terminationGracePeriodSeconds: 070 is 56 seconds, as kubectl applies it', () => {
    const text = 'kind: Pod\nspec:\n  terminationGracePeriodSeconds: 070\n';
    expect(objectsOf(text)).toEqual([{ kind: 'Pod', spec: { terminationGracePeriodSeconds: 56 } }]);
    expect(objectsOfCareful(text)).toEqual([{ kind: 'Pod', spec: { terminationGracePeriodSeconds: 56 } }]);
  });

  test('quoted and explicitly tagged scalars keep their type', () => {
    const text = 'kind: A\na: "070"\nb: \'yes\'\nc: !!str 12\nd: !!int 070\n';
    const want = [{ kind: 'A', a: '070', b: 'yes', c: '12', d: 56 }];
    expect(objectsOf(text)).toEqual(want);
    expect(objectsOfCareful(text)).toEqual(want);
  });

  test('a repeated key keeps its last value', () => {
    expect(objectsOf('kind: A\nkind: B\nspec: {replicas: 1, replicas: 3}\n')).toEqual([{ kind: 'B', spec: { replicas: 3 } }]);
  });

  test('merges << keys, inline and through aliases, with the mapping\'s own keys winning', () => {
    expect(objectsOf('kind: A\n<<: {a: 1, b: 2}\nb: 3\n')).toEqual([{ kind: 'A', a: 1, b: 3 }]);
    expect(objectsOf('base: &base {port: 80, protocol: TCP}\nkind: A\nspec:\n  <<: *base\n  port: 8080\n')).toEqual([{ base: { port: 80, protocol: 'TCP' }, kind: 'A', spec: { port: 8080, protocol: 'TCP' } }]);
  });

  test('reads keys that are not strings as the yaml library does', () => {
    for (const text of ['kind: A\n~: x\n', 'kind: A\n? [a, b]\n: c\n', '{kind: A, [a]: b}\n', '{kind: A, ~}\n', 'kind: A\n: x\n']) {
      expect(objectsOf(text)).toEqual(yamlLibraryValues(text).filter((value) => typeof value === 'object' && value !== null));
    }
  });

  test('reports rather than expands aliases that multiply', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) rows.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
    const loaded = loadManifestText(`kind: A\n${rows.join('\n')}\n`, 'laughs.yaml');
    expect(loaded.objects).toEqual([]);
    expect(loaded.problems).toEqual([{ source: 'laughs.yaml', message: expect.stringMatching(/alias/i) }]);
  });

  test('reports tabs used as indentation, as YAML and kubectl do', () => {
    const loaded = loadManifestText('kind: A\nspec:\n\treplicas: 1\n', 'tabs.yaml');
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0].source).toMatch(/^tabs\.yaml:\d+$/);
  });

  test('a %YAML 1.1 directive reads yes as a boolean, as without it', () => {
    expect(objectsOf('%YAML 1.1\n---\nkind: A\nhostNetwork: yes\n')).toEqual([{ kind: 'A', hostNetwork: true }]);
  });

  test('names documents the same way, counting empty ones', () => {
    const loaded = loadManifestText('---\nkind: A\n---\n---\nkind: B\n...\n', 'docs.yaml');
    expect(loaded.objects.map((each) => each.source)).toEqual(['docs.yaml (document 1)', 'docs.yaml (document 3)']);
  });

  test('reads any JSON-like value written as YAML exactly as the yaml library does', () => {
    // A %YAML 1.2 directive leaves the meaning unchanged and sends the text to the yaml library.
    const throughYamlLibrary = (text: string) => objectsOf(`%YAML 1.2\n---\n${text}`);
    fc.assert(fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 4 }), (values) => {
      const text = values.map((value) => stringify(value)).join('---\n');
      expect(loadManifestText(text, 'x.yaml').problems).toEqual([]);
      expect(objectsOf(text)).toEqual(throughYamlLibrary(text));
    }), { numRuns: 300 });
  });
});

describe('parseYamlDocument', () => {
  test('parses one document, and throws on a syntax error', () => {
    expect(parseYamlDocument('admin: {address: {socket_address: {port_value: 9901}}}\n')).toEqual({ admin: { address: { socket_address: { port_value: 9901 } } } });
    expect(parseYamlDocument('')).toBeNull();
    expect(() => parseYamlDocument('a: [b\n')).toThrow();
  });
});

describe('loadManifestFiles', () => {
  test('reads directories recursively, only manifest files, in name order, and standard input', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-load-'));
    fs.mkdirSync(path.join(directory, 'nested'));
    fs.writeFileSync(path.join(directory, 'b.yaml'), 'kind: B\n');
    fs.writeFileSync(path.join(directory, 'a.json'), '{"kind":"A"}');
    fs.writeFileSync(path.join(directory, 'nested', 'c.yml'), 'kind: C\n');
    fs.writeFileSync(path.join(directory, 'README.md'), '# not a manifest\n');
    const loaded = await loadManifestFiles([directory, '-'], async () => 'kind: D\n');
    expect(loaded.objects.map((each) => each.object.kind)).toEqual(['A', 'B', 'C', 'D']);
    expect(loaded.problems).toEqual([]);
  });

  test('reports a missing path and goes on', async () => {
    const loaded = await loadManifestFiles(['/nonexistent/hitless.yaml']);
    expect(loaded.problems).toEqual([{ source: '/nonexistent/hitless.yaml', message: 'no such file or directory' }]);
  });
});

describe('loadManifestText stays linear on long runs', () => {
  // A megabyte run of white space in a scalar once made the fast path's pre-scan quadratic (minutes).
  // No timing here: the hostile corpus (test/hostile.test.ts) bounds each file's run in a child process.
  test.each([
    ['a run of spaces inside a scalar', (n: number) => `kind: A\nv: x${' '.repeat(n)}y\n`, (n: number) => `x${' '.repeat(n)}y`],
    ['a run of spaces before a colon-free end', (n: number) => `kind: A\nv: "${' '.repeat(n)}"\n`, (n: number) => ' '.repeat(n)],
  ])('%s of a megabyte reads whole', (_name, make, value) => {
    const n = 1_000_000;
    expect(objectsOf(make(n))).toEqual([{ kind: 'A', v: value(n) }]);
  });
});

describe('loadManifestFiles on hostile file systems', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-load-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('follows a symlinked directory once, even in a cycle, and reports a dangling link', async () => {
    fs.mkdirSync(path.join(dir, 'real'));
    fs.writeFileSync(path.join(dir, 'real', 'a.yaml'), 'kind: A\n');
    fs.mkdirSync(path.join(dir, 'tree'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'tree', 'linked'));
    fs.symlinkSync(path.join(dir, 'tree'), path.join(dir, 'real', 'loop'));
    fs.symlinkSync(path.join(dir, 'nowhere.yaml'), path.join(dir, 'tree', 'dangling.yaml'));
    const loaded = await loadManifestFiles([path.join(dir, 'tree')]);
    expect(loaded.objects.map((each) => each.object.kind)).toEqual(['A']);
    expect(loaded.problems).toEqual([{ source: path.join(dir, 'tree', 'dangling.yaml'), message: 'no such file or directory (a symbolic link to nothing readable)' }]);
  });

  test('UTF-16 and bytes that are not UTF-8 are problems, not zero objects', async () => {
    fs.writeFileSync(path.join(dir, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: A\n', 'utf16le')]));
    fs.writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('kind: caf\xe9\n', 'latin1'));
    fs.writeFileSync(path.join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('kind: B\n')]));
    const loaded = await loadManifestFiles([dir]);
    expect(loaded.objects.map((each) => each.object.kind)).toEqual(['B']);
    expect(loaded.problems.map((problem) => problem.message)).toEqual(['the file is not valid UTF-8; save it as UTF-8', 'the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8']);
  });
});
