import fs from 'node:fs';
import path from 'node:path';
import { settingsSchema } from './config.schema';

describe('the README configuration table', () => {
  it('lists every setting the platform reads', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    const missing = Object.keys(settingsSchema.shape).filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
  });
});
