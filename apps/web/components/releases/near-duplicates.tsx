import Link from 'next/link';
import type { ReleaseSummary } from '@lesionlab/contracts';

/** How many near-duplicate slice pairs the release holds, how many straddle two splits, and examples. */
export function NearDuplicates({ report }: { report: ReleaseSummary['nearDuplicates'] }) {
  return (
    <section className="card" data-testid="near-duplicates">
      <h3>Near-duplicates</h3>
      <p className="kv">
        <b data-testid="near-duplicate-pairs">{report.pairs}</b> pairs of near-identical slices (perceptual hash), <b data-testid="cross-split-pairs">{report.crossSplitPairs}</b> of them across two splits.
      </p>
      {report.examples.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Slice A</th>
              <th>Slice B</th>
              <th>Distance</th>
              <th>Splits</th>
            </tr>
          </thead>
          <tbody>
            {report.examples.map((pair) => (
              <tr key={`${pair.a}-${pair.b}`} className={pair.splits[0] !== pair.splits[1] ? 'row-warn' : undefined}>
                <td>
                  <Link href={`/annotate/${pair.a}`}>{pair.a.slice(0, 8)}</Link>
                </td>
                <td>
                  <Link href={`/annotate/${pair.b}`}>{pair.b.slice(0, 8)}</Link>
                </td>
                <td>{pair.distance}</td>
                <td>{pair.splits.join(' / ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
