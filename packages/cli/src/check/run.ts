import { checkedIndices as checkedOf, stepSizeSweep, type GradcheckReport, type InputReport } from '@attograd/gradcheck';
import { Tensor } from '@attograd/tensor';
import { printableLine } from '../printable';
import type { ColumnPool } from './parallel';
import { caseToCheck } from './rebuild';
import { runGradcheck } from './schedule';
import type { CheckCase, CheckResult, CheckSettings, CheckSpec, CheckStatus, Derivative, InputResult, StageFailure } from './types';

/** The checked inputs of a case (those with requiresGrad); throws when there are none. */
function checkedIndices(c: CheckCase): number[] {
  return checkedOf('attograd check', c.inputs);
}

/**
 * Running checks: each spec at order 1 (and with --second-order, once per checked input at
 * order 2), turning gradcheck reports into results; composites that fail are followed by their
 * stages in order; --sweep adds the step-size sweep.
 */

/**
 * What the runner tells the progress display.
 *
 * @example
 * const hooks: RunHooks = { onStart: (label) => console.error(label), onFraction: () => {}, onDone: (r) => results.push(r) };
 */
export interface RunHooks {
  /** A check starts (the stages of a failing composite included). */
  onStart(label: string): void;
  /** Share of the current check done, 0…1. */
  onFraction(fraction: number): void;
  onDone(result: CheckResult): void;
}

/**
 * Runs checks one after another, remembering results so a composite's stages are not run twice.
 *
 * @example
 * const runner = new CheckRunner(settings, null, hooks);
 * for (const spec of specs) await runner.run(spec);
 */
export class CheckRunner {
  private readonly done = new Map<string, CheckResult[]>();

  constructor(
    private readonly settings: CheckSettings,
    private readonly pool: ColumnPool | null,
    private readonly hooks: RunHooks,
  ) {}

  /** Every result of one spec: order 1, then order 2 per checked input when asked. */
  async run(spec: CheckSpec): Promise<CheckResult[]> {
    const key = `${spec.kind}:${spec.name}:${JSON.stringify(spec.source)}`;
    const known = this.done.get(key);
    if (known !== undefined) return known;
    const results = [await this.runOne(spec, { order: 1 })];
    if (this.settings.secondOrder) results.push(...(await this.secondOrder(spec)));
    for (const result of results) {
      if (spec.stages !== undefined && (result.status === 'fail' || result.status === 'error')) {
        result.firstFailingStage = await this.firstFailingStage(spec.stages, result.order);
      }
    }
    this.done.set(key, results);
    return results;
  }

  private async secondOrder(spec: CheckSpec): Promise<CheckResult[]> {
    let count: number;
    try {
      count = checkedIndices(spec.build()).length;
    } catch {
      return []; // order 1 already reported the error
    }
    const results: CheckResult[] = [];
    for (let gradient = 0; gradient < count; gradient++) {
      results.push(await this.runOne(spec, { order: 2, gradient, seed: this.settings.seed }));
    }
    return results;
  }

  /** The first stage whose own check (same order) fails or cannot run. */
  private async firstFailingStage(stages: readonly CheckSpec[], order: 1 | 2): Promise<StageFailure> {
    for (const stage of stages) {
      const failing = (await this.run(stage)).find((r) => r.order === order && (r.status === 'fail' || r.status === 'error'));
      if (failing === undefined) continue;
      const input = failing.inputs.find((i) => i.status === 'fail');
      return { stage: stage.name, status: failing.status, input: input?.name, worst: input?.worst ?? null };
    }
    return { stage: null, status: null };
  }

  private async runOne(spec: CheckSpec, derivative: Derivative): Promise<CheckResult> {
    const label = derivative.order === 1 ? spec.name : `${spec.name} (2nd order)`;
    this.hooks.onStart(label);
    const started = performance.now();
    let c: CheckCase | undefined;
    let result: CheckResult;
    try {
      c = caseToCheck(spec.build(), derivative);
      const origin = { source: spec.source, derivative };
      const { report, workers } = await runGradcheck(c, origin, this.settings, this.pool, (f) => this.hooks.onFraction(f));
      result = resultOf(spec, c, derivative, report, workers);
      if (this.settings.html !== undefined) attachErrorMatrices(result, report);
      if (this.settings.sweep && derivative.order === 1) result.sweep = sweepOf(c, this.settings, result);
    } catch (error) {
      result = errorResult(spec, c, derivative, error);
    }
    result.seconds = (performance.now() - started) / 1000;
    this.hooks.onDone(result);
    return result;
  }
}

function statusOfInput(report: InputReport, order: 1 | 2): InputResult['status'] {
  if (!report.ok) return 'fail';
  if (!report.vacuous) return 'pass';
  // A vacuous input that passes has both derivatives ~0: at order 2, a second derivative that is
  // identically zero (the input of a linear op), which is a fact, not a weakness of the check.
  return order === 2 ? 'zero' : 'vacuous';
}

/**
 * The check's status: fail when any input fails (or gradcheck found the problem unsound); at
 * order 1 vacuous when any input is; at order 2 skip when every input is `zero`.
 */
function checkStatus(report: GradcheckReport, inputs: readonly InputResult[], order: 1 | 2): CheckStatus {
  if (inputs.some((i) => i.status === 'fail')) return inputs.every((i) => Number.isNaN(i.maxAbsError)) ? 'error' : 'fail';
  if (order === 2 && inputs.every((i) => i.status === 'zero')) return 'skip';
  if (inputs.some((i) => i.status === 'vacuous')) return 'vacuous';
  return report.ok ? 'pass' : 'fail';
}

function resultOf(spec: CheckSpec, c: CheckCase, derivative: Derivative, report: GradcheckReport, workers: number): CheckResult {
  const order = derivative.order;
  const inputs = report.inputs.map((r): InputResult => {
    const result: InputResult = {
      index: r.index,
      name: c.inputNames[r.index],
      shape: r.shape,
      status: statusOfInput(r, order),
      maxAbsError: r.maxAbsError,
      maxRelError: r.maxRelError,
      normRelError: r.normRelError,
      worst: r.worst,
    };
    if (r.directional !== undefined) result.directional = r.directional;
    if (r.vacuousReason !== undefined) result.vacuousReason = r.vacuousReason;
    return result;
  });
  const status = checkStatus(report, inputs, order);
  const result: CheckResult = {
    name: spec.name,
    kind: spec.kind,
    order,
    status,
    mode: report.mode,
    seconds: report.seconds,
    outputShape: report.outputShape,
    inputs,
    // Warnings and messages may quote the user's errors: one printable line each.
    warnings: report.warnings.map(printableLine),
    workers,
  };
  if (derivative.order === 2) result.gradientOf = c.inputNames[checkedIndices(c)[derivative.gradient]];
  if (status === 'skip') result.message = 'the gradient does not depend on the inputs: every second derivative is ~0 by both methods';
  if (status === 'error') result.message = result.warnings.find((w) => w.includes('threw')) ?? result.warnings[0];
  return result;
}

function errorResult(spec: CheckSpec, c: CheckCase | undefined, derivative: Derivative, error: unknown): CheckResult {
  const result: CheckResult = {
    name: spec.name,
    kind: spec.kind,
    order: derivative.order,
    status: 'error',
    mode: 'full',
    seconds: 0,
    outputShape: [],
    inputs: [],
    warnings: [],
    workers: 1,
    message: printableLine(error instanceof Error ? error.message : String(error)),
  };
  if (derivative.order === 2 && c !== undefined) result.gradientOf = c.inputNames[checkedIndices(c)[derivative.gradient]];
  return result;
}

/** For the HTML report: analytic − numeric Jacobian of every failing input, from the blocks gradcheck compared. */
function attachErrorMatrices(result: CheckResult, report: GradcheckReport): void {
  for (const input of result.inputs) {
    if (input.status !== 'fail' || input.worst === null) continue;
    const blocks = report.jacobians?.find((j) => j.index === input.index);
    if (blocks === undefined) continue;
    const difference = blocks.analytic.data.map((a, k) => a - blocks.numeric.data[k]);
    input.errorMatrix = new Tensor(difference, blocks.analytic.shape);
  }
}

function sweepOf(c: CheckCase, settings: CheckSettings, result: CheckResult): CheckResult['sweep'] {
  try {
    return stepSizeSweep(c.fn, c.inputs, { seed: settings.seed, stencil: settings.stencil });
  } catch (error) {
    result.warnings.push(`no step-size sweep: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
