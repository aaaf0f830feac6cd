import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { typeCheck } from './support/typecheck';

/** The README's TypeScript examples compile against the library as it is, so they can't rot. */
test('every TypeScript block in the README type-checks', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-readme-'));
  try {
    const files = blocks.map((block, index) => {
      const file = path.join(dir, `block-${index}.ts`);
      fs.writeFileSync(file, `export {};\n${block}`);
      return file;
    });
    expect(typeCheck(files)).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
