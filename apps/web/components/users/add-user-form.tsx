'use client';

import { useState, type FormEvent } from 'react';
import type { Role, User } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';
import { generatedPassword } from '../../lib/generated-password';
import styles from '../account/account.module.css';
import { ROLE_OPTIONS } from '../account/roles';

type PasswordChoice = 'generate' | 'type';

/** Adds a user; a generated password comes back through `onAdded` to be shown once. `onStart` lets the page clear its last message. */
export function AddUserForm({ onStart, onAdded }: { onStart: () => void; onAdded: (user: User, generated: string | null) => void }) {
  const [choice, setChoice] = useState<PasswordChoice>('generate');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const password = choice === 'generate' ? generatedPassword() : String(form.get('password'));
    setBusy(true);
    setError(null);
    onStart();
    try {
      const user = await dataOf(api.POST('/api/users', { body: { email: String(form.get('email')), role: String(form.get('role')) as Role, password } }));
      formElement.reset();
      setChoice('generate');
      onAdded(user, choice === 'generate' ? password : null);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-label="Add a user">
      <div className={styles.form}>
        <label className={styles.field}>
          E-mail
          <input name="email" type="email" required autoComplete="off" placeholder="ana@hospital.example" />
        </label>
        <label className={styles.field}>
          Role
          <select name="role" defaultValue="annotator">
            {ROLE_OPTIONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          First password
          <select name="password-choice" value={choice} onChange={(event) => setChoice(event.target.value as PasswordChoice)}>
            <option value="generate">Generate one (shown once)</option>
            <option value="type">Type one</option>
          </select>
        </label>
        {choice === 'type' && (
          <label className={styles.field}>
            Password (12 characters or more)
            <input name="password" type="text" autoComplete="new-password" required />
          </label>
        )}
        <button type="submit" disabled={busy}>
          Add user
        </button>
      </div>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
    </form>
  );
}
