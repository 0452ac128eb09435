import { escapeHtml } from '../html';
import { lineChartSvg } from '../line-chart';

/** One line of a chart on the page. */
export interface Series {
  label: string;
  points: ReadonlyArray<[number, number]>;
  colour: string;
  dash?: boolean;
}

/**
 * A small SVG line chart (optionally log-scaled axes) in a figure with its title as the caption;
 * the chart itself is `lineChartSvg`, the one shared with `attograd`'s HTML reports.
 */
export function lineChart(
  title: string,
  series: readonly Series[],
  options: { logX?: boolean; logY?: boolean; xLabel: string; yLabel: string; width?: number; height?: number },
): string {
  const svg = lineChartSvg(
    series.map((s) => ({ name: s.label, points: s.points, colour: s.colour, dash: s.dash })),
    {
      title,
      xLabel: options.xLabel,
      yLabel: options.yLabel,
      logX: options.logX ?? false,
      logY: options.logY ?? false,
      width: options.width ?? 360,
      height: options.height ?? 220,
      showTitle: false,
      // The page redraws its charts live (the loss curve on every training report): lines only.
      markers: false,
    },
  );
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>${svg}</figure>`;
}
