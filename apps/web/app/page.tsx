import Link from 'next/link';
import { SECTIONS } from '../components/sections';


export default function HomePage() {
  return (
    <>
      <h1>LesionLab</h1>
      <p className="lead">
        The platform for COVID-CS chest-CT lesion segmentation: a catalog of slices with pixel masks, patient labels and negatives, an
        annotation editor, versioned releases, and the JCS joint classification + segmentation model trained on them.
      </p>
      <div className="grid">
        {SECTIONS.filter((section) => section.place === 'main').map((section) => (
          <Link key={section.href} href={section.href} className="card">
            <div className="component-name">{section.label}</div>
            <p className="kv">{section.purpose}</p>
          </Link>
        ))}
      </div>
      <p className="muted" style={{ marginTop: 24 }}>
        Platform health: <Link href="/status">status page</Link>.
      </p>
    </>
  );
}
