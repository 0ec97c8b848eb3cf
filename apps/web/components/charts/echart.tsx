'use client';

import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, ToolboxComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { init, registerTheme, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  ToolboxComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import { seriesNames } from './series-names';
import { LESIONLAB_THEME } from './theme';

// Only the parts the pages use are registered, which keeps the bundle a fraction of full ECharts.
use([LineChart, BarChart, HeatmapChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, TitleComponent, ToolboxComponent, VisualMapComponent, MarkLineComponent, CanvasRenderer]);
registerTheme('lesionlab', LESIONLAB_THEME);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | HeatmapSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
  | TitleComponentOption
  | ToolboxComponentOption
  | VisualMapComponentOption
  | MarkLineComponentOption
>;

/** The palette every chart shares, so one quantity keeps its colour from page to page. */
export const CHART_COLOURS = ['#1971c2', '#d9480f', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e03131', '#5c7cfa'];

export interface EChartProps {
  option: ChartOption;
  /** What the chart shows, for screen readers and tests. */
  label: string;
  height?: number;
  testId?: string;
  /**
   * Keep what the reader did (zoom window, legend choices) when a new option arrives, replacing only
   * the series: for charts that update while someone looks at them (a live run).
   */
  keepView?: boolean;
}

/**
 * One ECharts canvas: created once, given each new option in place (no flicker while a run streams
 * metrics), resized with its box, disposed on unmount.
 */
export function EChart({ option, label, height = 280, testId, keepView = false }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = init(element, 'lesionlab', { renderer: 'canvas' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: CHART_COLOURS, animation: false, ...option }, keepView ? { replaceMerge: ['series'] } : { notMerge: true });
  }, [option, keepView]);

  return <div ref={box} className="echart" role="img" aria-label={label} data-testid={testId} data-series={seriesNames(option).join('\n')} style={{ width: '100%', height }} />;
}
