import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Catalog' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Catalog">Every patient, scan and slice, filtered by cohort, supervision kind, review state and lesion area.</SectionIntro>
      <div className="card muted">Nothing is imported yet. Import a collection with npx lesionlab import once the catalog lands.</div>
    </>
  );
}
