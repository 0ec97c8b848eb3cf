'use client';

import { useState } from 'react';
import type { ChangeUser, Role, User } from '@lesionlab/contracts';
import { generatedPassword } from '../../lib/generated-password';
import styles from '../account/account.module.css';
import { ROLE_LABELS, ROLE_OPTIONS } from '../account/roles';

/** What a row asks of the page: apply a change, and show a new password once when it was generated. */
export interface RowActions {
  change: (user: User, change: ChangeUser) => Promise<boolean>;
  showPassword: (user: User, password: string) => void;
}

type Open = 'none' | 'disable' | 'password';

/** One account: its role (changed in place), disable/enable (disable asks first), and a password reset. */
export function UserRow({ user, isYou, actions }: { user: User; isYou: boolean; actions: RowActions }) {
  const [role, setRole] = useState<Role>(user.role);
  const [open, setOpen] = useState<Open>('none');
  const [typed, setTyped] = useState('');

  /** A refused disable closes its confirm too: the page shows the refusal above the table. */
  async function apply(change: ChangeUser) {
    await actions.change(user, change);
    setOpen('none');
  }

  async function resetPassword(generate: boolean) {
    const password = generate ? generatedPassword() : typed;
    if (!(await actions.change(user, { password }))) return;
    setTyped('');
    setOpen('none');
    if (generate) actions.showPassword(user, password);
  }

  return (
    <tr className={user.disabled ? styles.disabledRow : undefined} data-testid={`user-${user.email}`}>
      <td>
        {user.email}
        {isYou && <span className="muted"> (you)</span>}
      </td>
      <td>
        <span className={styles.inline}>
          <select aria-label={`Role of ${user.email}`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLE_OPTIONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          {role !== user.role && (
            <>
              <button type="button" onClick={() => void apply({ role })}>
                Make {ROLE_LABELS[role].toLowerCase()}
              </button>
              <button type="button" onClick={() => setRole(user.role)}>
                Cancel
              </button>
            </>
          )}
        </span>
      </td>
      <td>{user.disabled ? 'disabled' : 'active'}</td>
      <td>{new Date(user.createdAt).toLocaleDateString()}</td>
      <td>
        {open === 'none' && (
          <span className={styles.rowActions}>
            {user.disabled ? (
              <button type="button" onClick={() => void apply({ disabled: false })}>
                Enable
              </button>
            ) : (
              <button type="button" onClick={() => setOpen('disable')}>
                Disable
              </button>
            )}
            <button type="button" onClick={() => setOpen('password')}>
              Reset password
            </button>
          </span>
        )}
        {open === 'disable' && (
          <span className={styles.rowActions}>
            Disable {user.email}? They are signed out on their next request.
            <button type="button" className={styles.danger} onClick={() => void apply({ disabled: true })}>
              Yes, disable
            </button>
            <button type="button" onClick={() => setOpen('none')}>
              Cancel
            </button>
          </span>
        )}
        {open === 'password' && (
          <span className={styles.rowActions}>
            <button type="button" onClick={() => void resetPassword(true)}>
              Generate a new password
            </button>
            or
            <input aria-label={`New password for ${user.email}`} type="text" autoComplete="new-password" placeholder="type one (12+ characters)" value={typed} onChange={(event) => setTyped(event.target.value)} />
            <button type="button" disabled={!typed} onClick={() => void resetPassword(false)}>
              Set it
            </button>
            <button type="button" onClick={() => setOpen('none')}>
              Cancel
            </button>
            <span className={styles.hint}>Their sign-ins and API tokens end.</span>
          </span>
        )}
      </td>
    </tr>
  );
}
