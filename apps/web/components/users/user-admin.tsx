'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { mayCall, type ChangeUser, type User } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';
import { useSession } from '../../lib/current-user';
import styles from '../account/account.module.css';
import { OneTimeSecret } from '../account/one-time-secret';
import { ROLE_LABELS } from '../account/roles';
import { Pager, usePage } from '../account/pager';
import { AddUserForm } from './add-user-form';
import { UserRow, type RowActions } from './user-row';

const PAGE_SIZE = 25;

/** The admin's users page: add a user, then the accounts a page at a time, filtered by e-mail. */
export function UserAdmin() {
  const session = useSession();
  const me = session.status === 'signed-in' ? session.user : null;
  const [users, setUsers] = useState<User[] | null>(null);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ email: string; password: string } | null>(null);
  const shown = useMemo(() => (users ?? []).filter((u) => u.email.includes(filter.trim().toLowerCase())), [users, filter]);
  const pager = usePage(shown, PAGE_SIZE);
  const allowed = me !== null && mayCall(me.role, 'GET /api/users');

  const load = useCallback(async () => {
    try {
      setUsers((await dataOf(api.GET('/api/users', { cache: 'no-store' }))).items);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, []);

  useEffect(() => {
    if (allowed) void load();
  }, [allowed, load]);

  const actions: RowActions = {
    change: async (user: User, change: ChangeUser) => {
      setError(null);
      setNotice(null);
      try {
        const changed = await dataOf(api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, body: change }));
        setNotice(describe(changed, change));
        await load();
        return true;
      } catch (failure) {
        setError(`${user.email}: ${messageOf(failure)}`);
        return false;
      }
    },
    showPassword: (user, password) => setSecret({ email: user.email, password }),
  };

  if (session.status === 'loading') return <p className="muted">Loading…</p>;
  if (!me) {
    return (
      <p className="card">
        <Link href="/login?next=/users">Sign in</Link> as an admin to manage users.
      </p>
    );
  }
  if (!allowed) return <p className="card">Only admins manage users. Your account is on the <Link href="/account">Account</Link> page.</p>;

  return (
    <>
      <AddUserForm
        onStart={() => {
          setNotice(null);
          setError(null);
        }}
        onAdded={(user, generated) => {
          setNotice(`Added ${user.email}.`);
          if (generated) setSecret({ email: user.email, password: generated });
          void load();
        }}
      />
      {secret && <OneTimeSecret title={`Password for ${secret.email}`} value={secret.password} onDone={() => setSecret(null)} testId="new-password" />}
      <section className={styles.section} aria-label="Accounts">
        <h2>Accounts</h2>
        <label className={`${styles.field} ${styles.search}`}>
          Find by e-mail
          <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="part of an e-mail" />
        </label>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        {notice && (
          <p role="status" className={styles.notice}>
            {notice}
          </p>
        )}
        {users === null && !error && <p className="muted">Loading…</p>}
        {users && (
          <>
            <table className="table" data-testid="user-table">
              <thead>
                <tr>
                  <th>E-mail</th>
                  <th>Role</th>
                  <th>State</th>
                  <th>Added</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {pager.rows.map((user) => (
                  <UserRow key={`${user.id}:${user.role}`} user={user} isYou={user.id === me.id} actions={actions} />
                ))}
              </tbody>
            </table>
            {shown.length === 0 && <p className="muted">No account matches “{filter}”.</p>}
            <Pager {...pager} noun="users" />
          </>
        )}
      </section>
    </>
  );
}

function describe(user: User, change: ChangeUser): string {
  if (change.password !== undefined) return `Set a new password for ${user.email}; their sign-ins and API tokens have ended.`;
  if (change.disabled !== undefined) return `${user.email} is ${user.disabled ? 'disabled' : 'enabled again'}.`;
  return `${user.email} is now ${ROLE_LABELS[user.role].toLowerCase()}.`;
}
