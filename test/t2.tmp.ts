import { parseAllDocuments } from 'yaml';
import { loadManifestText } from '../lib/read/load';
for (const n of [30_000, 100_000, 300_000]) {
  const text = 'k: [' + ' , '.repeat(n)+']';
  let t = Date.now(); const d = parseAllDocuments(text); console.log(n, 'parse', Date.now() - t, (d as any)[0]?.errors?.length);
  t = Date.now(); loadManifestText(text, 'x'); console.log(n, 'load', Date.now() - t);
}
