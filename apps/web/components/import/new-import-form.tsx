'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { importRunSchema, type ImportRun, type StartImport } from '@lesionlab/contracts';
import { api, dataOf, messageOf, uploadImport, type UploadFile, type UploadProgress } from '../../lib/api';
import { formatBytes, secondsLeft } from '../../lib/import/eta';
import { checkOptions, checkServerImport, type FormField, type ImportFormValues, type SourceKind } from '../../lib/import/import-form';
import { addToSelection, EMPTY_SELECTION, guessFormat, type FormatGuess, type UploadSelection } from '../../lib/import/upload-selection';
import { ImportOptionsFields } from './import-options-fields';
import { ProgressBar } from './progress-bar';
import { UploadPicker } from './upload-picker';
import styles from './import.module.css';

const EMPTY: ImportFormValues = { sourceKind: 'upload', path: '', prefix: '', format: 'manifest', collection: '', labels: '', masks: '', label: '', patient: '', maskThreshold: '1' };

const SOURCES: { kind: SourceKind; label: string }[] = [
  { kind: 'upload', label: 'Upload from this computer' },
  { kind: 'path', label: 'Folder on the server' },
  { kind: 's3', label: 'Object-store prefix' },
];

/** A collection name from a folder's name (letters, digits, '.', '_', '-'), or '' when nothing is left. */
function collectionOf(folder: string | null): string {
  return (folder ?? '').replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100);
}

interface Sending {
  phase: 'uploading' | 'checking';
  progress: UploadProgress;
  startedAt: number;
}

/** The "New import" form: where the files are, their format and options; it starts the import and hands it to `onStarted`. */
export function NewImportForm({ onStarted }: { onStarted: (run: ImportRun) => void }) {
  const [values, setValues] = useState<ImportFormValues>(EMPTY);
  const [selection, setSelection] = useState<UploadSelection>(EMPTY_SELECTION);
  const [formatTouched, setFormatTouched] = useState(false);
  const [guess, setGuess] = useState<FormatGuess | null>(null);
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState<Sending | null>(null);
  const cancel = useRef<AbortController | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const uploading = sending !== null;
  useEffect(() => {
    if (!uploading) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [uploading]);

  const change = (patch: Partial<ImportFormValues>) => {
    if (patch.format) setFormatTouched(true);
    setValues((v) => ({ ...v, ...patch }));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([field]) => !(field in patch))));
  };

  /** New files: the format and companions found in them fill what the person has not set. */
  const add = (files: UploadFile[]) => {
    const picked = addToSelection(selection, files);
    const guessed = guessFormat(picked.files.map((f) => f.path));
    setSelection(picked);
    setGuess(guessed);
    setProblem(null);
    setValues((v) => ({
      ...v,
      ...(guessed && !formatTouched ? { format: guessed.format } : {}),
      masks: v.masks || (guessed?.options.masks ?? ''),
      labels: v.labels || (guessed?.options.labels ?? ''),
      collection: v.collection || collectionOf(picked.folder),
    }));
  };
  const clear = () => {
    setSelection(EMPTY_SELECTION);
    setGuess(null);
    setFormatTouched(false);
    setValues((v) => ({ ...EMPTY, sourceKind: v.sourceKind }));
    setErrors({});
    setProblem(null);
  };

  /** Sends the chosen files with the checked options; the answer is the queued import. */
  const sendUpload = async (options: string): Promise<ImportRun> => {
    const controller = new AbortController();
    cancel.current = controller;
    const startedAt = Date.now();
    setSending({ phase: 'uploading', progress: { sent: 0, total: selection.bytes }, startedAt });
    const answer = await uploadImport(
      { format: values.format, options },
      selection.files,
      (progress) => setSending({ phase: progress.total > 0 && progress.sent >= progress.total ? 'checking' : 'uploading', progress, startedAt }),
      controller.signal,
    );
    return importRunSchema.parse(answer);
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const upload = values.sourceKind === 'upload';
    const checked = upload ? checkOptions(values) : checkServerImport(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    if (upload && !selection.files.length) {
      setProblem('Choose a folder or files to upload first (or drop them above).');
      return;
    }
    setErrors({});
    try {
      const run = upload
        ? await sendUpload(JSON.stringify(checked.value))
        : importRunSchema.parse(await dataOf(api.POST('/api/imports', { body: checked.value as StartImport })));
      clear();
      onStarted(run);
    } catch (error) {
      setProblem((error as Error).name === 'AbortError' ? 'The upload was cancelled; nothing was imported.' : messageOf(error));
    } finally {
      setSending(null);
      cancel.current = null;
    }
  };

  const sent = sending?.progress.sent ?? 0;
  const total = sending?.progress.total || selection.bytes;
  return (
    <form className={`card ${styles.form}`} onSubmit={start} aria-label="New import" noValidate>
      <h2>New import</h2>
      <div className={styles.tabs} role="tablist" aria-label="Where the files are">
        {SOURCES.map((source) => (
          <button
            key={source.kind}
            type="button"
            role="tab"
            aria-selected={values.sourceKind === source.kind}
            className={values.sourceKind === source.kind ? 'active' : undefined}
            data-testid={`import-source-${source.kind}`}
            disabled={uploading}
            onClick={() => change({ sourceKind: source.kind })}
          >
            {source.label}
          </button>
        ))}
      </div>

      {values.sourceKind === 'upload' && <UploadPicker selection={selection} onAdd={add} onClear={clear} disabled={uploading} />}
      {values.sourceKind === 'path' && (
        <label className={`filter ${styles.wide}`}>
          Path on the server
          <input className={styles.textInput} data-testid="import-path" value={values.path} placeholder="/data/imports/medseg-ct100/manifest.csv" onChange={(e) => change({ path: e.target.value })} disabled={uploading} />
          <span className={styles.hint}>A folder, or a manifest CSV, under the server’s IMPORT_ALLOWED_ROOTS.</span>
          {errors.path && <span className="form-error" role="alert" data-testid="error-path">{errors.path}</span>}
        </label>
      )}
      {values.sourceKind === 's3' && (
        <label className={`filter ${styles.wide}`}>
          Object-store prefix
          <input className={styles.textInput} data-testid="import-prefix" value={values.prefix} placeholder="incoming/medseg-ct100" onChange={(e) => change({ prefix: e.target.value })} disabled={uploading} />
          <span className={styles.hint}>A prefix (folder) in the object store the server uses.</span>
          {errors.prefix && <span className="form-error" role="alert" data-testid="error-prefix">{errors.prefix}</span>}
        </label>
      )}

      {guess && values.sourceKind === 'upload' && (
        <p className={styles.guess} data-testid="import-format-guess">
          These look like <b>{guess.format}</b>: {guess.why}.{formatTouched && values.format !== guess.format && ' (You chose another format.)'}
        </p>
      )}
      <ImportOptionsFields values={values} errors={errors} onChange={change} disabled={uploading} />

      {sending && (
        <ProgressBar
          testId="upload-progress"
          label={sending.phase === 'uploading' ? 'Uploading' : 'Uploaded; the server is checking and storing the files…'}
          fraction={total ? sent / total : null}
          detail={`${formatBytes(sent)} of ${formatBytes(total)}`}
          etaS={sending.phase === 'uploading' ? secondsLeft(sent, total, now - sending.startedAt) : null}
        />
      )}
      <div className="actions">
        <button type="submit" className={styles.primary} data-testid="import-start" disabled={uploading}>
          {uploading ? 'Importing…' : values.sourceKind === 'upload' ? `Upload and import${selection.files.length ? ` ${selection.files.length} file${selection.files.length === 1 ? '' : 's'}` : ''}` : 'Start import'}
        </button>
        {sending?.phase === 'uploading' && (
          <button type="button" onClick={() => cancel.current?.abort()}>
            Cancel upload
          </button>
        )}
      </div>
      {problem && (
        <p className={`form-error ${styles.problem}`} role="alert" data-testid="import-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
