import type { Metadata } from 'next';
import { HealthPanel } from '../../components/health-panel';

export const metadata: Metadata = { title: 'Status' };

export default function StatusPage() {
  return (
    <>
      <h1>Status</h1>
      <p className="lead">The API&apos;s view of the platform: its database, its job queue and its object storage.</p>
      <HealthPanel />
    </>
  );
}
