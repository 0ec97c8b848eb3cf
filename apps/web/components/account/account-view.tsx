'use client';

import Link from 'next/link';
import { useSession } from '../../lib/current-user';
import { sectionsFor } from '../sections';
import styles from './account.module.css';
import { ApiTokens } from './api-tokens';
import { ROLE_LABELS } from './roles';

/** The signed-in user's e-mail, role and what it opens, then their API tokens. */
export function AccountView() {
  const session = useSession();
  if (session.status === 'loading') return <p className="muted">Loading…</p>;
  if (session.status === 'unknown') return <p className="error" role="alert">{session.error}</p>;
  if (session.status === 'signed-out') {
    return (
      <p className="card">
        You are not signed in. <Link href="/login?next=/account">Sign in</Link> to see your account.
      </p>
    );
  }
  const { user } = session;
  return (
    <>
      <section className="card" aria-label="Who you are">
        <dl className={styles.facts}>
          <dt>E-mail</dt>
          <dd data-testid="account-email">{user.email}</dd>
          <dt>Role</dt>
          <dd data-testid="account-role">{ROLE_LABELS[user.role]}</dd>
          <dt>Your sections</dt>
          <dd>
            {sectionsFor(user.role)
              .filter((s) => s.href !== '/account')
              .map((s, i) => (
                <span key={s.href}>
                  {i > 0 && ', '}
                  <Link href={s.href}>{s.label}</Link>
                </span>
              ))}
          </dd>
        </dl>
        <p className={styles.hint}>An admin sets roles and passwords on the Users page.</p>
      </section>
      <ApiTokens />
    </>
  );
}
