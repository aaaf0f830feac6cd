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

describe('loadManifestText reads scalars as YAML 1.2, whichever parser answers', () => {
  const scalars = ['yes', 'no', 'on', 'off', 'y', 'True', 'FALSE', 'tRue', '~', 'null', 'NULL', '', '0777', '0o17', '0x1F', '-0x1F', '+12', '-0', '1_000', '0b101',
    '1.5', '1.', '.5', '1e5', '1.5E-3', '.inf', '-.Inf', '.NaN', 'NaN', '2001-12-14t21:59:43.10-05:00', '2002-12-14', '1:20', '12345678901234567890', '"42"', "'true'",
    '!!str 12', '!!int "7"', '!!binary aGk=', '!custom x', '=', '<<'];

  test.each(scalars)('%s reads as the yaml library reads it', (scalar) => {
    const text = `kind: A\nplain: ${scalar}\nlist: [${scalar}]\nflow: {v: ${scalar}}\n`;
    const expected = yamlLibraryValues(text);
    expect(objectsOf(text)).toEqual(expected.filter((value) => typeof value === 'object' && value !== null));
  });

  test('keeps yes, on and timestamps as strings, and 0777 as decimal', () => {
    expect(objectsOf('kind: A\na: yes\nb: on\nc: 2002-12-14\nd: 0777\ne: 0o17\n')).toEqual([{ kind: 'A', a: 'yes', b: 'on', c: '2002-12-14', d: 777, e: 15 }]);
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

  test('a %YAML 1.1 directive makes yes a boolean, as the yaml library reads it', () => {
    const text = '%YAML 1.1\n---\nkind: A\nhostNetwork: yes\n';
    expect(objectsOf(text)).toEqual(yamlLibraryValues(text));
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
