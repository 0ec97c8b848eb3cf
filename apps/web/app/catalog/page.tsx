import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';
import { SliceBrowser } from '../../components/catalog/slice-browser';

export const metadata: Metadata = { title: 'Catalog' };

export default async function Page({ searchParams }: { searchParams: Promise<{ patient?: string }> }) {
  const { patient } = await searchParams;
  return (
    <>
      <SectionIntro title="Catalog">Every patient, scan and slice, filtered by cohort, supervision kind, mask, review state and accepted lesion area; a patient&apos;s slices in order.</SectionIntro>
      <SliceBrowser key={patient ?? ''} patient={patient ?? ''} />
    </>
  );
}
