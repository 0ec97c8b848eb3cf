import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Models' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Models">Registered models with their evaluations, and predictions sent back to annotators as drafts.</SectionIntro>
      <div className="card muted">No models yet.</div>
    </>
  );
}
