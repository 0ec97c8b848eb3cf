import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Annotate' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Annotate">Draw and correct opacification masks slice by slice; every stroke is kept until the server has it.</SectionIntro>
      <div className="card muted">The annotation editor is not built yet.</div>
    </>
  );
}
