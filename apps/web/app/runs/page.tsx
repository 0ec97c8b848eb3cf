import type { Metadata } from 'next';
import { RunList } from '../../components/runs/run-list';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Runs' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Runs">JCS training runs on GPU workers: live loss curves, throughput, logs and checkpoints.</SectionIntro>
      <RunList />
    </>
  );
}
