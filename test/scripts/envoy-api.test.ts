import * as fs from 'fs';
import * as path from 'path';
import { DESCRIPTOR_FILE, loadEnvoyProtoFiles, renderEnvoyApi } from '../../scripts/envoy-api';

const ROOT = path.resolve(__dirname, '../..');

test('the committed Envoy API descriptor is what the protos generate (else run `npx projen envoy-api`)', () => {
  expect(fs.readFileSync(path.join(ROOT, DESCRIPTOR_FILE), 'utf8') === renderEnvoyApi()).toBe(true);
}, 120_000);

test('loads every v3 file of Envoy\'s API, skipping only those whose imports are not shipped', () => {
  const { loadedFiles, skippedFiles } = loadEnvoyProtoFiles();
  expect(loadedFiles.length).toBeGreaterThan(300);
  expect(loadedFiles).toContain('envoy/config/bootstrap/v3/bootstrap.proto');
  for (const skipped of skippedFiles) expect(skipped.reason).toMatch(/not shipped/);
}, 120_000);
