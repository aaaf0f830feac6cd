import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import { ENVOY_API_DESCRIPTOR, envoyProtos, loadEnvoyProtos } from '../../../lib/core/envoy/proto-loader';
import { loadEnvoyProtoFiles } from '../../../scripts/envoy-api';

const ROOT = path.resolve(__dirname, '../../..');

/** Every field of every message below `namespace`, as the validator sees it. */
function fieldsOf(namespace: protobuf.NamespaceBase, out: Map<string, unknown>): Map<string, unknown> {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) {
      for (const field of nested.fieldsArray) {
        field.resolve();
        out.set(field.fullName, {
          type: field.resolvedType ? field.resolvedType.fullName : field.type,
          id: field.id,
          repeated: field.repeated,
          map: field instanceof protobuf.MapField ? field.keyType : undefined,
          options: field.options,
          parsedOptions: field.parsedOptions,
          oneof: field.partOf?.name,
        });
      }
      for (const oneof of nested.oneofsArray) out.set(oneof.fullName, { parsedOptions: oneof.parsedOptions });
    }
    if (nested instanceof protobuf.Enum) out.set(nested.fullName, { values: nested.values, valuesOptions: nested.valuesOptions });
    if (nested instanceof protobuf.Namespace) fieldsOf(nested, out);
  }
  return out;
}

describe('the Envoy API descriptor', () => {
  test('holds every field, type, option and validation rule of the .proto files it was generated from', () => {
    const fromFiles = fieldsOf(loadEnvoyProtoFiles().root, new Map());
    const fromDescriptor = fieldsOf(loadEnvoyProtos().root, new Map());
    expect(fromFiles.size).toBeGreaterThan(4_000);
    expect([...fromDescriptor.keys()].sort()).toEqual([...fromFiles.keys()].sort());
    const differing = [...fromFiles].filter(([name, field]) => JSON.stringify(fromDescriptor.get(name)) !== JSON.stringify(field)).map(([name]) => name);
    expect(differing).toEqual([]);
  }, 120_000);

  test('keeps the (validate.rules) the validator enforces', () => {
    const field = envoyProtos().root.lookupType('envoy.config.cluster.v3.Cluster').fields.connect_timeout;
    expect(field.parsedOptions).toEqual([{ '(validate.rules)': { duration: { gt: {} } } }]);
  });

  test('names the protos it came from', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    expect(envoyProtos().source).toBe(`@grpc/grpc-js-xds@${lock.packages['node_modules/@grpc/grpc-js-xds'].version}`);
  });
});

describe('at run time', () => {
  test('the protos\' package is a development dependency only: nothing in lib/ reads it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).not.toContain('@grpc/grpc-js-xds');
    expect(Object.keys(manifest.devDependencies)).toContain('@grpc/grpc-js-xds');
    const readers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && /['"]@grpc\//.test(fs.readFileSync(full, 'utf8'))) readers.push(path.relative(ROOT, full));
      }
    };
    walk(path.join(ROOT, 'lib'));
    expect(readers).toEqual([]);
  });

  test('the descriptor ships: the package\'s files include it and tsc copies it beside the loader', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(manifest.files).toContain(`dist/${path.relative(path.join(ROOT, 'lib'), ENVOY_API_DESCRIPTOR).split(path.sep).join('/')}`);
    // A type-only import puts the JSON in tsc's program, so it is emitted to dist/.
    expect(fs.readFileSync(path.join(ROOT, 'lib/core/envoy/proto-loader.ts'), 'utf8')).toMatch(/import type \* as \w+ from '\.\/envoy-api\.json'/);
  });

  test('a descriptor with options for a name it does not define is refused, naming it', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'hitless-descriptor-'));
    try {
      const file = path.join(dir, 'envoy-api.json');
      fs.writeFileSync(file, JSON.stringify({ source: 'test', loadedFiles: [], skippedFiles: [], root: { nested: {} }, parsedOptions: { 'a.B.c': [{}] }, valuesOptions: {} }));
      expect(() => loadEnvoyProtos(file)).toThrow(/'a\.B\.c'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
