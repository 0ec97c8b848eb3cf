/** The releases API as the browser reaches it (through the web server's /api proxy). */

export const EXPORT_FORMATS = ['coco', 'png', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** GET /api/releases/:id/exports items (the API's ReleaseExport). */
export interface ReleaseExport {
  format: ExportFormat;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  files: Array<{ path: string; sha256: string; size: number }>;
  archiveKey: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** GET /api/releases/:id/diff?to=… (the API's ReleaseDiff). */
export interface ReleaseDiff {
  from: string;
  to: string;
  slices: { added: number; removed: number; kept: number };
  patients: { added: number; removed: number };
  movedPatients: Array<{ patientId: string; from: string; to: string }>;
  changedMasks: Array<{ sliceId: string; fromRevision: string | null; toRevision: string | null; dice: number }>;
  changedLabels: Array<{ sliceId: string; from: { supervision: string; label: string }; to: { supervision: string; label: string } }>;
}

/** A failed response as a sentence: the problem's detail when the API sent one. */
async function failure(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => null)) as { detail?: string } | null;
  return new Error(body?.detail ?? `${response.status} ${response.statusText}`);
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}
