import type { Model } from '@lesionlab/contracts';

/** How the runs pages name a registered model: `medsam-lite · v3`. */
export const modelLabel = (model: Pick<Model, 'name' | 'version'>) => `${model.name} · v${model.version}`;
