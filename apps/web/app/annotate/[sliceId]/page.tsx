import type { Metadata } from 'next';
import { AnnotationEditor } from '../../../components/editor/annotation-editor';

export const metadata: Metadata = { title: 'Annotate' };

export default async function Page({ params }: { params: Promise<{ sliceId: string }> }) {
  const { sliceId } = await params;
  return <AnnotationEditor sliceId={sliceId} />;
}
