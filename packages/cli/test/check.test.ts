import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composites, stages } from '@attograd/attention';
import * as ops from '@attograd/ops';
import { randn, rng } from '@attograd/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { check, checkWithEnv, findAll, parseXml } from './check-helpers';

/** Spread every full-mode check over the threads, however small (the default waits for ~0.5 s of work). */
const ALWAYS_SPREAD = { ATTOGRAD_PARALLEL_MIN_SECONDS: '0' };

/** End-to-end tests of `attograd check`: they spawn the built CLI (dist/cli.js). */

const scratch = mkdtempSync(join(tmpdir(), 'attograd-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface JsonCheck {
  name: string;
  kind: string;
  order: number;
  status: string;
  workers: number;
  gradientOf?: string;
  firstFailingStage?: { stage: string | null; input?: string };
  sweep?: { eps: number; maxAbsError: number }[];
  inputs: {
    name: string;
    status: string;
    maxAbsError: number;
    worst: { inputIndex: number[]; outputIndex: number[]; analytic: number; numeric: number } | null;
    vacuousReason?: string;
  }[];
}

interface JsonReport {
  ok: boolean;
  summary: { checks: number; passed: number; failed: number; vacuous: number; errors: number; skipped: number };
  checks: JsonCheck[];
}

/** Every differentiable export (those returning constants, such as argmax, have nothing to check). */
const exportedOps = Object.entries(ops)
  .filter(([name, value]) => typeof value === 'function' && !(name in ops.constantOps))
  .map(([name]) => name)
  .sort();

describe('attograd check all', () => {
  it('passes every op, stage and composite and exits 0', async () => {
    const run = await check('all');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/attograd check: PASS — \d+ checks: \d+ passed, 0 failed/);
    expect(run.stdout).not.toMatch(/FAIL|VACUOUS|ERROR/);
  });

  it('--json lists every op, every stage alone and the three composites, in that order', async () => {
    const run = await check('--json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.ok).toBe(true);
    const names = (kind: string): string[] => report.checks.filter((c) => c.kind === kind).map((c) => c.name);
    expect([...new Set(names('op').map((name) => name.split('/')[0]))].sort()).toEqual(exportedOps);
    expect(names('stage')).toEqual(stages.map((stage) => stage.key));
    expect(names('composite')).toEqual(['selfAttention', 'multiHeadAttention', 'attentionBlock']);
    expect(names('composite')).toEqual(composites.map((composite) => composite.key));
    const kinds = report.checks.map((c) => c.kind);
    expect(kinds.indexOf('stage')).toBeGreaterThan(kinds.lastIndexOf('op'));
    expect(kinds.indexOf('composite')).toBeGreaterThan(kinds.lastIndexOf('stage'));
    expect(report.checks.every((c) => c.status === 'pass' && c.inputs.every((i) => i.status === 'pass'))).toBe(true);
    expect(report.summary).toMatchObject({ checks: report.checks.length, passed: report.checks.length, failed: 0, vacuous: 0, errors: 0 });
  });

  it('--mode fast passes too, with batched inputs and another seed', async () => {
    const run = await check('--mode', 'fast', '--batch', '2', '--seed', '5', '--json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.checks.find((c) => c.name === 'selfAttention')?.inputs[0]).toMatchObject({ name: 'x', status: 'pass' });
  });
});

describe('a user module with a wrong backward', () => {
  const fixture = 'test/fixtures/check-forgotten-transpose.ts';

  it('loads the .ts module, fails with exit 1 and names the input and the element', async () => {
    const run = await check(fixture);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /✗ brokenMatmul: input a, element \[\d, \d\] \(output element \[\d, \d\]\): analytic -?[\d.]+, numeric -?[\d.]+/,
    );
    expect(run.stdout).toMatch(/attograd check: FAIL — 1 check: 0 passed, 1 failed/);
    expect(run.stdout).not.toMatch(/input b, element/);
  });

  it('reports the element whose analytic value is B transposed and whose numeric value is B', async () => {
    const run = await check(fixture, '--json');
    expect(run.status).toBe(1);
    const [result] = (JSON.parse(run.stdout) as JsonReport).checks;
    const [a, b] = result.inputs;
    expect([a.status, b.status]).toEqual(['fail', 'pass']);
    // C = A·B: ∂C[r, k]/∂A[i, j] = [r = i]·B[j, k]; the rule dA = dC·B gives [r = i]·B[k, j].
    const random = rng(7);
    randn([3, 3], { rng: random });
    const matrixB = randn([3, 3], { rng: random }).data;
    const {
      inputIndex: [i, j],
      outputIndex: [r, k],
      analytic,
      numeric,
    } = a.worst!;
    const same = r === i ? 1 : 0;
    expect(numeric).toBeCloseTo(same * matrixB[j * 3 + k], 7);
    expect(analytic).toBeCloseTo(same * matrixB[k * 3 + j], 10);
    expect(Math.abs(analytic - numeric)).toBeGreaterThan(1e-3);
  });

  it('--html draws the analytic − numeric Jacobian of the failing input', async () => {
    const file = join(scratch, 'broken.html');
    const run = await check(fixture, '--html', file);
    expect(run.status).toBe(1);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('data-status="fail"');
    expect(html).toMatch(/<svg class="heatmap"[^>]*data-rows="9" data-cols="9"/);
    expect(html).not.toMatch(/<script|(src|href)="https?:/); // self-contained: nothing fetched
  });
});

describe('other user modules', () => {
  it('flags an input fn ignores as vacuous, not as a pass, and exits 1', async () => {
    const run = await check('test/fixtures/check-vacuous.mjs', '--json');
    expect(run.status).toBe(1);
    const [result] = (JSON.parse(run.stdout) as JsonReport).checks;
    expect(result.status).toBe('vacuous');
    expect(result.inputs.map((i) => [i.name, i.status])).toEqual([
      ['x', 'pass'],
      ['y', 'vacuous'],
    ]);
    const table = await check('test/fixtures/check-vacuous.mjs');
    expect(table.stdout).toMatch(/ignores y: input y is VACUOUS \(not a pass\)/);
    expect(table.stdout).toMatch(/0 passed, 0 failed, 1 vacuous/);
  });

  it('passes a correct .mjs module with a custom op, and checks its second order', async () => {
    const run = await check('test/fixtures/check-correct.mjs', '--second-order', '--json');
    expect(run.status).toBe(0);
    const checks = (JSON.parse(run.stdout) as JsonReport).checks;
    expect(checks.map((c) => [c.name, c.order, c.status])).toEqual([
      ['softplus', 1, 'pass'],
      ['softplus', 2, 'pass'],
      ['softmax of exp', 1, 'pass'],
      ['softmax of exp', 2, 'pass'],
    ]);
  });

  it('names the first stage of a failing composite that fails on its own', async () => {
    const run = await check('test/fixtures/check-composite.ts', '--json');
    expect(run.status).toBe(1);
    const checks = (JSON.parse(run.stdout) as JsonReport).checks;
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['softmax(double(exp(x)))', 'fail'],
      ['exp', 'pass'],
      ['double', 'fail'],
    ]);
    expect(checks[0].firstFailingStage).toMatchObject({ stage: 'double', input: 'x' });
    const table = await check('test/fixtures/check-composite.ts');
    expect(table.stdout).toContain('the first stage that fails is double');
  });

  it('refuses, with worker threads, inputs() that differ from one call to the next', async () => {
    const run = await checkWithEnv(ALWAYS_SPREAD, 'test/fixtures/check-unseeded.mjs', '--workers', '2', '--json');
    expect(run.status).toBe(1);
    const [result] = (JSON.parse(run.stdout) as JsonReport & { checks: { message?: string }[] }).checks;
    expect(result).toMatchObject({ status: 'error' });
    expect((result as { message?: string }).message).toMatch(/inputs differ between threads .*not deterministic/);
  });
});

describe('usage errors exit 2 with a message naming the flag or the file', () => {
  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['test/fixtures/no-such-module.ts'], 'test/fixtures/no-such-module.ts: no such file'],
    [['--eps', 'abc'], "--eps must be a positive number, got 'abc'"],
    [['--eps', '-1e-6'], "--eps must be a positive number, got '-1e-6'"],
    [['--mode', 'bogus'], "--mode must be full or fast, got 'bogus'"],
    [['--stencil', 'forward'], "--stencil must be central or five-point, got 'forward'"],
    [['--workers', '0'], "--workers must be a positive integer, got '0'"],
    [['--seq', '2.5'], "--seq must be a positive integer, got '2.5'"],
    [['--heads', '3'], '--heads 3 must divide --dmodel 8'],
    [['--junit', '/no/such/dir/report.xml'], '--junit /no/such/dir/report.xml: cannot write there'],
    [['nonsense'], "unknown target 'nonsense'"],
    [
      ['test/fixtures/check-no-fn.mjs'],
      "test/fixtures/check-no-fn.mjs: the default export ('missing fn'): fn must be a function, got undefined",
    ],
    [['package.json'], "package.json: not a module attograd can load (expected .js, .mjs, .cjs, .ts, .mts or .cts, got '.json')"],
  ])('check %j', async (args, message) => {
    const run = await check(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

describe('--junit', () => {
  it('writes well-formed JUnit XML: a testcase per check, a failure per failing or vacuous check', async () => {
    const file = join(scratch, 'report.xml');
    const run = await check(
      'softmax',
      'test/fixtures/check-forgotten-transpose.ts',
      'test/fixtures/check-vacuous.mjs',
      '--junit',
      file,
      '--json',
    );
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const root = parseXml(readFileSync(file, 'utf8'));
    expect(root.name).toBe('testsuites');
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual(report.checks.map((c) => c.name));
    expect(root.attributes).toMatchObject({ tests: String(report.checks.length), failures: '2', errors: '0' });
    const failures = findAll(root, 'failure');
    expect(failures.map((f) => f.attributes.type)).toEqual(['gradient', 'vacuous']);
    expect(failures[0].attributes.message).toMatch(/^input a, element \[\d, \d\]/);
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['attograd check: op', 'attograd check: stage', 'attograd check: user']);
    expect(suites.reduce((sum, s) => sum + Number(s.attributes.tests), 0)).toBe(cases.length);
  });

  it('the XML parser used here rejects XML that is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(/does not close/);
    expect(() => parseXml('<a x=1/>')).toThrow(/quoted/);
    expect(() => parseXml('<a>1 < 2</a>')).toThrow(/not well-formed/);
    expect(() => parseXml('<a k="<"/>')).toThrow(/raw </);
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/entity/);
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
    expect(parseXml('<?xml version="1.0"?><a k="&lt;"><b/>t</a>').attributes.k).toBe('<');
  });
});

describe('options that change what is checked', () => {
  it('--workers 2 gives the same numbers as --workers 1, with the columns computed in two threads', async () => {
    const args = ['selfAttention', 'multiHeadAttention', '--seq', '6', '--dmodel', '12', '--batch', '2', '--json'];
    const [one, two] = await Promise.all([
      checkWithEnv(ALWAYS_SPREAD, ...args, '--workers', '1'),
      checkWithEnv(ALWAYS_SPREAD, ...args, '--workers', '2'),
    ]);
    expect([one.status, two.status]).toEqual([0, 0]);
    const singles = (JSON.parse(one.stdout) as JsonReport).checks;
    const parallels = (JSON.parse(two.stdout) as JsonReport).checks;
    expect(singles.map((c) => c.workers)).toEqual([1, 1]);
    expect(parallels.map((c) => c.workers)).toEqual([2, 2]);
    parallels.forEach((parallel, i) => expect(parallel.inputs).toEqual(singles[i].inputs));
    expect(parallels.map((c) => c.inputs.map((i) => i.name))).toEqual([
      ['x', 'wq', 'wk', 'wv'],
      ['x', 'wq', 'wk', 'wv', 'wo'],
    ]);
    expect(parallels.every((c) => c.status === 'pass')).toBe(true);
  }, 60_000);

  it('a bad ATTOGRAD_PARALLEL_MIN_SECONDS is a usage error', async () => {
    const run = await checkWithEnv({ ATTOGRAD_PARALLEL_MIN_SECONDS: 'soon' }, 'exp');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("ATTOGRAD_PARALLEL_MIN_SECONDS must be a number ≥ 0, got 'soon'");
  });

  it('--second-order checks each gradient; a linear op has nothing to check and is skipped', async () => {
    const run = await check('op:softmax', 'add', 'mul', '--second-order', '--json');
    expect(run.status).toBe(0);
    const checks = (JSON.parse(run.stdout) as JsonReport).checks.filter((c) => c.order === 2);
    const find = (name: string, gradientOf: string): JsonCheck | undefined =>
      checks.find((c) => c.name === name && c.gradientOf === gradientOf);
    expect(find('softmax', 'x')?.status).toBe('pass');
    expect(find('add', 'a')?.status).toBe('skip');
    // mul: ∂(dA)/∂A = 0 and ∂(dA)/∂B = c (the cotangent), so one input is identically zero, one is checked.
    expect(find('mul', 'a')?.status).toBe('pass');
    expect(find('mul', 'a')?.inputs.map((i) => i.status)).toEqual(['zero', 'pass']);
  });

  it('--sweep prints the step-size table and returns one row per decade, best in the middle', async () => {
    const run = await check('exp', 'stage:softmax', '--sweep', '--json');
    expect(run.status).toBe(0);
    for (const result of (JSON.parse(run.stdout) as JsonReport).checks) {
      const sweep = result.sweep ?? [];
      expect(sweep.map((row) => row.eps)).toEqual([1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]);
      const errors = sweep.map((row) => row.maxAbsError);
      const best = errors.indexOf(Math.min(...errors));
      expect(best).toBeGreaterThan(0);
      expect(best).toBeLessThan(errors.length - 1);
    }
    const table = await check('exp', '--sweep');
    expect(table.stdout).toMatch(/step-size sweep\nmax \|a − n\| at step h\s+1\.00e-1/);
  });

  it('--html writes a self-contained page; --junit and --html go where they are told', async () => {
    const html = join(scratch, 'all.html');
    const run = await check('scores', '--html', html, '--sweep');
    expect(run.status).toBe(0);
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<section id="checks"');
    expect(page).toContain('<section id="sweep"');
    expect(run.stderr).toContain(`HTML report written to ${html}`);
  });
});
