'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import type { Evaluation } from '@lesionlab/contracts';
import { formatScore } from '../../lib/models/evaluation-report';
import { sliceRows, sortSliceRows, type SliceSort, type SliceSortKey } from '../../lib/models/slice-rows';
import { Pager, usePage } from '../account/pager';
import styles from './models.module.css';

const PAGE_SIZE = 25;
const COLUMNS: Array<{ key: SliceSortKey; title: string; firstAscending: boolean }> = [
  { key: 'dice', title: 'Dice', firstAscending: true },
  { key: 'trueArea', title: 'lesion (true)', firstAscending: false },
  { key: 'predictedArea', title: 'lesion (predicted)', firstAscending: false },
  { key: 'covidProbability', title: 'COVID probability', firstAscending: false },
];

const area = (pixels: number | null, imageSize: number | null) =>
  pixels === null ? '–' : imageSize ? `${((100 * pixels) / (imageSize * imageSize)).toFixed(2)}%` : `${pixels} px`;

/** Every evaluated slice, sortable by Dice, lesion areas and COVID probability, a page at a time; each opens in the editor. */
export function SliceTable({ slices, imageSize }: { slices: Evaluation['slices']; imageSize: number | null }) {
  const [sort, setSort] = useState<SliceSort>({ key: 'dice', ascending: true });
  const rows = useMemo(() => sortSliceRows(sliceRows(slices), sort), [slices, sort]);
  const pager = usePage(rows, PAGE_SIZE);
  const sortBy = (key: SliceSortKey, firstAscending: boolean) => {
    setSort((current) => (current.key === key ? { key, ascending: !current.ascending } : { key, ascending: firstAscending }));
    pager.setPage(0);
  };
  return (
    <div>
      <table className={styles.table} data-testid="slice-table">
        <thead>
          <tr>
            <th>slice</th>
            <th>patient</th>
            <th>label</th>
            {COLUMNS.map((c) => (
              <th key={c.key} className={styles.number} aria-sort={sort.key === c.key ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className={styles.sortButton} onClick={() => sortBy(c.key, c.firstAscending)} data-testid={`sort-${c.key}`}>
                  {c.title} {sort.key === c.key ? (sort.ascending ? '▲' : '▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {pager.rows.map((row) => (
            <tr key={row.sliceId} data-testid="slice-row" data-slice-id={row.sliceId}>
              <td><Link href={`/annotate/${row.sliceId}`} title="Open in the editor"><code>{row.sliceId.slice(0, 8)}</code></Link></td>
              <td className="muted">{row.patientId ? row.patientId.slice(0, 12) : '–'}</td>
              <td>{row.label}</td>
              <td className={styles.number} data-testid="slice-dice">{formatScore(row.dice)}</td>
              <td className={styles.number}>{area(row.trueArea, imageSize)}</td>
              <td className={styles.number} data-testid="slice-predicted-area">{area(row.predictedArea, imageSize)}</td>
              <td className={styles.number}>{formatScore(row.covidProbability)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager {...pager} noun="slices" />
      {imageSize && <p className="muted">Lesion areas are shares of the slice at the model’s input size ({imageSize}×{imageSize}); a dash: the slice has no pixel mask.</p>}
    </div>
  );
}
