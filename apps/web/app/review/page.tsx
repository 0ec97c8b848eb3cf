import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Review' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Review">Submitted masks waiting for a reviewer: approve or reject them with a comment.</SectionIntro>
      <div className="card muted">The review queue is not built yet.</div>
    </>
  );
}
