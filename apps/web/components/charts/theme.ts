/**
 * The app's dark look for ECharts: text, axes, split lines, tooltips and legends in the colours of
 * globals.css (ECharts' default theme draws dark grey text meant for a white page).
 */
const TEXT = '#e6edf3';
const MUTED = '#8b98a5';
const BORDER = '#2a3440';
const PANEL = '#1d252e';

const axis = {
  axisLine: { lineStyle: { color: BORDER } },
  axisTick: { lineStyle: { color: BORDER } },
  axisLabel: { color: MUTED },
  splitLine: { lineStyle: { color: BORDER, type: 'dashed' } },
  nameTextStyle: { color: MUTED },
};

export const LESIONLAB_THEME = {
  backgroundColor: 'transparent',
  textStyle: { color: TEXT },
  title: { textStyle: { color: TEXT, fontSize: 13, fontWeight: 600 }, subtextStyle: { color: MUTED } },
  legend: { textStyle: { color: MUTED }, inactiveColor: '#4a5561' },
  tooltip: { backgroundColor: PANEL, borderColor: BORDER, textStyle: { color: TEXT } },
  categoryAxis: axis,
  valueAxis: axis,
  logAxis: axis,
  timeAxis: axis,
  dataZoom: { textStyle: { color: MUTED }, borderColor: BORDER, fillerColor: 'rgba(76, 194, 255, 0.12)', handleStyle: { color: MUTED } },
  toolbox: { iconStyle: { borderColor: MUTED } },
};
