import { Readable } from 'stream';
import { readUtf8Stream } from '../../lib/cli/io';
import { loadManifestFiles } from '../../lib/read/load';

describe('standard input', () => {
  test('is read whole as UTF-8, a UTF-8 byte order mark dropped', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('kind: café\n')]);
    await expect(readUtf8Stream(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]))).resolves.toBe('kind: café\n');
  });

  test('that is not UTF-8 is refused, as a file is', async () => {
    await expect(readUtf8Stream(Readable.from([Buffer.from('kind: caf\xe9\n', 'latin1')]))).rejects.toThrow('standard input is not valid UTF-8; save it as UTF-8');
    await expect(readUtf8Stream(Readable.from([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: A\n', 'utf16le')])]))).rejects.toThrow(/standard input is UTF-16/);
    await expect(readUtf8Stream(Readable.from([Buffer.from('kind: A\n', 'utf16le')]))).rejects.toThrow(/standard input holds NUL characters/);
  });

  test('that is not UTF-8 is a read problem on `-`, not zero objects', async () => {
    const loaded = await loadManifestFiles(['-'], () => readUtf8Stream(Readable.from([Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('kind: A\n', 'utf16le')])])));
    expect(loaded.objects).toEqual([]);
    expect(loaded.problems).toEqual([{ source: '-', message: 'standard input is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8' }]);
  });
});
