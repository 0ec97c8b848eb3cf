import { DomainError, type Release } from '@lesionlab/contracts';
import type { ReleasesService } from '@lesionlab/releases';
import { assertReadyRelease } from './runs.service';

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
