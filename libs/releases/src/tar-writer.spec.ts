import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { tarGz } from './tar-writer';

describe('tarGz', () => {
  it('writes an archive that tar reads back byte for byte, long paths included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesionlab-tar-'));
    const long = `${'deep/'.repeat(25)}file.txt`;
    const files: Record<string, Buffer> = { 'a.txt': Buffer.from('hello\n'), 'images/x.png': Buffer.alloc(1300, 7), [long]: Buffer.from('long path') };
    const archive = path.join(dir, 'out.tar.gz');
    await pipeline(tarGz(Object.entries(files).map(([p, c]) => ({ path: p, content: async () => c }))), fs.createWriteStream(archive));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xzf', archive, '-C', out]);
    for (const [p, content] of Object.entries(files)) expect(Buffer.compare(fs.readFileSync(path.join(out, p)), content)).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
