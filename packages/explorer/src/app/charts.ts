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

/**
 * A curve that keeps at most `max` points however many are added: it keeps every `stride`-th point
 * added (and always the newest), and when full doubles the stride and drops the points off it. The
 * points kept stay evenly spread over the whole run, so a long training run's loss curve is as
 * cheap to draw as a short one and still spans every step.
 */
export class ThinnedCurve {
  private kept: Array<{ at: number; point: [number, number] }> = [];
  private stride = 1;
  private added = 0;

  constructor(private readonly max: number) {}

  add(point: [number, number]): void {
    const last = this.kept[this.kept.length - 1];
    // The newest point replaces a previous newest that is off the stride.
    if (last !== undefined && last.at % this.stride !== 0) this.kept.pop();
    this.kept.push({ at: this.added++, point });
    if (this.kept.length > this.max) {
      this.stride *= 2;
      const newest = this.kept[this.kept.length - 1];
      this.kept = this.kept.filter((entry) => entry.at % this.stride === 0 || entry === newest);
    }
  }

  clear(): void {
    this.kept = [];
    this.stride = 1;
    this.added = 0;
  }

  get points(): Array<[number, number]> {
    return this.kept.map((entry) => entry.point);
  }

  get length(): number {
    return this.kept.length;
  }

  /** The newest point, if any. */
  get newest(): [number, number] | undefined {
    return this.kept[this.kept.length - 1]?.point;
  }
}
