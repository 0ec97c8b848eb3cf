import type { UploadFile } from '../../lib/api';

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** A folder's entries: readEntries answers in pieces (100 at a time in Chromium) until an empty one. */
async function childrenOf(folder: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = folder.createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const piece = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!piece.length) return children;
    children.push(...piece);
  }
}

async function collect(entry: FileSystemEntry, into: UploadFile[]): Promise<void> {
  if (entry.isFile) {
    into.push({ blob: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\/+/, '') });
    return;
  }
  for (const child of await childrenOf(entry as FileSystemDirectoryEntry)) await collect(child, into);
}

/**
 * The files of a drop, dropped folders walked, each named by its path as dropped (`medseg-ct100/images/a.png`).
 * The entries are taken at once: a DataTransfer is emptied when the drop event returns.
 */
export function filesOfDrop(data: DataTransfer): Promise<UploadFile[]> {
  const entries = [...data.items].filter((item) => item.kind === 'file').map((item) => item.webkitGetAsEntry());
  if (entries.some((entry) => entry === null)) return Promise.resolve([...data.files].map((file) => ({ blob: file, path: file.name })));
  return (async () => {
    const files: UploadFile[] = [];
    for (const entry of entries) await collect(entry!, files);
    return files;
  })();
}

/** The files of a file or folder picker, named by their path inside the picked folder (webkitRelativePath) or their name. */
export function filesOfInput(input: HTMLInputElement): UploadFile[] {
  return [...(input.files ?? [])].map((file) => ({ blob: file, path: file.webkitRelativePath || file.name }));
}
