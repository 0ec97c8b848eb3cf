import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';
import { AnnotationStatsView } from './annotation-stats-view';

export const metadata: Metadata = { title: 'Annotation statistics' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Annotation statistics">
        What the AI saved: for each source of drafts (AI assist models, model suggestions, interpolation), how often annotators took its drafts, how much they changed them, and how long a slice took against slices drawn by hand. Each annotator’s newest mask of a slice counts once.
      </SectionIntro>
      <AnnotationStatsView />
    </>
  );
}
