import { PATIENT_LABELS, SPLIT_NAMES, SUPERVISION_KINDS, type ReleaseSummary } from '@lesionlab/contracts';
import { Histograms } from './histograms';
import { StackedBars } from './stacked-bars';

/** Burden buckets ('<1%', '1-5%', '5-15%', '>15%') in order of their upper bound; the summary is stored as jsonb, which does not keep key order. */
function burdenOrder(bucket: string): number {
  if (bucket.startsWith('>')) return Infinity;
  const bounds = bucket.match(/\d+(\.\d+)?/g) ?? [];
  return Number(bounds[bounds.length - 1] ?? Infinity);
}

/** The release summary as charts: slices by supervision and patients by label per split, lesion burden per split. */
export function SummaryCharts({ summary }: { summary: ReleaseSummary }) {
  const splits = SPLIT_NAMES.map((split) => ({ split, ...summary.splits[split] }));
  const buckets = [...new Set(splits.flatMap((s) => Object.keys(s.lesionBurden)))].sort((a, b) => burdenOrder(a) - burdenOrder(b));
  return (
    <div className="charts">
      <section className="card">
        <h3>Slices by supervision</h3>
        <StackedBars chart="slices-by-supervision" keys={SUPERVISION_KINDS} rows={splits.map((s) => ({ label: s.split, values: s.slicesBySupervision }))} />
      </section>
      <section className="card">
        <h3>Patients by label</h3>
        <StackedBars chart="patients-by-label" keys={PATIENT_LABELS} rows={splits.map((s) => ({ label: s.split, values: s.patientsByLabel }))} />
      </section>
      <section className="card charts-wide">
        <h3>Lesion burden of masked slices (share of the slice covered)</h3>
        <Histograms chart="lesion-burden" buckets={buckets} panels={splits.map((s) => ({ label: s.split, counts: s.lesionBurden }))} />
      </section>
    </div>
  );
}
