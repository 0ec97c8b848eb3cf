import { maskQuerySchema, saveMaskSchema } from './masks';

const rle = { size: [2, 2], counts: '4' };
const classIssue = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('mask class: 1-64 characters of a safe alphabet wherever a client names one', () => {
  it.each(['x'.repeat(65), '', '../etc', 'two words', '<b>', '-leading'])('refuses %j, naming the field', (bad) => {
    expect(classIssue(saveMaskSchema.safeParse({ rle, class: bad }))).toEqual(['class: 1-64 characters: letters, digits, - and _, starting with a letter or digit']);
    expect(classIssue(maskQuerySchema.safeParse({ class: bad }))).toEqual(['class: 1-64 characters: letters, digits, - and _, starting with a letter or digit']);
  });

  it('accepts the default and names like ground-glass_2 of up to 64 characters', () => {
    expect(saveMaskSchema.parse({ rle }).class).toBe('opacification');
    expect(saveMaskSchema.parse({ rle, class: 'ground-glass_2' }).class).toBe('ground-glass_2');
    expect(maskQuerySchema.parse({ class: 'a'.repeat(64) }).class).toBe('a'.repeat(64));
  });
});
