import type { LesionStats } from '../../lib/editor/lesion-stats';

export function LesionStatsPanel({ stats }: { stats: LesionStats | null }) {
  if (!stats) return null;
  return (
    <dl className="stats" data-testid="lesion-stats">
      <dt>Lesions</dt>
      <dd data-testid="lesion-count">{stats.lesionCount}</dd>
      <dt>Area</dt>
      <dd>
        <span data-testid="lesion-area-px">{stats.areaPx}</span> px{stats.areaMm2 !== null ? ` · ${stats.areaMm2.toFixed(1)} mm²` : ''}
      </dd>
      <dt>Largest</dt>
      <dd>{stats.largestLesionPx} px</dd>
      <dt>Coverage</dt>
      <dd>{(stats.coverage * 100).toFixed(2)} %</dd>
    </dl>
  );
}
