'use client';

import { useMemo } from 'react';
import type { ReleaseSummary } from '@lesionlab/contracts';
import { EChart, type ChartOption } from '../charts/echart';
import { burdenOption, lesionBurden, patientsAndSlices, patientsAndSlicesOption, patientsByLabel, slicesBySupervision, stackedOption, type CountTable } from '../../lib/releases/composition-charts';

/** The numbers a chart draws, as a table a person can read exactly (and a screen reader can). */
function Counts({ chart, data }: { chart: string; data: CountTable }) {
  return (
    <details>
      <summary className="muted">Numbers</summary>
      <table className="table" data-counts={chart}>
        <thead>
          <tr><th />{data.columns.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {data.rows.map((row, r) => (
            <tr key={row}>
              <td>{row}</td>
              {data.columns.map((column, c) => <td key={column} data-row={row} data-key={column} data-count={data.counts[r][c]}>{data.counts[r][c]}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function ChartCard({ chart, title, data, option, wide = false }: { chart: string; title: string; data: CountTable; option: ChartOption; wide?: boolean }) {
  return (
    <section className={`card${wide ? ' charts-wide' : ''}`} data-chart={chart}>
      <h3>{title}</h3>
      <EChart option={option} label={title} height={260} testId={`chart-${chart}`} />
      <Counts chart={chart} data={data} />
    </section>
  );
}

/** The release's split composition as charts: slices by supervision, patients by label, patients vs slices, lesion burden; each with its numbers. */
export function SummaryCharts({ summary }: { summary: ReleaseSummary }) {
  const charts = useMemo(() => {
    const supervision = slicesBySupervision(summary);
    const labels = patientsByLabel(summary);
    const sizes = patientsAndSlices(summary);
    const burden = lesionBurden(summary);
    return { supervision: { data: supervision, option: stackedOption(supervision, 'slices') }, labels: { data: labels, option: stackedOption(labels, 'patients') }, sizes: { data: sizes, option: patientsAndSlicesOption(sizes) }, burden: { data: burden, option: burdenOption(burden) } };
  }, [summary]);
  return (
    <div className="charts">
      <ChartCard chart="slices-by-supervision" title="Slices by supervision, per split" {...charts.supervision} />
      <ChartCard chart="patients-by-label" title="Patients by label, per split" {...charts.labels} />
      <ChartCard chart="patients-vs-slices" title="Patients and slices, per split" {...charts.sizes} />
      <ChartCard chart="lesion-burden" title="Lesion burden of masked slices (share of the slice covered)" {...charts.burden} />
    </div>
  );
}
