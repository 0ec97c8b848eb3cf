import { hashPassword, verifyPassword } from './password-hash';
import { sha256Hex } from '../storage/content-addressed';
import { AccessTokenSigner, newOpaqueToken } from './tokens';

describe('credentials', () => {
  it('hashes passwords with salted scrypt and verifies only the right one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });

  it('signs access tokens that expire and cannot be altered or forged with another secret', () => {
    const signer = new AccessTokenSigner('a-signing-secret-of-at-least-32-chars');
    const claims = { sub: 'u1', email: 'a@b.c', role: 'annotator' as const, exp: 2000, iatMs: 1_000_000 };
    const token = signer.sign(claims);
    expect(signer.verify(token, 1999)).toEqual(claims);
    expect(signer.verify(token, 2000)).toBeNull();
    const [kind, , mac] = token.split('.');
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(signer.verify(`${kind}.${promoted}.${mac}`, 1)).toBeNull();
    expect(new AccessTokenSigner('another-signing-secret-of-32-chars!!').verify(token, 1)).toBeNull();
    expect(signer.verify('llat.garbage', 1)).toBeNull();
  });

  it('makes opaque tokens with 256 random bits and a kind prefix', () => {
    const token = newOpaqueToken('llpat');
    expect(token).toMatch(/^llpat_[\w-]{43}$/);
    expect(newOpaqueToken('llpat')).not.toBe(token);
    expect(sha256Hex(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
