import type { Metadata } from 'next';
import Link from 'next/link';
import { RunCompare } from '../../../components/runs/run-compare';
import { SectionIntro } from '../../../components/section-intro';

export const metadata: Metadata = { title: 'Compare runs' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `?ids=a,b,c` (or the older `?a=&b=`): the runs to overlay. */
export default async function Page({ searchParams }: { searchParams: Promise<{ ids?: string; a?: string; b?: string }> }) {
  const { ids, a, b } = await searchParams;
  const chosen = [...new Set([...(ids ?? '').split(','), a ?? '', b ?? ''].map((id) => id.trim()).filter(Boolean))];
  const bad = chosen.filter((id) => !UUID.test(id));
  return (
    <>
      <SectionIntro title="Compare runs">Runs&apos; parameters side by side and their loss and metric curves overlaid on the same charts.</SectionIntro>
      {bad.length > 0 ? (
        <div className="card form-error">Not run ids: {bad.join(', ')}. <Link href="/runs">Choose runs on the runs page.</Link></div>
      ) : chosen.length < 2 ? (
        <div className="card muted">Tick two or more runs on the <Link href="/runs">runs page</Link> to compare them.</div>
      ) : (
        <RunCompare ids={chosen} />
      )}
    </>
  );
}
