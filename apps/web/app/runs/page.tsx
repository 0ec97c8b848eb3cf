import type { Metadata } from 'next';
import { RunList } from '../../components/runs/run-list';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Runs' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Runs">Training runs on the workers: start one, follow its curves live, compare several.</SectionIntro>
      <RunList />
    </>
  );
}
