import type { Metadata } from 'next';
import { ReleaseDiffView } from '../../../../../components/releases/release-diff';

export const metadata: Metadata = { title: 'Release diff' };

export default async function Page({ params }: { params: Promise<{ id: string; otherId: string }> }) {
  const { id, otherId } = await params;
  return <ReleaseDiffView fromId={id} toId={otherId} />;
}
