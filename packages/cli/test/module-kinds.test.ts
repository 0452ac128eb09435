import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attograd, packageDir } from './check-helpers';

/**
 * `attograd check ./module` in any project: the six extensions (.js, .mjs, .cjs, .ts, .mts, .cts)
 * in a project with `"type": "module"` and in one without (npm's default, CommonJS), each module
 * importing or requiring `attograd` from the workspace build as a user's project would.
 */

const scratch = mkdtempSync(join(tmpdir(), 'attograd-projects-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CHECK_BODY = `{
  name: 'cube',
  fn: (x) => mul(mul(x, x), x),
  inputs: () => [randn([2, 3], { rng: rng(4), requiresGrad: true })],
}`;
const TS_CHECK_BODY = `{
  name: 'cube',
  fn: (x: Tensor): Tensor => mul(mul(x, x), x),
  inputs: (): Tensor[] => [randn([2, 3], { rng: rng(4), requiresGrad: true })],
}`;

const esm = `import { mul, randn, rng } from 'attograd';\nexport default ${CHECK_BODY};\n`;
const cjs = `const { mul, randn, rng } = require('attograd');\nmodule.exports = ${CHECK_BODY};\n`;
const typescript = `import { mul, randn, rng, type Tensor } from 'attograd';\nexport default ${TS_CHECK_BODY};\n`;

/** The source of `m<extension>` in a project of `type`: ESM or CommonJS syntax as that file is read. */
function source(extension: string, type: 'module' | 'commonjs'): string {
  if (extension === '.mjs') return esm;
  if (extension === '.cjs') return cjs;
  if (extension === '.js') return type === 'module' ? esm : cjs;
  return typescript; // tsx compiles import/export to whichever module system the file belongs to
}

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

function project(type: 'module' | 'commonjs'): string {
  const dir = join(scratch, type);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  // The user's project installs the library, `attograd` (packages/attograd), beside the command.
  symlinkSync(join(packageDir, '..', 'attograd'), join(dir, 'node_modules', 'attograd'), 'dir');
  const manifest = type === 'module' ? { name: 'user-project', private: true, type: 'module' } : { name: 'user-project', private: true };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  for (const extension of EXTENSIONS) writeFileSync(join(dir, `m${extension}`), source(extension, type));
  return dir;
}

describe.each(['module', 'commonjs'] as const)('a project with type %s', (type) => {
  const dir = project(type);
  it.each(EXTENSIONS)('attograd check ./m%s passes', async (extension) => {
    const run = await attograd(['check', `./m${extension}`, '--json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { checks: { name: string; status: string }[] };
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([['cube', 'pass']]);
  });
});

describe('in a CommonJS project, the check really differentiates what the module built', () => {
  const dir = join(scratch, 'commonjs');

  it('a .cjs custom op with a wrong gradient fails (its tensors come from the CommonJS build)', async () => {
    // d/dx x³ is 3x²; this rule says 2x², so every element is off by x².
    const broken = `const { defineOp, mul, randn, rng, Tensor } = require('attograd');
const cube = defineOp({
  name: 'cube',
  inputNames: ['x'],
  forward: ([x]) => new Tensor(x.data.map((v) => v * v * v), x.shape),
  backward: (dOut, { inputs: [x] }) => [mul(dOut, mul(mul(x, x), 2))],
});
module.exports = { name: 'wrong cube', fn: (x) => cube([x], {}), inputs: () => [randn([2, 2], { rng: rng(3), requiresGrad: true })] };
`;
    writeFileSync(join(dir, 'broken.cjs'), broken);
    const run = await attograd(['check', './broken.cjs', '--json'], { cwd: dir });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { checks: { status: string; inputs: { name: string; status: string }[] }[] };
    expect(report.checks[0].status).toBe('fail');
    expect(report.checks[0].inputs.map((i) => [i.name, i.status])).toEqual([['input0', 'fail']]);
  });

  it('a .ts module is loaded again in worker threads (--workers 2)', async () => {
    const run = await attograd(['check', './m.ts', '--workers', '2', '--json'], { cwd: dir, env: { ATTOGRAD_PARALLEL_MIN_SECONDS: '0' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { checks: { status: string; workers: number }[] };
    expect(report.checks.map((c) => [c.status, c.workers])).toEqual([['pass', 2]]);
  });
});
