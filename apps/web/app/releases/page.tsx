import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';
import { ReleaseList } from '../../components/releases/release-list';

export const metadata: Metadata = { title: 'Releases' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Releases">Immutable, versioned dataset snapshots with patient-safe train/val/test splits, exports and diffs.</SectionIntro>
      <ReleaseList />
    </>
  );
}
