import type { Metadata } from 'next';
import { AuditLog } from './audit-log';

export const metadata: Metadata = { title: 'Audit log' };

export default function AuditPage() {
  return (
    <>
      <h1>Audit log</h1>
      <p className="lead">Every change made through the API: who, what, which ids, the outcome and from where. Newest first.</p>
      <AuditLog />
    </>
  );
}
