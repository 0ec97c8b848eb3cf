import type { Metadata } from 'next';
import { ImportPage } from '../../components/import/import-page';
import { SectionIntro } from '../../components/section-intro';

export const metadata: Metadata = { title: 'Import' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function Page({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const { id } = await searchParams;
  return (
    <>
      <SectionIntro title="Import">
        Bring CT slices into the catalog: upload a folder or files from this computer, or import a folder on the server or an object-store prefix. Each file is decoded, stored once by its hash and
        listed; a file that cannot be read is listed with its reason and the rest imports.
      </SectionIntro>
      <ImportPage openId={id && UUID.test(id) ? id : null} />
    </>
  );
}
