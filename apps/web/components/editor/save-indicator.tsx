import type { SliceSaveState } from '../../lib/editor/save-queue';

const LABELS: Record<SliceSaveState['status'], string> = {
  saved: 'Saved',
  unsaved: 'Unsaved changes',
  saving: 'Saving…',
  offline: 'Offline: kept in this browser, retrying',
  conflict: 'Conflict: someone saved meanwhile',
  refused: 'Not saved',
};

/** Always-visible save state of the current slice. */
export function SaveIndicator({ save }: { save: SliceSaveState }) {
  return (
    <span className={`save-state save-${save.status}`} data-testid="save-status" data-status={save.status} title={save.detail ?? undefined}>
      {LABELS[save.status]}
    </span>
  );
}
