'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { checkSession, signOut, useSession } from '../lib/current-user';
import styles from './account/account.module.css';
import { ROLE_LABELS } from './account/roles';
import { sectionsFor } from './sections';

/**
 * The sidebar: the sections the signed-in user's role may use, who is signed in, and sign-out. Every
 * page change asks the API again who that is, so a disabled account is signed out on the next page.
 */
export function Navigation() {
  const pathname = usePathname();
  const router = useRouter();
  const session = useSession();

  useEffect(() => {
    void checkSession();
  }, [pathname]);

  const link = (href: string, label: string) => (
    <Link key={href} href={href} className="nav-link" aria-current={pathname === href || pathname.startsWith(`${href}/`) ? 'page' : undefined}>
      {label}
    </Link>
  );
  const user = session.status === 'signed-in' ? session.user : null;
  const sections = session.status === 'loading' ? [] : sectionsFor(user?.role ?? null);

  async function leave() {
    await signOut();
    router.push('/login');
  }

  return (
    <nav className="sidebar" aria-label="Main">
      <Link href="/" className="brand">
        Lesion<span>Lab</span>
      </Link>
      {sections.filter((s) => s.place === 'main').map((s) => link(s.href, s.label))}
      <div className="nav-spacer" />
      {sections.filter((s) => s.place === 'account').map((s) => link(s.href, s.label))}
      {user && (
        <div className={styles.who} data-testid="signed-in-user">
          <span className={styles.email}>{user.email}</span>
          <span className={`badge ${styles.role}`}>{ROLE_LABELS[user.role]}</span>
          <button type="button" className={styles.signOut} onClick={() => void leave()}>
            Sign out
          </button>
        </div>
      )}
      {(session.status === 'signed-out' || session.status === 'unknown') && link('/login', 'Sign in')}
      {session.status === 'unknown' && (
        <p className="kv" role="status">
          Cannot reach the API: {session.error}
        </p>
      )}
    </nav>
  );
}
