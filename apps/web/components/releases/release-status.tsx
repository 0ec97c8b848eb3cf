import type { Release } from '@lesionlab/contracts';

const BADGE: Record<Release['status'], string> = { building: 'badge-wait', ready: 'badge-up', failed: 'badge-down' };

/** building / ready / failed as a coloured badge. */
export function ReleaseStatus({ status }: { status: Release['status'] }) {
  return (
    <span className={`badge ${BADGE[status]}`} data-testid="release-status" data-status={status}>
      {status}
    </span>
  );
}
