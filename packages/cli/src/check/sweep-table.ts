import type pc from 'picocolors';
import { checkLabel, formatError } from './table';
import type { CheckResult } from './types';

type Colors = ReturnType<typeof pc.createColors>;

/**
 * `--sweep` in the terminal: one row per check, one column per step h (1e-1 … 1e-10), each cell
 * the largest |analytic − numeric| of a random projection at that step; the best step of each row
 * is marked with `*`. Read along a row, the errors fall (truncation shrinks with h) then rise
 * again (round-off grows like ε/h): the V of finite differences.
 *
 * @example
 * console.log(formatSweepTable(results, pc.createColors(false)));
 */
export function formatSweepTable(results: readonly CheckResult[], colors: Colors): string {
  const swept = results.filter((r) => r.sweep !== undefined && r.sweep.length > 0);
  if (swept.length === 0) return '';
  const steps = swept[0].sweep?.map((row) => row.eps) ?? [];
  const header = ['max |a − n| at step h', ...steps.map((h) => formatError(h))];
  const rows = swept.map((result) => {
    const errors = (result.sweep ?? []).map((row) => row.maxAbsError);
    const best = errors.indexOf(Math.min(...errors));
    return [checkLabel(result), ...errors.map((e, i) => `${formatError(e)}${i === best ? '*' : ' '}`)];
  });
  const table = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...table.map((row) => [...(row[column] ?? '')].length)));
  const lines = table.map((row, r) => {
    const text = row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
    return r === 0 ? colors.bold(text) : text;
  });
  return [colors.bold('step-size sweep'), ...lines, colors.dim('* the best step of each row')].join('\n');
}
