'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { messageOf } from '../../lib/api';
import { signIn, signOut, useSession } from '../../lib/current-user';
import { isSessionEndReason, SESSION_END_MESSAGES } from '../../lib/session-end';
import styles from '../../components/account/account.module.css';

/** Only paths of this site are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ended = params.get('ended');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
      router.push(safeNext(params.get('next')));
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={`card ${styles.signIn}`} onSubmit={submit} aria-label="Sign in">
      {isSessionEndReason(ended) && session.status !== 'signed-in' && (
        <p role="alert" className={styles.ended} data-testid="session-ended">
          {SESSION_END_MESSAGES[ended]}
        </p>
      )}
      {session.status === 'signed-in' && (
        <p data-testid="signed-in-as">
          Signed in as {session.user.email}.{' '}
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </p>
      )}
      <label className={styles.field}>
        E-mail
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label className={styles.field}>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
    </form>
  );
}
