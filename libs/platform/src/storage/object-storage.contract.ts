import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { blobKey, putContentAddressed } from './content-addressed';
import { InvalidObjectKeyError, ObjectNotFoundError, type ObjectStorage } from './object-storage';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function listKeys(storage: ObjectStorage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of storage.list(prefix)) keys.push(item.key);
  return keys.sort();
}

/** The behaviour every ObjectStorage driver must have; each driver's spec runs it against itself. */
export function describeObjectStorageContract(name: string, open: () => Promise<ObjectStorage>) {
  describe(`${name} object storage contract`, () => {
    let storage: ObjectStorage;
    beforeAll(async () => {
      storage = await open();
    });

    it('puts a buffer and reads it back byte for byte, with head and exists', async () => {
      const bytes = randomBytes(70_000);
      const info = await storage.put('contract/a/one.bin', bytes, { contentType: 'application/octet-stream' });
      expect(info.size).toBe(bytes.length);
      expect(Buffer.compare(await readAll(await storage.get('contract/a/one.bin')), bytes)).toBe(0);
      expect((await storage.head('contract/a/one.bin'))?.size).toBe(bytes.length);
      expect(await storage.exists('contract/a/one.bin')).toBe(true);
      expect(await storage.exists('contract/a/missing.bin')).toBe(false);
      expect(await storage.head('contract/a/missing.bin')).toBeNull();
    });

    it('puts from a stream', async () => {
      const bytes = randomBytes(300_000);
      await storage.put('contract/stream.bin', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
      expect(Buffer.compare(await readAll(await storage.get('contract/stream.bin')), bytes)).toBe(0);
    });

    it('rejects a get of a missing object with ObjectNotFoundError', async () => {
      await expect(storage.get('contract/nothing-here')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('deletes, and deleting twice is fine', async () => {
      await storage.put('contract/delete-me', Buffer.from('x'));
      await storage.delete('contract/delete-me');
      await storage.delete('contract/delete-me');
      expect(await storage.exists('contract/delete-me')).toBe(false);
    });

    it('lists by prefix, including partial names, and nothing outside it', async () => {
      for (const key of ['list/x/1', 'list/x/2', 'list/xy/3', 'list/y/4']) await storage.put(key, Buffer.from(key));
      expect(await listKeys(storage, 'list/x/')).toEqual(['list/x/1', 'list/x/2']);
      expect(await listKeys(storage, 'list/x')).toEqual(['list/x/1', 'list/x/2', 'list/xy/3']);
      expect(await listKeys(storage, 'list/')).toHaveLength(4);
      expect(await listKeys(storage, 'list/none/')).toEqual([]);
    });

    it('stores content once under its sha256, from a buffer or a stream', async () => {
      const bytes = randomBytes(50_000);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const first = await putContentAddressed(storage, bytes, 'image/png');
      expect(first).toMatchObject({ sha256, key: blobKey(sha256), size: bytes.length, created: true });
      const again = await putContentAddressed(storage, Readable.from([bytes]), 'image/png');
      expect(again).toMatchObject({ sha256, created: false });
      expect(Buffer.compare(await readAll(await storage.get(first.key)), bytes)).toBe(0);
      const streamed = await putContentAddressed(storage, Readable.from([randomBytes(10), randomBytes(20)]));
      expect(streamed.created).toBe(true);
      expect(streamed.size).toBe(30);
      expect(await listKeys(storage, 'tmp/')).toEqual([]);
    });

    it('refuses keys that could escape the store', async () => {
      for (const key of ['../etc/passwd', '/abs', 'a//b', 'a/./b', 'a/../../b', '']) {
        await expect(storage.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
      }
    });

    it('touches an object: its last-modified time moves forward, its bytes stay', async () => {
      await storage.put('contract/touched', Buffer.from('same bytes'));
      const before = (await storage.head('contract/touched'))!.lastModified!.getTime();
      await new Promise((r) => setTimeout(r, 1100)); // S3 keeps whole seconds
      await storage.touch('contract/touched');
      const after = await storage.head('contract/touched');
      expect(after!.lastModified!.getTime()).toBeGreaterThan(before);
      expect((await readAll(await storage.get('contract/touched'))).toString()).toBe('same bytes');
      await expect(storage.touch('contract/never-written')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('presigns GET and PUT URLs', async () => {
      const get = new URL(await storage.presignGet('contract/a/one.bin', 60));
      const put = new URL(await storage.presignPut('contract/upload.bin', 60));
      for (const url of [get, put]) expect(url.protocol).toMatch(/^https?:$/);
      expect(get.toString()).not.toEqual(put.toString());
    });

    it('answers a ping', async () => {
      await expect(storage.ping()).resolves.toBeUndefined();
    });
  });
}
