'use client';

import { useRef, useState, type DragEvent } from 'react';
import type { UploadFile } from '../../lib/api';
import { formatBytes } from '../../lib/import/eta';
import type { UploadSelection } from '../../lib/import/upload-selection';
import { filesOfDrop, filesOfInput } from './dropped-files';
import styles from './import.module.css';

const SHOWN_ENTRIES = 12;

/** What the chosen files hold, by top folder: `images/ 50 files, 6.1 MB`. */
function foldersOf(files: UploadFile[]): { name: string; count: number; bytes: number }[] {
  const folders = new Map<string, { name: string; count: number; bytes: number }>();
  for (const { blob, path } of files) {
    const name = path.includes('/') ? `${path.slice(0, path.indexOf('/'))}/` : path;
    const folder = folders.get(name) ?? { name, count: 0, bytes: 0 };
    folder.count++;
    folder.bytes += blob.size;
    folders.set(name, folder);
  }
  return [...folders.values()];
}

/**
 * Where a person gives the files of an upload: drop files or folders, or pick a folder or files. New
 * files join those chosen before; nothing is read here (the files stay on disk until they are sent).
 */
export function UploadPicker({ selection, onAdd, onClear, disabled }: { selection: UploadSelection; onAdd: (files: UploadFile[]) => void; onClear: () => void; disabled: boolean }) {
  const [over, setOver] = useState(false);
  const [reading, setReading] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    setReading(true);
    filesOfDrop(event.dataTransfer)
      .then(onAdd)
      .finally(() => setReading(false));
  };
  const folders = foldersOf(selection.files);
  const picked = (input: HTMLInputElement) => {
    onAdd(filesOfInput(input));
    input.value = '';
  };

  return (
    <div>
      <div
        className={`${styles.dropZone} ${over ? styles.dropZoneOver : ''}`}
        data-testid="import-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p className={styles.dropTitle}>{reading ? 'Reading the dropped folders…' : 'Drop a folder or files here'}</p>
        <p className="muted">
          A folder keeps its layout (e.g. <code>medseg-ct100/</code> with <code>manifest.csv</code>, <code>images/</code> and <code>masks/</code>). Files are sent as they are, straight from disk.
        </p>
        <div className="actions">
          <button type="button" onClick={() => folderInput.current?.click()} disabled={disabled}>
            Choose a folder…
          </button>
          <button type="button" onClick={() => fileInput.current?.click()} disabled={disabled}>
            Choose files…
          </button>
          {selection.files.length > 0 && (
            <button type="button" onClick={onClear} disabled={disabled}>
              Clear
            </button>
          )}
        </div>
        <input
          ref={folderInput}
          className={styles.hiddenInput}
          type="file"
          data-testid="import-folder-input"
          aria-label="Choose a folder"
          // webkitdirectory is not in React's types; the attribute makes the picker choose a folder
          {...{ webkitdirectory: '', directory: '' }}
          multiple
          onChange={(event) => picked(event.currentTarget)}
        />
        <input ref={fileInput} className={styles.hiddenInput} type="file" data-testid="import-files-input" aria-label="Choose files" multiple onChange={(event) => picked(event.currentTarget)} />
      </div>
      {selection.files.length > 0 && (
        <div className={styles.selection} data-testid="import-selection">
          <p>
            <b data-testid="import-selection-count">{selection.files.length === 1 ? '1 file' : `${selection.files.length} files`}</b>, {formatBytes(selection.bytes)}
            {selection.folder && (
              <>
                {' '}
                from the folder <code>{selection.folder}/</code>
              </>
            )}
            {selection.hidden > 0 && <span className="muted"> · {selection.hidden} hidden system files left out</span>}
          </p>
          <ul className={styles.folderList}>
            {folders.slice(0, SHOWN_ENTRIES).map((folder) => (
              <li key={folder.name}>
                <code>{folder.name}</code> <span className="muted">{folder.name.endsWith('/') ? `${folder.count} files, ` : ''}{formatBytes(folder.bytes)}</span>
              </li>
            ))}
            {folders.length > SHOWN_ENTRIES && <li className="muted">…and {folders.length - SHOWN_ENTRIES} more</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
