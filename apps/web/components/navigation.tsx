'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { SECTIONS } from './sections';


export function Navigation() {
  const pathname = usePathname();
  const link = (href: string, label: string) => (
    <Link key={href} href={href} className="nav-link" aria-current={pathname === href || pathname.startsWith(`${href}/`) ? 'page' : undefined}>
      {label}
    </Link>
  );
  return (
    <nav className="sidebar" aria-label="Main">
      <Link href="/" className="brand">
        Lesion<span>Lab</span>
      </Link>
      {SECTIONS.map((s) => link(s.href, s.label))}
      <div className="nav-spacer" />
      {link('/audit', 'Audit')}
      {link('/login', 'Sign in')}
      {link('/status', 'Status')}
    </nav>
  );
}
