import type { Metadata } from 'next';
import { ModelList } from '../../components/models/model-list';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Models' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Models">Registered models with their evaluations, and predictions sent back to annotators as drafts.</SectionIntro>
      <ModelList />
    </>
  );
}
