import type { Metadata } from 'next';
import { SectionIntro } from '../../components/section-intro';
import { NextSliceButton } from '../../components/editor/next-slice-button';

export const metadata: Metadata = { title: 'Annotate' };

export default function Page() {
  return (
    <>
      <SectionIntro title="Annotate">Draw and correct opacification masks slice by slice; every stroke is kept until the server has it.</SectionIntro>
      <NextSliceButton />
    </>
  );
}
