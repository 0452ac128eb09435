/**
 * Colour scales for heatmaps. Diverging: blue (negative) – white (zero) – red (positive), as
 * ColorBrewer's RdBu, so the sign of a gradient is read at a glance. Sequential: light to dark.
 */

type Rgb = readonly [number, number, number];

const DIVERGING: readonly Rgb[] = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [239, 138, 98],
  [178, 24, 43],
];
const SEQUENTIAL: readonly Rgb[] = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

/** The colour at t ∈ [0, 1] along evenly spaced stops, as `rgb(r,g,b)`. */
function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const clamped = Math.min(1, Math.max(0, t));
  const position = clamped * (stops.length - 1);
  const index = Math.min(stops.length - 2, Math.floor(position));
  const fraction = position - index;
  const [a, b] = [stops[index], stops[index + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * fraction)) as unknown as Rgb;
}

/** A mapping from values to colours, with the value range it covers. */
export interface ColorScale {
  readonly min: number;
  readonly max: number;
  readonly diverging: boolean;
  /** The fill colour of a value (grey for NaN or ±Infinity). */
  color(value: number): string;
  /** Black or white, whichever reads better on `color(value)`. */
  textColor(value: number): string;
}

/**
 * The colour scale for `values`: diverging scales are symmetric around zero (±max |v|), sequential
 * ones span [min, max]. Non-finite values are ignored when fitting the range.
 *
 * @example
 * colorScale([-1, 0, 2], true).color(0) // 'rgb(247,247,247)' (white: zero)
 */
export function colorScale(values: ArrayLike<number>, diverging: boolean): ColorScale {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (min === Infinity) [min, max] = [0, 0];
  if (diverging) {
    const extent = Math.max(Math.abs(min), Math.abs(max));
    [min, max] = [-extent, extent];
  }
  const span = max - min;
  const rgbOf = (value: number): Rgb | null => {
    if (!Number.isFinite(value)) return null;
    const t = span === 0 ? (diverging ? 0.5 : 0) : (value - min) / span;
    return interpolate(diverging ? DIVERGING : SEQUENTIAL, t);
  };
  return {
    min,
    max,
    diverging,
    color(value) {
      const rgb = rgbOf(value);
      return rgb === null ? 'rgb(200,200,200)' : `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
    },
    textColor(value) {
      const rgb = rgbOf(value) ?? [200, 200, 200];
      const luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
      return luminance > 140 ? '#111' : '#fff';
    },
  };
}
