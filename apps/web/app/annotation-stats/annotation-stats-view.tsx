'use client';

import { useEffect, useMemo, useState } from 'react';
import { annotationStatsSchema, type AnnotationStats } from '@lesionlab/contracts';
import { EChart, type ChartOption } from '../../components/charts/echart';
import { api, dataOf, messageOf } from '../../lib/api';
import { acceptanceOption, annotatorsOption, editDiceOption, secondsPerSliceOption, sourceName } from '../../lib/annotation-stats/stats-charts';

const number = (value: number | null, unit = '', digits = 1) => (value === null ? '—' : `${value.toFixed(digits)}${unit}`);
const duration = (seconds: number) => (seconds < 60 ? `${seconds.toFixed(1)} s` : seconds < 3600 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`);

function ChartCard({ chart, title, option }: { chart: string; title: string; option: ChartOption }) {
  return (
    <section className="card" data-chart={chart}>
      <h3>{title}</h3>
      <EChart option={option} label={title} height={320} testId={`chart-${chart}`} />
    </section>
  );
}

/** GET /api/annotation-stats as charts, with the exact numbers in tables below them. */
export function AnnotationStatsView() {
  const [stats, setStats] = useState<AnnotationStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    dataOf(api.GET('/api/annotation-stats', { cache: 'no-store' })).then(
      (data) => setStats(annotationStatsSchema.parse(data)),
      (e: unknown) => setError(`Cannot load the statistics: ${messageOf(e)}`),
    );
  }, []);
  const options = useMemo(
    () => stats && { dice: editDiceOption(stats), acceptance: acceptanceOption(stats), seconds: secondsPerSliceOption(stats), annotators: annotatorsOption(stats) },
    [stats],
  );

  if (error) return <p className="editor-message" role="alert">{error}</p>;
  if (!stats || !options) return <p className="muted">Loading…</p>;
  if (stats.annotators.length === 0 && stats.models.length === 0) return <p className="muted" data-testid="stats-empty">No annotator has saved a mask yet.</p>;
  return (
    <>
      <div className="charts">
        <ChartCard chart="edit-dice" title="How much of each draft was kept (mean Dice, draft vs saved)" option={options.dice} />
        <ChartCard chart="acceptance" title="Drafts offered, accepted, and accepted unchanged" option={options.acceptance} />
        <ChartCard chart="seconds-per-slice" title="Active editing time per slice: from a draft vs by hand" option={options.seconds} />
        <ChartCard chart="annotators" title="Annotators: slices and time per slice" option={options.annotators} />
      </div>
      <h2>Draft sources</h2>
      <table className="table" data-testid="stats-models">
        <thead>
          <tr>
            <th>source</th>
            <th title="Slices shown this source’s drafts, once per annotator">offered</th>
            <th>accepted</th>
            <th>unchanged</th>
            <th>mean Dice</th>
            <th>mean px added</th>
            <th>mean px removed</th>
            <th>median s / slice</th>
          </tr>
        </thead>
        <tbody>
          {stats.models.map((row) => (
            <tr key={`${row.kind} ${row.model}`} data-source={sourceName(row)}>
              <td>{sourceName(row)}</td>
              <td data-key="offered">{row.offered}</td>
              <td data-key="accepted">{row.accepted}</td>
              <td data-key="unchanged">{row.acceptedUnchanged}</td>
              <td data-key="dice">{number(row.meanDice, '', 3)}</td>
              <td>{number(row.meanPixelsAdded)}</td>
              <td>{number(row.meanPixelsRemoved)}</td>
              <td data-key="seconds">{number(row.medianSecondsPerSlice, ' s')}</td>
            </tr>
          ))}
          <tr data-source="manual">
            <td>drawn by hand</td>
            <td>—</td>
            <td data-key="accepted">{stats.manual.slices}</td>
            <td>—</td>
            <td>—</td>
            <td>—</td>
            <td>—</td>
            <td data-key="seconds">{number(stats.manual.medianSecondsPerSlice, ' s')}</td>
          </tr>
        </tbody>
      </table>
      <h2>Annotators</h2>
      <table className="table" data-testid="stats-annotators">
        <thead>
          <tr>
            <th>annotator</th>
            <th>slices</th>
            <th>from drafts</th>
            <th>active time</th>
            <th>median s / slice</th>
          </tr>
        </thead>
        <tbody>
          {stats.annotators.map((row) => (
            <tr key={row.author} data-author={row.author}>
              <td>{row.author}</td>
              <td data-key="slices">{row.slices}</td>
              <td data-key="from-drafts">{row.fromDrafts}</td>
              <td>{duration(row.activeSeconds)}</td>
              <td data-key="seconds">{number(row.secondsPerSlice, ' s')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
