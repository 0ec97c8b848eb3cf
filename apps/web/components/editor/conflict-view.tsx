import type { ConflictChoice, SliceSaveState } from '../../lib/editor/save-queue';
import type { LoadedSlice } from '../../lib/editor/slice-cache';
import type { DisplayWindow } from '../../lib/editor/window-level';
import { MaskPreview } from './mask-preview';

/** Both masks side by side, and the three ways out of a conflict. */
export function ConflictView({ slice, conflict, window, onChoose }: { slice: LoadedSlice; conflict: NonNullable<SliceSaveState['conflict']>; window: DisplayWindow; onChoose: (choice: ConflictChoice) => void }) {
  return (
    <div className="modal-backdrop">
      <div className="modal card conflict" role="dialog" aria-label="Conflict" data-testid="conflict-view">
        <h2>Someone saved this mask while you were editing</h2>
        <p className="muted">
          {conflict.theirs.author} saved a new revision at {new Date(conflict.theirs.createdAt).toLocaleTimeString()}. Your edits are kept in this browser and on the server as a draft; choose what becomes current.
        </p>
        <div className="conflict-masks">
          <MaskPreview pixels={slice.pixels} window={window} rle={conflict.mine.rle} color={0xff5a3c} label="Mine" testId="conflict-mine" />
          <MaskPreview pixels={slice.pixels} window={window} rle={conflict.theirs.rle} color={0x4cc2ff} label={`Theirs (${conflict.theirs.author})`} testId="conflict-theirs" />
        </div>
        <div className="actions">
          <button onClick={() => onChoose('keep-mine')}>Keep mine as a new revision</button>
          <button onClick={() => onChoose('take-theirs')}>Take theirs</button>
          <button onClick={() => onChoose('merge')}>Merge (union)</button>
        </div>
      </div>
    </div>
  );
}
