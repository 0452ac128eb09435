import { formatShape } from '@attograd/tensor';
import { checkLabel, countStatuses, failureText, allPassed } from './table';
import type { CheckResult, RunReport } from './types';

/**
 * Machine-readable reports: JSON on stdout (`--json`) and JUnit XML (`--junit FILE`) for CI.
 */

/**
 * The JSON report: `{ tool, version, ok, settings, summary, checks }`, one entry of `checks` per
 * check run. Non-finite numbers become null (as JSON has no Infinity or NaN).
 *
 * @example
 * JSON.parse(toJson(report)).checks.map((c) => c.name)
 */
export function toJson(report: RunReport): string {
  const counts = countStatuses(report.results);
  const checks = report.results.map((result) => ({
    ...result,
    inputs: result.inputs.map(({ errorMatrix: _, ...input }) => input),
  }));
  const { json: _json, ...settings } = report.settings;
  const summary = {
    checks: report.results.length,
    passed: counts.pass,
    failed: counts.fail,
    vacuous: counts.vacuous,
    errors: counts.error,
    skipped: counts.skip,
    seconds: report.seconds,
  };
  return JSON.stringify({ tool: 'attograd check', version: '0.1.0', ok: allPassed(report.results), settings, summary, checks }, null, 2);
}

/**
 * Escapes text for XML attribute values and text.
 *
 * @example
 * escapeXml('a < b') // 'a &lt; b'
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** The details of a result, as the body of a JUnit element. */
function details(result: CheckResult): string {
  const lines = result.inputs.map(
    (input) => `${input.status.toUpperCase()} input ${input.name} ${formatShape(input.shape)}: ${failureText(input)}`,
  );
  if (result.firstFailingStage !== undefined) {
    const stage = result.firstFailingStage.stage;
    lines.push(stage === null ? 'every stage passes alone: the error is in how they are composed' : `first failing stage: ${stage}`);
  }
  return [...lines, ...result.warnings].join('\n');
}

function testcase(result: CheckResult): string {
  const head = `<testcase classname="attograd.${result.kind}" name="${escapeXml(checkLabel(result))}" time="${result.seconds.toFixed(4)}"`;
  const body = escapeXml(details(result));
  const failing = result.inputs.find((input) => input.status === 'fail');
  switch (result.status) {
    case 'pass':
      return `${head}/>`;
    case 'skip':
      return `${head}><skipped message="${escapeXml(result.message ?? 'nothing to check')}"/></testcase>`;
    case 'error':
      return `${head}><error message="${escapeXml(result.message ?? 'the check could not run')}">${body}</error></testcase>`;
    case 'vacuous': {
      const vacuous = result.inputs.find((input) => input.status === 'vacuous');
      const message = `vacuous (not a pass): input ${vacuous?.name}: ${vacuous?.vacuousReason}`;
      return `${head}><failure type="vacuous" message="${escapeXml(message)}">${body}</failure></testcase>`;
    }
    default: {
      const message = failing === undefined ? (result.warnings[0] ?? 'failed') : failureText(failing);
      return `${head}><failure type="gradient" message="${escapeXml(message)}">${body}</failure></testcase>`;
    }
  }
}

/**
 * JUnit XML: one `<testsuite>` per kind (op, layer, stage, composite, user), one `<testcase>` per check;
 * a failure or a vacuous check is a `<failure>`, a check that could not run an `<error>`, a
 * second-order check with nothing to check `<skipped>`.
 *
 * @example
 * writeFileSync('attograd.xml', toJunit(report));
 */
export function toJunit(report: RunReport): string {
  const kinds = [...new Set(report.results.map((r) => r.kind))];
  const suites = kinds.map((kind) => {
    const results = report.results.filter((r) => r.kind === kind);
    return `  <testsuite ${suiteAttributes(`attograd check: ${kind}`, results)}>\n${results.map((r) => `    ${testcase(r)}`).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${suiteAttributes('attograd check', report.results, report.seconds)}>\n${suites.join('\n')}\n</testsuites>\n`;
}

function suiteAttributes(name: string, results: readonly CheckResult[], seconds?: number): string {
  const counts = countStatuses(results);
  const time = seconds ?? results.reduce((sum, r) => sum + r.seconds, 0);
  return (
    `name="${escapeXml(name)}" tests="${results.length}" failures="${counts.fail + counts.vacuous}" ` +
    `errors="${counts.error}" skipped="${counts.skip}" time="${time.toFixed(4)}"`
  );
}
