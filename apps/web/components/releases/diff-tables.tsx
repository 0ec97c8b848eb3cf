import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ReleaseDiff } from '@lesionlab/contracts';

const SHOWN = 200;

/** A table of the first SHOWN rows, with how many more there are; a line saying "none" when empty. */
function DiffTable<T>({ testId, title, rows, head, row }: { testId: string; title: string; rows: T[]; head: string[]; row: (item: T) => ReactNode }) {
  return (
    <section className="card" data-testid={testId}>
      <h3>
        {title} <span className="muted">({rows.length})</span>
      </h3>
      {rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>{rows.slice(0, SHOWN).map(row)}</tbody>
        </table>
      )}
      {rows.length > SHOWN && <p className="muted">… and {rows.length - SHOWN} more.</p>}
    </section>
  );
}

const short = (id: string | null) => (id ? id.slice(0, 8) : '—');

/** Dice 0–1 as a number and a small bar. */
function DiceBar({ dice }: { dice: number }) {
  return (
    <span className="dice">
      <svg width={80} height={10} role="img" aria-label={`Dice ${dice.toFixed(3)}`}>
        <rect width={80} height={10} className="dice-track" />
        <rect width={80 * dice} height={10} className="dice-fill" data-dice={dice} />
      </svg>
      {dice.toFixed(3)}
    </span>
  );
}

export function MovedPatients({ moved }: { moved: ReleaseDiff['movedPatients'] }) {
  return (
    <DiffTable testId="moved-patients" title="Patients that moved split" rows={moved} head={['Patient', 'From', 'To']} row={(m) => (
      <tr key={m.patientId}>
        <td>
          <Link href={`/catalog?patient=${m.patientId}`}>{short(m.patientId)}</Link>
        </td>
        <td>{m.from}</td>
        <td>{m.to}</td>
      </tr>
    )} />
  );
}

export function ChangedMasks({ masks }: { masks: ReleaseDiff['changedMasks'] }) {
  return (
    <DiffTable testId="changed-masks" title="Changed masks" rows={masks} head={['Slice', 'From revision', 'To revision', 'Dice']} row={(m) => (
      <tr key={m.sliceId}>
        <td>
          <Link href={`/annotate/${m.sliceId}`}>{short(m.sliceId)}</Link>
        </td>
        <td>{short(m.fromRevision)}</td>
        <td>{short(m.toRevision)}</td>
        <td>
          <DiceBar dice={m.dice} />
        </td>
      </tr>
    )} />
  );
}

export function ChangedLabels({ labels }: { labels: ReleaseDiff['changedLabels'] }) {
  return (
    <DiffTable testId="changed-labels" title="Changed labels" rows={labels} head={['Slice', 'From', 'To']} row={(l) => (
      <tr key={l.sliceId}>
        <td>
          <Link href={`/annotate/${l.sliceId}`}>{short(l.sliceId)}</Link>
        </td>
        <td>
          {l.from.label} · {l.from.supervision}
        </td>
        <td>
          {l.to.label} · {l.to.supervision}
        </td>
      </tr>
    )} />
  );
}
