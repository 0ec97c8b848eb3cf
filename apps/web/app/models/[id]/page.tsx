import type { Metadata } from 'next';
import { ModelView } from '../../../components/models/model-view';
import { SectionIntro } from '../../../components/section-intro';

export const metadata: Metadata = { title: 'Model' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <SectionIntro title="Model">Summary metrics and evaluations with intervals, patient-level results and the worst slices.</SectionIntro>
      <ModelView id={id} />
    </>
  );
}
