import type { ReactNode } from 'react';

/** The heading and one-paragraph purpose of a section, shown above its content. */
export function SectionIntro({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="lead">{children}</p>
    </>
  );
}
