import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';
import { ReviewBoard } from '../../components/review/review-board';

export const metadata: Metadata = { title: 'Review' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Review">Accept or reject submitted masks, each beside the one accepted before it.</SectionIntro>
      <ReviewBoard />
    </>
  );
}
