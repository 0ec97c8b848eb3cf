import { DomainError, type Model, type Release } from '@lesionlab/contracts';
import type { ReleasesService } from '@lesionlab/releases';
import { assertInitModel, assertReadyRelease } from './runs.service';

/** ReleasesService as far as a run's check reads it: one release, or none. */
const releasesWith = (release: Pick<Release, 'id' | 'status'> | null) => ({ find: async (id: string) => (release?.id === id ? release : null) }) as unknown as ReleasesService;

describe('assertReadyRelease', () => {
  it('passes a ready release', async () => {
    await expect(assertReadyRelease(releasesWith({ id: 'r1', status: 'ready' }), 'r1')).resolves.toBeUndefined();
  });

  it.each([
    ['a release still building', { id: 'r1', status: 'building' as const }, 'Release r1 is building: runs need a ready release'],
    ['a failed release', { id: 'r1', status: 'failed' as const }, 'Release r1 is failed: runs need a ready release'],
    ['a missing release', null, 'No release r1'],
  ])('refuses %s as invalid input', async (_name, release, message) => {
    const refusal = assertReadyRelease(releasesWith(release), 'r1');
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toMatchObject({ kind: 'invalid' });
    await expect(refusal).rejects.toBeInstanceOf(DomainError);
  });
});

describe('assertInitModel', () => {
  const model = { id: 'm1', name: 'medsam-lite', version: 3, architecture: 'medsam-lite', sha256: 'a'.repeat(64) } as Model;
  const stored = async (sha256: string) => sha256 === model.sha256;

  it('passes a model of the run\'s trainer model whose weights are stored', async () => {
    await expect(assertInitModel(model, { initModelId: 'm1', model: 'medsam-lite' }, stored)).resolves.toBeUndefined();
  });

  it.each([
    ['a missing model', null, 'jcs', stored, 'not-found', 'No model m1 (initModelId)'],
    ['another trainer model\'s', model, 'jcs-lite', stored, 'invalid', 'initModelId: model medsam-lite v3 (m1) is a medsam-lite model; a jcs-lite run can only start from a jcs-lite model'],
    ['one whose weights are gone', model, 'medsam-lite', async () => false, 'invalid', `initModelId: model medsam-lite v3 (m1) has no weights in storage (blob ${'a'.repeat(64)})`],
  ] as const)('refuses %s', async (_name, found, trainerModel, exists, kind, message) => {
    const refusal = assertInitModel(found, { initModelId: 'm1', model: trainerModel }, exists);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toMatchObject({ kind });
  });
});
