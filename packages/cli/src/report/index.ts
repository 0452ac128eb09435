/**
 * The pieces of attograd's HTML reports, shared by `attograd explain --html` and
 * `attograd check --html`. Everything renders to strings of self-contained HTML/SVG: no scripts,
 * no fonts or images from the network.
 */
export { renderPage, escapeHtml, htmlTable, formulaBlock, figureRow } from './html-page';
export type { PageOptions, ReportSection } from './html-page';
export { heatmapSvg, matrixOf } from './heatmap';
export type { HeatmapOptions } from './heatmap';
export { colorScale } from './color';
export type { ColorScale } from './color';
export { lineChartSvg, sweepChartSvg } from './line-chart';
export type { ChartSeries, LineChartOptions, SweepPoint } from './line-chart';
export { recordedGraph, nodeLabel, nodesByStage } from './graph';
export type { ComputationGraph, GraphNode, GraphEdge } from './graph';
export { graphToDot, graphToMermaid } from './graph-text';
export type { GraphTextOptions } from './graph-text';
export { graphSvg } from './graph-svg';
export { formatNumber } from './number-format';
