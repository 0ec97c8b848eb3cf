import { ApiError, api } from '../api';
import { sliceSuggestionSchema, type SliceSuggestion } from '@lesionlab/contracts';

const DISCARDED_KEY = 'lesionlab:discarded-suggestions';

/** The slice's newest model suggestion, or null when the model has none for it. */
export async function fetchSuggestion(sliceId: string): Promise<SliceSuggestion | null> {
  try {
    const { data } = await api.GET('/api/slices/{id}/suggestion', { params: { path: { id: sliceId } }, cache: 'no-store' });
    return sliceSuggestionSchema.parse(data);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** The suggestion's Grad-CAM heat map, decoded for drawing. */
export async function fetchGradcam(sliceId: string): Promise<ImageBitmap> {
  const { data } = await api.GET('/api/slices/{id}/suggestion/gradcam', { params: { path: { id: sliceId } }, parseAs: 'blob' });
  return createImageBitmap(data!);
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
