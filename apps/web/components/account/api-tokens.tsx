'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ApiToken, CreatedApiToken } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';
import styles from './account.module.css';
import { OneTimeSecret } from './one-time-secret';
import { Pager, usePage } from './pager';

const EXPIRIES = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never' },
] as const;

function when(value: string | null, none: string): string {
  return value ? new Date(value).toLocaleString() : none;
}

function stateOf(token: ApiToken): { label: string; live: boolean } {
  if (token.revokedAt) return { label: `revoked ${new Date(token.revokedAt).toLocaleDateString()}`, live: false };
  if (token.expiresAt && new Date(token.expiresAt) <= new Date()) return { label: 'expired', live: false };
  return { label: 'live', live: true };
}

/** The signed-in user's API tokens: create one (its secret shown once), list them, revoke one after a confirm. */
export function ApiTokens() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const pager = usePage(tokens ?? [], 20);

  const load = useCallback(async () => {
    try {
      setTokens((await dataOf(api.GET('/api/auth/tokens', { cache: 'no-store' }))).items);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = Number(form.get('expiresInDays'));
    setBusy(true);
    setError(null);
    try {
      const token = await dataOf(api.POST('/api/auth/tokens', { body: { name: String(form.get('name')), ...(days > 0 && { expiresInDays: days }) } }));
      setCreated(token);
      (event.target as HTMLFormElement).reset();
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await api.DELETE('/api/auth/tokens/{id}', { params: { path: { id } } });
      setConfirming(null);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <section className={styles.section} aria-label="API tokens">
      <h2>API tokens</h2>
      <p className="muted">
        A token signs the command line (<code>npx lesionlab</code>, or <code>LESIONLAB_TOKEN</code> in a script) in as you, with your role.
        Revoke one you no longer use.
      </p>
      <form className={`card ${styles.form}`} onSubmit={(event) => void create(event)} aria-label="New API token">
        <label className={styles.field}>
          Name
          <input name="name" required maxLength={100} placeholder="laptop CLI" />
        </label>
        <label className={styles.field}>
          Expires after
          <select name="expiresInDays" defaultValue="90">
            {EXPIRIES.map((e) => (
              <option key={e.days} value={e.days}>
                {e.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          Create token
        </button>
      </form>
      {created && <OneTimeSecret title={`Your new token “${created.name}”`} value={created.token} onDone={() => setCreated(null)} testId="new-token" />}
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {tokens && tokens.length === 0 && <p className="muted">You have no API tokens yet.</p>}
      {tokens && tokens.length > 0 && (
        <>
          <table className="table" data-testid="token-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Last used</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {pager.rows.map((token) => {
                const state = stateOf(token);
                return (
                  <tr key={token.id} className={state.live ? undefined : styles.disabledRow}>
                    <td>{token.name}</td>
                    <td>{when(token.createdAt, '')}</td>
                    <td>{when(token.expiresAt, 'never')}</td>
                    <td>{when(token.lastUsedAt, 'not yet')}</td>
                    <td>{state.label}</td>
                    <td>
                      {state.live && confirming !== token.id && (
                        <button type="button" onClick={() => setConfirming(token.id)}>
                          Revoke
                        </button>
                      )}
                      {state.live && confirming === token.id && (
                        <span className={styles.rowActions}>
                          Revoke “{token.name}”? Scripts using it stop working.
                          <button type="button" className={styles.danger} onClick={() => void revoke(token.id)}>
                            Yes, revoke
                          </button>
                          <button type="button" onClick={() => setConfirming(null)}>
                            Cancel
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager {...pager} noun="tokens" />
        </>
      )}
    </section>
  );
}
