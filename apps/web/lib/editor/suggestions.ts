import type { SliceSuggestion } from '@lesionlab/contracts';

const DISCARDED_KEY = 'lesionlab:discarded-suggestions';

/** The slice's newest model suggestion, or null when the model has none for it. */
export async function fetchSuggestion(sliceId: string): Promise<SliceSuggestion | null> {
  const response = await fetch(`/api/slices/${sliceId}/suggestion`, { cache: 'no-store' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET suggestion of ${sliceId}: ${response.status}`);
  return (await response.json()) as SliceSuggestion;
}

/** The suggestion's Grad-CAM heat map, decoded for drawing. */
export async function fetchGradcam(sliceId: string): Promise<ImageBitmap> {
  const response = await fetch(`/api/slices/${sliceId}/suggestion/gradcam`);
  if (!response.ok) throw new Error(`GET Grad-CAM of ${sliceId}: ${response.status}`);
  return createImageBitmap(await response.blob());
}

/** Suggestions (by revision id) the annotator discarded in this browser. */
export class DiscardedSuggestions {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'>) {}

  has(revisionId: string): boolean {
    return this.read().includes(revisionId);
  }

  add(revisionId: string): void {
    const ids = this.read();
    if (!ids.includes(revisionId)) this.storage.setItem(DISCARDED_KEY, JSON.stringify([...ids, revisionId]));
  }

  private read(): string[] {
    try {
      const ids: unknown = JSON.parse(this.storage.getItem(DISCARDED_KEY) ?? '[]');
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }
}
