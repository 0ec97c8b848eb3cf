import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { confinePath, LocalSourceTree } from './local-source';
import { SourceRefusedError } from './source-tree';

describe('import path confinement', () => {
  let base: string;
  let allowed: string;
  let outside: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'confine-'));
    allowed = path.join(base, 'allowed');
    outside = path.join(base, 'outside');
    await fs.mkdir(path.join(allowed, 'set'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'secret.png'), 'secret');
    await fs.writeFile(path.join(allowed, 'set', 'ok.png'), 'ok');
    await fs.symlink(outside, path.join(allowed, 'escape'));
    await fs.symlink(path.join(outside, 'secret.png'), path.join(allowed, 'set', 'link.png'));
  });
  afterAll(() => fs.rm(base, { recursive: true, force: true }));

  it('accepts a folder inside an allowed root', async () => {
    expect(await confinePath(path.join(allowed, 'set'), [allowed])).toBe(await fs.realpath(path.join(allowed, 'set')));
  });

  it('refuses "..", relative paths, paths outside the roots and symlinks out of them', async () => {
    await expect(confinePath(`${allowed}/set/../../outside`, [allowed])).rejects.toThrow(/contains "\.\."/);
    await expect(confinePath('set', [allowed])).rejects.toThrow(/not an absolute path/);
    await expect(confinePath(outside, [allowed])).rejects.toThrow(/outside the folders imports may read/);
    await expect(confinePath(path.join(allowed, 'escape'), [allowed])).rejects.toBeInstanceOf(SourceRefusedError);
  });

  it('refuses files that link outside the source, and paths that climb out of it', async () => {
    const tree = await LocalSourceTree.open(path.join(allowed, 'set'), [allowed], { maxSlicePixels: 1, maxVolumeBytes: 1024 });
    expect((await tree.read('ok.png')).toString()).toBe('ok');
    await expect(tree.read('link.png')).rejects.toThrow(/links outside/);
    await expect(tree.read('../escape/secret.png')).rejects.toBeInstanceOf(SourceRefusedError);
  });
});
