'use client';

import { useState, type FormEvent } from 'react';
import {
  createReleaseSchema,
  LABEL_POLICIES,
  PATIENT_LABELS,
  SPLIT_NAMES,
  STRATIFY_KEYS,
  SUPERVISION_KINDS,
  type CreateRelease,
  type PatientLabel,
  releaseSchema,
  type Release,
  type SupervisionKind,
} from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';

/** The API's defaults, read from the contract so the form starts where a bare POST would. */
const DEFAULTS = createReleaseSchema.parse({ name: 'x' });

/** Checkboxes choosing a subset of `options`. */
function CheckboxSet<T extends string>({ legend, options, chosen, onChange }: { legend: string; options: readonly T[]; chosen: T[]; onChange: (chosen: T[]) => void }) {
  return (
    <fieldset className="checkbox-set">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option}>
          <input type="checkbox" checked={chosen.includes(option)} onChange={(e) => onChange(e.target.checked ? [...chosen, option] : chosen.filter((c) => c !== option))} />
          {option}
        </label>
      ))}
    </fieldset>
  );
}

/** The "Cut a release" form: validated against the contract, then POSTed; the new (building) release goes to `onCut`. */
export function CutReleaseForm({ onCut }: { onCut: (release: Release) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [ratios, setRatios] = useState(DEFAULTS.ratios);
  const [seed, setSeed] = useState(DEFAULTS.seed);
  const [stratifyBy, setStratifyBy] = useState(DEFAULTS.stratifyBy);
  const [labelPolicy, setLabelPolicy] = useState(DEFAULTS.labelPolicy);
  const [keepNearDuplicatesTogether, setKeepNearDuplicatesTogether] = useState(DEFAULTS.keepNearDuplicatesTogether);
  const [cohorts, setCohorts] = useState<PatientLabel[]>([]);
  const [supervision, setSupervision] = useState<SupervisionKind[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const selection = { ...(cohorts.length ? { cohorts } : {}), ...(supervision.length ? { supervision } : {}) };
    const parsed = createReleaseSchema.safeParse({ name: name.trim(), description, ratios, seed, stratifyBy, labelPolicy, keepNearDuplicatesTogether, selection });
    if (!parsed.success) {
      setError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'release'}: ${issue.message}`).join('; '));
      return;
    }
    setSending(true);
    try {
      onCut(releaseSchema.parse(await dataOf(api.POST('/api/releases', { body: parsed.data }))));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="card cut-release" onSubmit={submit} aria-label="Cut a release">
      <h2>Cut a release</h2>
      <div className="form-row">
        <label className="filter">
          Name
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="covid-cs" required />
        </label>
        <label className="filter">
          Seed
          <input type="text" value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
        {SPLIT_NAMES.map((split) => (
          <label key={split} className="filter">
            {split} %
            <input type="number" min={0} value={ratios[split]} onChange={(e) => setRatios({ ...ratios, [split]: Number(e.target.value) })} />
          </label>
        ))}
        <label className="filter">
          Label policy
          <select value={labelPolicy} onChange={(e) => setLabelPolicy(e.target.value as CreateRelease['labelPolicy'])}>
            {LABEL_POLICIES.map((policy) => (
              <option key={policy}>{policy}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="filter">
        Description
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      </label>
      <div className="form-row">
        <CheckboxSet legend="Stratify by" options={STRATIFY_KEYS} chosen={stratifyBy} onChange={setStratifyBy} />
        <CheckboxSet legend="Only cohorts (none: all)" options={PATIENT_LABELS} chosen={cohorts} onChange={setCohorts} />
        <CheckboxSet legend="Only supervision (none: all)" options={SUPERVISION_KINDS} chosen={supervision} onChange={setSupervision} />
        <fieldset className="checkbox-set">
          <legend>Near-duplicates</legend>
          <label>
            <input type="checkbox" checked={keepNearDuplicatesTogether} onChange={(e) => setKeepNearDuplicatesTogether(e.target.checked)} />
            keep together in one split
          </label>
        </fieldset>
      </div>
      <div className="actions">
        <button type="submit" disabled={sending}>
          {sending ? 'Cutting…' : 'Cut release'}
        </button>
        {error && (
          <span className="form-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
