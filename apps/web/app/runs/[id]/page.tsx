import type { Metadata } from 'next';
import { RunView } from '../../../components/runs/run-view';
import { SectionIntro } from '../../../components/section-intro';

export const metadata: Metadata = { title: 'Run' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <SectionIntro title={`Run ${id.slice(0, 8)}`}>Live loss and metric curves, throughput, log tail and artifacts.</SectionIntro>
      <RunView id={id} />
    </>
  );
}
