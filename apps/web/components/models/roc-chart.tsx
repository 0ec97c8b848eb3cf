'use client';

import { useMemo } from 'react';
import type { RocPoint } from '../../lib/models/evaluation-report';
import { EChart, type ChartOption } from '../charts/echart';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function rocOption(points: readonly RocPoint[], auc: number | null): ChartOption {
  return {
    grid: { left: 56, right: 20, top: 30, bottom: 48 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const [fpr, tpr, threshold] = (params as { data: [number, number, number | null] }).data;
        return `p ≥ ${threshold === null ? '–' : threshold.toFixed(3)}<br/>sensitivity ${percent(tpr)}<br/>false positives ${percent(fpr)}`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 1, name: 'false positive rate (1 − specificity)', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', min: 0, max: 1, name: 'true positive rate (sensitivity)', nameLocation: 'middle', nameGap: 40 },
    series: [
      {
        type: 'line',
        name: auc === null ? 'ROC' : `ROC (AUC ${auc.toFixed(3)})`,
        data: points.map((p) => [p.fpr, p.tpr, p.threshold]),
        showSymbol: points.length <= 60,
        symbolSize: 5,
        lineStyle: { width: 2 },
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#888' }, label: { show: false }, data: [[{ coord: [0, 0] }, { coord: [1, 1] }]] },
      },
    ],
  };
}

/** The slice-level ROC curve, chance as a dashed diagonal; a note instead where the split has one class only. */
export function RocChart({ points, auc }: { points: readonly RocPoint[]; auc: number | null }) {
  const option = useMemo(() => rocOption(points, auc), [points, auc]);
  if (points.length === 0) return <p className="muted" data-testid="roc-empty">No ROC curve: the split’s labelled slices are all of one class, so there is no false positive rate to trace.</p>;
  return <EChart option={option} label={`ROC curve of the COVID probability${auc === null ? '' : `, AUC ${auc.toFixed(3)}`}`} height={320} testId="roc-chart" />;
}
