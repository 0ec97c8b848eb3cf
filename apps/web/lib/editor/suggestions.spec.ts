import { DiscardedSuggestions } from './suggestions';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe('DiscardedSuggestions', () => {
  it('remembers discarded suggestions across instances sharing a storage', () => {
    const storage = memoryStorage();
    new DiscardedSuggestions(storage).add('r1');
    const later = new DiscardedSuggestions(storage);
    expect(later.has('r1')).toBe(true);
    expect(later.has('r2')).toBe(false);
  });

  it('treats a corrupt entry as nothing discarded', () => {
    expect(new DiscardedSuggestions(memoryStorage({ 'lesionlab:discarded-suggestions': '{not json' })).has('r1')).toBe(false);
  });
});
