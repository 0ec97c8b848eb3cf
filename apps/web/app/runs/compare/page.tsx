import type { Metadata } from 'next';
import { RunCompare } from '../../../components/runs/run-compare';
import { SectionIntro } from '../../../components/section-intro';

export const metadata: Metadata = { title: 'Compare runs' };

export default async function Page({ searchParams }: { searchParams: Promise<{ a?: string; b?: string }> }) {
  const { a, b } = await searchParams;
  return (
    <>
      <SectionIntro title="Compare runs">Two runs' parameters side by side and their loss and metric curves overlaid.</SectionIntro>
      {a && b ? <RunCompare a={a} b={b} /> : <div className="card muted">Choose two runs on the runs page.</div>}
    </>
  );
}
