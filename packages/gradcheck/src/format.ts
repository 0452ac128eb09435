import { formatShape } from '@attograd/tensor';
import type { GradcheckReport, InputReport } from './types';

const HEADER = ['input', 'shape', 'max abs err', 'max rel err', 'worst (input ← output)', 'analytic', 'numeric', 'status'];

/**
 * A plain-text table of a report: one row per checked input (shape, max abs error, max rel error,
 * the worst element with its analytic and numeric values, PASS / FAIL / VACUOUS), a summary line,
 * then the warnings. No colours or escape codes.
 *
 * @example
 * console.log(formatReport(gradcheck((x) => cube([x], {}), [x])));
 * // input  shape   max abs err  max rel err  worst (input ← output)  analytic   numeric    status
 * // 0      [2, 3]  8.66e+0      6.67e-1      [0, 0] ← [0, 0]         4.3314306  12.994292  FAIL
 * // gradcheck FAIL: 1 of 1 checked input failed (full, central, eps 6.06e-6, atol 1e-8, rtol 1e-7); output [2, 3]; 0.002 s
 */
export function formatReport(report: GradcheckReport): string {
  const rows = [HEADER, ...report.inputs.map(rowOf)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
  lines.push(summary(report));
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

/** PASS, FAIL or VACUOUS for one input. */
export function statusOf(input: InputReport): 'PASS' | 'FAIL' | 'VACUOUS' {
  if (!input.ok) return 'FAIL';
  return input.vacuous ? 'VACUOUS' : 'PASS';
}

function rowOf(input: InputReport): string[] {
  let where = '—';
  let analytic = '—';
  let numeric = '—';
  if (input.worst !== null) {
    where = `${formatShape(input.worst.inputIndex)} ← ${formatShape(input.worst.outputIndex)}`;
    analytic = formatValue(input.worst.analytic);
    numeric = formatValue(input.worst.numeric);
  } else if (input.directional !== undefined) {
    where = 'vᵀJu (random u, v)';
    analytic = formatValue(input.directional.analytic);
    numeric = formatValue(input.directional.numeric);
  }
  return [
    String(input.index),
    formatShape(input.shape),
    formatError(input.maxAbsError),
    formatError(input.maxRelError),
    where,
    analytic,
    numeric,
    statusOf(input),
  ];
}

function summary(report: GradcheckReport): string {
  const failed = report.inputs.filter((input) => !input.ok).length;
  const settings = `${report.mode}, ${report.stencil}, eps ${formatError(report.eps)}, atol ${report.atol}, rtol ${report.rtol}`;
  const checked = `${report.inputs.length} checked ${report.inputs.length === 1 ? 'input' : 'inputs'}`;
  const counts = report.ok
    ? `${checked} passed`
    : failed === 0
      ? `${checked}, none failed, but the check is not a pass (see the warnings)`
      : `${failed} of ${checked} failed`;
  const warnings =
    report.warnings.length === 0 ? '' : `; ${report.warnings.length} ${report.warnings.length === 1 ? 'warning' : 'warnings'}`;
  const verdict = report.ok ? 'PASS' : 'FAIL';
  return `gradcheck ${verdict}: ${counts} (${settings}); output ${formatShape(report.outputShape)}; ${report.seconds.toFixed(3)} s${warnings}`;
}

/** An error in 3 significant digits; '—' when not computed. */
function formatError(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  return x === 0 ? '0' : x.toExponential(2);
}

/** A derivative with enough digits to see where the two values part. */
function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x === 0 ? '0' : x.toPrecision(8);
}
