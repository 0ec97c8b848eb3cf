import type { Model } from '@lesionlab/contracts';

const BADGE: Record<Model['stage'], string> = { candidate: 'badge-wait', production: 'badge-up', archived: 'badge-down' };

/** candidate / production / archived as a coloured badge. */
export function StageBadge({ stage }: { stage: Model['stage'] }) {
  return (
    <span className={`badge ${BADGE[stage]}`} data-testid="model-stage" data-stage={stage}>
      {stage}
    </span>
  );
}
