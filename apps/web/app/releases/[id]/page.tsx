import type { Metadata } from 'next';
import { ReleaseDetail } from '../../../components/releases/release-detail';

export const metadata: Metadata = { title: 'Release' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ReleaseDetail id={id} />;
}
