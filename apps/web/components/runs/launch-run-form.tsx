'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { createRunSchema, needsPretrainRelease, releaseListSchema, runDetailSchema, runSchema, type Model, type Release } from '@lesionlab/contracts';
import { ApiError, api, dataOf, messageOf } from '../../lib/api';
import { modelLabel } from '../../lib/models/model-label';
import { presetChoices, recipeValue, type PresetChoice } from '../../lib/runs/presets';
import { errorsOfProblem, formFieldPaths, settingFields, validateRunForm, valuesOfConfig, type FieldErrors, type RunFormValues, type RunLength, type SettingField } from '../../lib/runs/run-form';
import styles from './runs.module.css';

const DEFAULTS = createRunSchema.parse({ releaseId: '00000000-0000-4000-8000-000000000000' });
const FIELD_PATHS = formFieldPaths();

/** A labelled input with its error under it (the error names the field for screen readers too). */
function Field({ path, label, error, hint, children }: { path: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <label className={styles.field}>
      {label}
      {children}
      {hint && !error && <span className={styles.hint}>{hint}</span>}
      {error && (
        <span className={styles.fieldError} role="alert" id={`run-error-${path}`} data-testid={`run-error-${path}`}>
          {error}
        </span>
      )}
    </label>
  );
}

function SettingInput({ field, value, error, onChange }: { field: SettingField; value: string; error?: string; onChange: (value: string) => void }) {
  const common = { value, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `run-error-${field.path}` : undefined, 'data-testid': `run-setting-${field.name}` };
  const range = field.min !== undefined || field.max !== undefined ? `${field.min ?? '…'} to ${field.max ?? '…'}` : undefined;
  return (
    <Field path={field.path} label={field.name} error={error} hint={range}>
      {field.kind === 'choice' || field.kind === 'boolean' ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">trainer default</option>
          {field.options!.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      ) : (
        <input {...common} type="text" inputMode="decimal" placeholder="trainer default" onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

/** What a recipe will do, stage by stage, as its contract defines it. */
function RecipeStages({ choice }: { choice: PresetChoice }) {
  if (!choice.recipe) return null;
  return (
    <table className={styles.table} data-testid="run-recipe-stages">
      <thead>
        <tr><th>stage</th><th>trains on</th><th>steps × batch</th><th>what it does</th></tr>
      </thead>
      <tbody>
        {choice.recipe.stages.map((stage) => (
          <tr key={stage.name}>
            <td>{stage.name}</td>
            <td>{stage.data === 'pretrain' ? 'the pretraining release' : 'the run’s release'}{stage.fromPrevious ? ', from the previous stage’s weights' : ''}{stage.model ? ` (${stage.model}, from its shipped weights)` : ''}</td>
            <td>{stage.steps.toLocaleString()} × {stage.batchSize}{stage.members > 1 ? ` × ${stage.members} members (averaged)` : ''}</td>
            <td>{stage.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The launch form of a training run: release, model preset (with what it is), length in steps or
 * epochs, batch size, image size, GPUs and the allowlisted advanced settings. Checked with the API's
 * schema as the person types; what the API still refuses lands on the field it names. Started runs
 * open their live page.
 */
export function LaunchRunForm({ releaseId, fromRunId }: { releaseId?: string; fromRunId?: string }) {
  const router = useRouter();
  const presets = useMemo(presetChoices, []);
  const settings = useMemo(settingFields, []);
  const [releases, setReleases] = useState<Release[] | null>(null);
  const [models, setModels] = useState<Model[] | null>(null);
  const [values, setValues] = useState<RunFormValues>({ releaseId: releaseId ?? '', model: DEFAULTS.model, gpus: String(DEFAULTS.gpus) });
  const [length, setLength] = useState<RunLength>('steps');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [touched, setTouched] = useState(false);
  const [sending, setSending] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    dataOf(api.GET('/api/releases'))
      .then((list) => releaseListSchema.parse(list).items)
      .then(setReleases, (e: unknown) => setLoadError(`Cannot list the releases: ${messageOf(e)}`));
  }, []);

  useEffect(() => {
    dataOf(api.GET('/api/models')).then(
      (list) => setModels(list.items),
      (e: unknown) => setLoadError(`Cannot list the registered models: ${messageOf(e)}`),
    );
  }, []);

  useEffect(() => {
    if (!fromRunId) return;
    dataOf(api.GET('/api/runs/{id}', { params: { path: { id: fromRunId } } })).then(
      (run) => {
        const { values: from, length: fromLength } = valuesOfConfig(runDetailSchema.parse(run).config);
        setValues({ ...from, releaseId: releaseId ?? '' });
        setLength(fromLength);
      },
      (e: unknown) => setLoadError(`Cannot read run ${fromRunId} to re-run it: ${messageOf(e)}`),
    );
  }, [fromRunId, releaseId]);

  const set = (path: string, value: string) => {
    const next = { ...values, [path]: value };
    setValues(next);
    if (touched) {
      const result = validateRunForm(next, length);
      setErrors('errors' in result ? result.errors : {});
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const result = validateRunForm(values, length);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setSending(true);
    setErrors({});
    try {
      // The generated client spells `recipe` as the recipes' names; the contract's schema has checked it is one.
      const body = result.request as typeof result.request & { recipe?: never };
      const run = runSchema.parse(await dataOf(api.POST('/api/runs', { body })));
      router.push(`/runs/${run.id}`);
    } catch (e) {
      setErrors(e instanceof ApiError ? errorsOfProblem(e.problem, `The API refused the run: ${e.detail}`, FIELD_PATHS) : { '': messageOf(e) });
      setSending(false);
    }
  };

  const presetValue = values.recipe ? recipeValue(values.recipe) : values.model;
  const preset = presets.find((p) => p.value === presetValue);
  const choosePreset = (value: string) => {
    const choice = presets.find((p) => p.value === value)!;
    // A model to start from must be of the chosen trainer model, and goes with a plain run only.
    const keepInit = !choice.recipe && choice.model === values.model;
    const next = { ...values, model: choice.model, recipe: choice.recipe?.name ?? '', recipeVersion: '', initModelId: keepInit ? values.initModelId ?? '' : '' };
    setValues(next);
    if (touched) {
      const result = validateRunForm(next, length);
      setErrors('errors' in result ? result.errors : {});
    }
  };
  const recipe = preset?.recipe ?? null;
  const pretrains = recipe !== null && needsPretrainRelease(recipe);
  const ready = releases?.filter((r) => r.status === 'ready') ?? [];
  const chosenRelease = releases?.find((r) => r.id === values.releaseId);
  const startModels = models?.filter((m) => m.architecture === values.model) ?? [];
  const invalid = (path: string) => (errors[path] ? { 'aria-invalid': true as const, 'aria-describedby': `run-error-${path}` } : {});
  const settingErrors = Object.entries(errors).filter(([path]) => path === 'settings');
  const unplaced = [errors[''], ...Object.entries(errors).filter(([path]) => path !== '' && !FIELD_PATHS.has(path)).map(([path, message]) => `${path}: ${message}`)].filter(Boolean);

  return (
    <form className={`card ${styles.form}`} onSubmit={submit} noValidate aria-label="Launch a training run" data-testid="launch-run-form">
      {fromRunId && <p className="muted">Re-run of <Link href={`/runs/${fromRunId}`}>{fromRunId.slice(0, 8)}</Link>: the same settings, on the release you choose.</p>}
      {loadError && <div className={styles.formError} role="alert">{loadError}</div>}
      <div className={styles.fields}>
        <Field path="releaseId" label="Release" error={errors.releaseId} hint={chosenRelease?.summary ? `${chosenRelease.summary.slices} slices, ${chosenRelease.summary.patients} patients` : undefined}>
          <select value={values.releaseId} onChange={(e) => set('releaseId', e.target.value)} data-testid="run-release" {...invalid('releaseId')}>
            <option value="">{releases ? (ready.length ? 'choose a ready release' : 'no ready release yet') : 'loading releases…'}</option>
            {ready.map((r) => <option key={r.id} value={r.id}>{r.title}</option>)}
            {chosenRelease && chosenRelease.status !== 'ready' && <option value={chosenRelease.id}>{chosenRelease.title} ({chosenRelease.status})</option>}
          </select>
        </Field>
        <div className={styles.preset}>
          <Field path="model" label="Preset" error={errors.model}>
            <select value={presetValue} onChange={(e) => choosePreset(e.target.value)} data-testid="run-preset" {...invalid('model')}>
              <optgroup label="Recipes (several stages)">
                {presets.filter((p) => p.recipe).map((p) => <option key={p.value} value={p.value}>{p.label}{p.cpu ? ' · CPU or GPU' : ' · GPU'}</option>)}
              </optgroup>
              <optgroup label="Model presets (one stage)">
                {presets.filter((p) => !p.recipe).map((p) => <option key={p.value} value={p.value}>{p.label}{p.cpu ? ' · CPU or GPU' : ' · GPU'}</option>)}
              </optgroup>
            </select>
          </Field>
        </div>
        {pretrains && (
          <Field path="pretrainReleaseId" label="Pretraining release" error={errors.pretrainReleaseId} hint="the release the recipe's pretrain stage trains on (e.g. pseudo-labelled slices)">
            <select value={values.pretrainReleaseId ?? ''} onChange={(e) => set('pretrainReleaseId', e.target.value)} data-testid="run-pretrain-release" {...invalid('pretrainReleaseId')}>
              <option value="">{ready.length ? 'choose a ready release' : 'no ready release yet'}</option>
              {ready.map((r) => <option key={r.id} value={r.id}>{r.title}</option>)}
            </select>
          </Field>
        )}
        {!recipe && (
          <Field path="initModelId" label="Start from model" error={errors.initModelId} hint={models !== null && startModels.length === 0 ? `no registered ${values.model} model yet: each finished ${values.model} run registers one` : `a registered ${values.model} model whose weights the run fine-tunes`}>
            <select value={values.initModelId ?? ''} onChange={(e) => set('initModelId', e.target.value)} data-testid="run-init-model" {...invalid('initModelId')}>
              <option value="">{models === null ? 'loading models…' : 'preset’s own weights'}</option>
              {startModels.map((m) => <option key={m.id} value={m.id}>{modelLabel(m)}</option>)}
            </select>
          </Field>
        )}
      </div>
      {preset && (
        <div className={styles.presetDescription} data-testid="run-preset-description">
          <p>
            <b>{preset.recipe ? `${preset.recipe.name} v${preset.recipe.version}` : preset.value}</b> · {preset.model} at {preset.recipe ? `${preset.recipe.imageSize} px` : 'the image size below'} · {preset.cpu ? 'small enough for a worker without a GPU' : 'needs a GPU worker'}
          </p>
          <p>{preset.description}</p>
          <RecipeStages choice={preset} />
        </div>
      )}
      {!recipe && (
      <>
      <fieldset className="checkbox-set">
        <legend>Length</legend>
        <div className={styles.lengthChoice}>
          <label><input type="radio" name="length" checked={length === 'steps'} onChange={() => setLength('steps')} /> in steps</label>
          <label><input type="radio" name="length" checked={length === 'epochs'} onChange={() => setLength('epochs')} /> in epochs</label>
        </div>
      </fieldset>
      <div className={styles.fields}>
        {length === 'steps' ? (
          <Field path="steps" label="Steps" error={errors.steps} hint="optimizer steps; empty: the preset's default">
            <input type="text" inputMode="numeric" value={values.steps ?? ''} onChange={(e) => set('steps', e.target.value)} placeholder="preset default" data-testid="run-steps" {...invalid('steps')} />
          </Field>
        ) : (
          <Field path="epochs" label="Epochs" error={errors.epochs} hint="passes over the training split (fractions allowed)">
            <input type="text" inputMode="decimal" value={values.epochs ?? ''} onChange={(e) => set('epochs', e.target.value)} placeholder="preset default" data-testid="run-epochs" {...invalid('epochs')} />
          </Field>
        )}
        <Field path="batchSize" label="Batch size" error={errors.batchSize} hint="1 to 1024 images per step">
          <input type="text" inputMode="numeric" value={values.batchSize ?? ''} onChange={(e) => set('batchSize', e.target.value)} placeholder="preset default" data-testid="run-batch-size" {...invalid('batchSize')} />
        </Field>
        <Field path="imageSize" label="Image size (px)" error={errors.imageSize} hint="a multiple of 32, 32 to 2048">
          <input type="text" inputMode="numeric" value={values.imageSize ?? ''} onChange={(e) => set('imageSize', e.target.value)} placeholder="preset default" data-testid="run-image-size" {...invalid('imageSize')} />
        </Field>
      </div>
      </>
      )}
      <div className={styles.fields}>
        <Field path="gpus" label="GPUs" error={errors.gpus} hint="of one worker; more than 1 runs under torchrun">
          <input type="text" inputMode="numeric" value={values.gpus ?? ''} onChange={(e) => set('gpus', e.target.value)} data-testid="run-gpus" {...invalid('gpus')} />
        </Field>
      </div>
      <details className={styles.advanced} open={settings.some((f) => errors[f.path] || errors[f.path.split('.').slice(0, 2).join('.')]) || undefined}>
        <summary>Advanced settings (empty: {recipe ? 'the recipe’s own' : 'the trainer’s default'}{recipe ? `; set ones apply to every stage${recipe.stages.some((stage) => stage.model) ? ' but the refiner, which keeps its own' : ''}` : ''})</summary>
        <div className={styles.fields}>
          {settings.map((field) => (
            <SettingInput key={field.path} field={field} value={values[field.path] ?? ''} error={errors[field.path] ?? (field.path.endsWith('.pixel') ? errors['settings.sampling'] : undefined)} onChange={(v) => set(field.path, v)} />
          ))}
        </div>
        {settingErrors.map(([path, message]) => <p key={path} className={styles.fieldError} role="alert">{message}</p>)}
      </details>
      {unplaced.length > 0 && (
        <div className={styles.formError} role="alert" data-testid="run-form-error">
          {unplaced.join('; ')}
        </div>
      )}
      <div className={styles.actions}>
        <button type="submit" className={styles.primary} disabled={sending} data-testid="run-start">
          {sending ? 'Starting…' : 'Start run'}
        </button>
        <Link href="/runs">Cancel</Link>
      </div>
    </form>
  );
}
