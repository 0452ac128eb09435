/**
 * Short number formatting for reports and the terminal: fixed decimals for ordinary magnitudes,
 * exponent notation for tiny or huge ones, and −∞ / NaN spelled out.
 *
 * @example
 * formatNumber(0.123456) // '0.1235'
 * formatNumber(3.2e-11)  // '3.20e-11'
 */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (value === 0) return (0).toFixed(digits);
  const magnitude = Math.abs(value);
  if (magnitude < 10 ** -digits || magnitude >= 1e6) return value.toExponential(2);
  return value.toFixed(digits);
}
