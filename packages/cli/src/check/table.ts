import { formatShape } from '@attograd/tensor';
import type pc from 'picocolors';
import type { CheckResult, CheckStatus, InputResult, RunReport } from './types';

/**
 * The terminal output of `attograd check`: a table with one row per check and input, notes that
 * say exactly what went wrong, and a summary line. Colours only when asked (on a TTY).
 */

type Colors = ReturnType<typeof pc.createColors>;

const HEADER = [
  'check',
  'kind',
  'input',
  'shape',
  'max abs err',
  'max rel err',
  'worst element (input ← output)',
  'analytic',
  'numeric',
  'time',
  'status',
];

/**
 * The label of a check: its name, and at order 2 which gradient is differentiated.
 *
 * @example
 * checkLabel(result) // 'softmax (2nd order: ∇x)' at order 2
 */
export function checkLabel(result: CheckResult): string {
  return result.order === 1 ? result.name : `${result.name} (2nd order: ∇${result.gradientOf})`;
}

/**
 * An error in 3 significant digits; '—' when not computed.
 *
 * @example
 * formatError(3.2e-11) // '3.20e-11'
 */
export function formatError(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  return x === 0 ? '0' : x.toExponential(2);
}

/**
 * A derivative with enough digits to see where the two values part.
 *
 * @example
 * formatValue(0.123456789) // '0.12345679'
 */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x === 0 ? '0' : x.toPrecision(8);
}

/**
 * A duration: milliseconds below one second.
 *
 * @example
 * formatSeconds(0.0042) // '4 ms'
 */
export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toFixed(0)} ms` : `${seconds.toFixed(2)} s`;
}

/**
 * `b[1, 2] ← out[0, 2]`: the worst element of an input and the output element it was seen in.
 *
 * @example
 * elementName(input) // 'b[1, 2] ← out[0, 2]'
 */
export function elementName(input: InputResult): string {
  if (input.worst !== null) return `${input.name}${formatShape(input.worst.inputIndex)} ← out${formatShape(input.worst.outputIndex)}`;
  if (input.directional !== undefined) return 'vᵀJu (random u, v)';
  return '—';
}

function inputRow(result: CheckResult, input: InputResult, first: boolean): string[] {
  const values = input.worst ?? input.directional;
  return [
    first ? checkLabel(result) : '',
    first ? result.kind : '',
    input.name,
    formatShape(input.shape),
    formatError(input.maxAbsError),
    formatError(input.maxRelError),
    elementName(input),
    values === undefined ? '—' : formatValue(values.analytic),
    values === undefined ? '—' : formatValue(values.numeric),
    first ? formatSeconds(result.seconds) : '',
    input.status.toUpperCase(),
  ];
}

function rowsOf(result: CheckResult): string[][] {
  if (result.inputs.length === 0) {
    return [
      [checkLabel(result), result.kind, '—', '—', '—', '—', '—', '—', '—', formatSeconds(result.seconds), result.status.toUpperCase()],
    ];
  }
  return result.inputs.map((input, i) => inputRow(result, input, i === 0));
}

const STATUS_COLOR: Record<string, (colors: Colors, text: string) => string> = {
  PASS: (c, t) => c.green(t),
  FAIL: (c, t) => c.red(c.bold(t)),
  ERROR: (c, t) => c.red(c.bold(t)),
  VACUOUS: (c, t) => c.yellow(c.bold(t)),
  SKIP: (c, t) => c.dim(t),
  ZERO: (c, t) => c.dim(t),
};

/**
 * The table: one row per check and input (a check that could not run gets one row).
 *
 * @example
 * process.stdout.write(formatTable(report.results, pc.createColors(false)));
 */
export function formatTable(results: readonly CheckResult[], colors: Colors): string {
  const rows = [HEADER, ...results.flatMap(rowsOf)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows
    .map((row, r) => {
      const cells = row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - [...cell].length)));
      const status = cells[cells.length - 1];
      if (r === 0) return colors.bold(cells.join('  '));
      cells[cells.length - 1] = STATUS_COLOR[status]?.(colors, status) ?? status;
      return cells.join('  ').trimEnd();
    })
    .join('\n');
}

/**
 * What went wrong, check by check: the failing element with both values, vacuity, errors.
 *
 * @example
 * console.log(formatNotes(report.results, pc.createColors(false)));
 */
export function formatNotes(results: readonly CheckResult[], colors: Colors): string {
  const notes: string[] = [];
  for (const result of results) {
    const label = checkLabel(result);
    if (result.status === 'error') notes.push(`${colors.red('✗')} ${label}: could not be checked: ${result.message ?? 'unknown error'}`);
    for (const input of result.inputs) {
      if (input.status === 'fail') notes.push(`${colors.red('✗')} ${label}: ${failureText(input)}`);
      if (input.status === 'vacuous')
        notes.push(`${colors.yellow('!')} ${label}: input ${input.name} is VACUOUS (not a pass): ${input.vacuousReason}`);
    }
    if (result.firstFailingStage !== undefined) {
      const stage = result.firstFailingStage;
      notes.push(
        stage.stage === null
          ? `  ${label}: every stage passes alone, so the error is in how they are composed`
          : `  ${label}: the first stage that fails is ${colors.bold(stage.stage)}` +
              (stage.input === undefined
                ? ''
                : ` (input ${stage.input}${stage.worst ? `, element ${formatShape(stage.worst.inputIndex)}` : ''})`),
      );
    }
    if (result.status === 'fail' || result.status === 'vacuous') {
      for (const warning of result.warnings) if (!warning.includes('VACUOUS')) notes.push(colors.dim(`  ${label}: ${warning}`));
    }
  }
  return notes.join('\n');
}

/**
 * `input b, element [1, 2] (output element [0, 2]): analytic 0.5, numeric 1 (max abs error …)`.
 *
 * @example
 * failureText(result.inputs[1])
 */
export function failureText(input: InputResult): string {
  const error = `max abs error ${formatError(input.maxAbsError)}, max rel error ${formatError(input.maxRelError)}`;
  if (input.worst !== null) {
    const { inputIndex, outputIndex, analytic, numeric } = input.worst;
    return (
      `input ${input.name}, element ${formatShape(inputIndex)} (output element ${formatShape(outputIndex)}): ` +
      `analytic ${formatValue(analytic)}, numeric ${formatValue(numeric)} (${error})`
    );
  }
  if (input.directional !== undefined) {
    return `input ${input.name}: vᵀJu analytic ${formatValue(input.directional.analytic)}, numeric ${formatValue(input.directional.numeric)}`;
  }
  return `input ${input.name}: not compared (${error})`;
}

/**
 * Counts of each status.
 *
 * @example
 * countStatuses(results).vacuous // 1
 */
export function countStatuses(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, vacuous: 0, skip: 0, error: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/**
 * True when the run is a success: nothing failed, errored or was vacuous.
 *
 * @example
 * process.exitCode = allPassed(results) ? 0 : 1;
 */
export function allPassed(results: readonly CheckResult[]): boolean {
  const counts = countStatuses(results);
  return counts.fail === 0 && counts.error === 0 && counts.vacuous === 0;
}

/**
 * `attograd check: PASS — 48 checks: 48 passed (2.31 s, 2 workers)`.
 *
 * @example
 * formatSummary(report, pc.createColors(false))
 */
export function formatSummary(report: RunReport, colors: Colors): string {
  const counts = countStatuses(report.results);
  const parts = [`${counts.pass} passed`, `${counts.fail} failed`];
  if (counts.vacuous > 0) parts.push(`${counts.vacuous} vacuous (not passes)`);
  if (counts.error > 0) parts.push(`${counts.error} could not run`);
  if (counts.skip > 0) parts.push(`${counts.skip} skipped`);
  const ok = allPassed(report.results);
  const verdict = ok ? colors.green(colors.bold('PASS')) : colors.red(colors.bold('FAIL'));
  const checks = `${report.results.length} ${report.results.length === 1 ? 'check' : 'checks'}`;
  const workers = `${report.settings.workers} ${report.settings.workers === 1 ? 'worker' : 'workers'}`;
  return `attograd check: ${verdict} — ${checks}: ${parts.join(', ')} (${formatSeconds(report.seconds)}, ${workers})`;
}
