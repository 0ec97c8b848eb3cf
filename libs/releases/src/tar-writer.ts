import { PassThrough, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** A ustar header; names longer than 100 bytes are split into prefix (155) and name (100) at a '/'. */
function header(path: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(path) > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`Path too long for a tar archive: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(mtime, 12), 136, 'ascii');
  block.fill(' ', 148, 156);
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'ascii');
  return block;
}

export interface TarEntry {
  path: string;
  content: () => Promise<Buffer>;
}

/** Streams the entries as a gzipped tar archive, reading each file only when its turn comes. */
export function tarGz(entries: TarEntry[], mtime = Math.floor(Date.now() / 1000)): Readable {
  const tar = new PassThrough();
  const gzip = createGzip();
  tar.pipe(gzip);
  void (async () => {
    try {
      for (const entry of entries) {
        const content = await entry.content();
        const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
        if (!tar.write(header(entry.path, content.length, mtime))) await new Promise((r) => tar.once('drain', r));
        if (!tar.write(content)) await new Promise((r) => tar.once('drain', r));
        if (padding && !tar.write(Buffer.alloc(padding))) await new Promise((r) => tar.once('drain', r));
      }
      tar.end(Buffer.alloc(BLOCK * 2));
    } catch (error) {
      gzip.destroy(error as Error);
    }
  })();
  return gzip;
}
