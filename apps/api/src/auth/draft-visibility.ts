import type { Principal } from './principal';

/**
 * Annotators see other people's drafts only once they are submitted; a model's drafts are suggestions
 * meant for every annotator. Other roles see every revision.
 */
export function visibleTo(viewer: Principal, revision: { state: string; author: string; source?: string }): boolean {
  return viewer.role !== 'annotator' || revision.state !== 'draft' || revision.source === 'model' || revision.author === viewer.email;
}
