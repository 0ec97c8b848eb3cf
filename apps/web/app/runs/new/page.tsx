import type { Metadata } from 'next';
import { LaunchRunForm } from '../../../components/runs/launch-run-form';
import { SectionIntro } from '../../../components/section-intro';

export const metadata: Metadata = { title: 'New run' };

/** `?release=<id>` preselects the release ("Train on this release"); `?from=<run id>` fills the form from a run (re-run). */
export default async function Page({ searchParams }: { searchParams: Promise<{ release?: string; from?: string }> }) {
  const { release, from } = await searchParams;
  return (
    <>
      <SectionIntro title="New training run">Train a model preset on a ready release. The run starts as soon as a worker with what it needs is free; its page follows it live.</SectionIntro>
      <LaunchRunForm releaseId={release} fromRunId={from} />
    </>
  );
}
