import { generatedPassword } from './generated-password';

describe('generatedPassword', () => {
  it('is 20 characters of the unambiguous alphabet, long enough for the API, and different each time', () => {
    const passwords = Array.from({ length: 200 }, () => generatedPassword());
    for (const password of passwords) expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
    expect(new Set(passwords).size).toBe(200);
  });

  it('uses every character of the alphabet about equally often', () => {
    const counts = new Map<string, number>();
    for (const char of generatedPassword(57_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(57);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(200);
  });
});
