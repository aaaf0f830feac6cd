import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifestFiles, loadManifestText } from '../../lib/read/load';

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
