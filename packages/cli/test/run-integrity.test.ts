import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attograd, check, findAll, packageDir, parseXml } from './check-helpers';

/**
 * `attograd check` never reports success for a run that did not happen: a module that never
 * finishes loading, a check that never returns, an output file that cannot be written, and
 * names that would rewrite the terminal or break a report.
 */

const scratch = mkdtempSync(join(tmpdir(), 'attograd-integrity-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** C0 and C1 control characters (tab and newline allowed, as layout), DEL, ESC. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('a run that does not complete never exits 0', () => {
  it('a module whose top-level await never settles: exit 3 and a message saying the run did not finish', async () => {
    const run = await check('test/fixtures/hang-top-level-await.mjs');
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/did not finish/);
    expect(run.stderr).toContain('test/fixtures/hang-top-level-await.mjs');
  });

  it('a check whose fn loops forever: --timeout ends the run, naming the check, with exit 3', async () => {
    const run = await check('test/fixtures/hang-loop-forever.mjs', '--timeout', '1');
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/'spin forever' did not finish within 1 s \(--timeout 1\)/);
    expect(run.stdout).toBe('');
  });

  it('a module that awaits forever (an interval keeps it alive): --timeout ends the run with exit 3', async () => {
    const run = await check('test/fixtures/hang-await-forever.mjs', '--timeout', '1');
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/loading test\/fixtures\/hang-await-forever\.mjs did not finish within 1 s/);
  });

  it('--timeout is validated, and --help shows its default', async () => {
    const bad = await check('exp', '--timeout', 'soon');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--timeout must be a number ≥ 0, got 'soon'");
    const help = await check('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--timeout <seconds>[\s\S]*default 300/);
    expect(help.stdout).toMatch(/3 .*did not complete/);
  });
});

describe('output files are checked before the run: exit 2, one line naming the path', () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'not a directory');
  const directory = join(scratch, 'a-directory');
  mkdirSync(directory);

  it.each([
    ['check', '--html', directory, /is a directory/],
    ['check', '--junit', directory, /is a directory/],
    ['check', '--html', join(file, 'report.html'), /not a directory/],
    ['check', '--junit', join(scratch, 'missing', 'report.xml'), /does not exist/],
    ['explain', '--html', directory, /is a directory/],
    ['explain', '--html', join(file, 'sub', 'report.html'), /not a directory/],
  ])('%s %s %s', async (command, flag, path, why) => {
    const run = await attograd([command, ...(command === 'check' ? ['exp'] : ['softmax']), flag, path]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe(''); // nothing ran
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${flag} ${path}`);
    expect(lines[0]).toMatch(why);
  });

  // Root may write a read-only file: as root, the command runs as user nobody (setpriv), so the case is real.
  const root = process.getuid?.() === 0;
  const setpriv = existsSync('/usr/bin/setpriv');
  it.skipIf(root && !setpriv)('a read-only file', () => {
    chmodSync(scratch, 0o755);
    const readOnly = join(scratch, 'read-only.html');
    writeFileSync(readOnly, 'keep me');
    chmodSync(readOnly, 0o444);
    const command = [process.execPath, join(packageDir, 'dist/cli.js'), 'check', 'exp', '--html', readOnly];
    const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
    const run = root
      ? spawnSync('/usr/bin/setpriv', [...asNobody, ...command], { cwd: packageDir, encoding: 'utf8' })
      : spawnSync(command[0], command.slice(1), { cwd: packageDir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toBe(`attograd: check: --html ${readOnly}: cannot write there: permission denied`);
    expect(readFileSync(readOnly, 'utf8')).toBe('keep me');
  });
});

describe('--workers and names', () => {
  it('caps --workers at the number of cores and says so', async () => {
    const cores = availableParallelism();
    const run = await check('exp', '--workers', String(cores + 7), '--json');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`--workers ${cores + 7} is more than the ${cores} cores here; using ${cores}`);
  });

  it('strips escape and control characters from names in the table, JSON, JUnit and HTML', async () => {
    const junit = join(scratch, 'names.xml');
    const html = join(scratch, 'names.html');
    const fixture = 'test/fixtures/check-hostile-names.mjs';
    const table = await check(fixture, '--junit', junit, '--html', html);
    expect(table.status).toBe(0);
    expect(table.stdout).not.toMatch(CONTROL);
    expect(table.stdout).toContain('evilredname');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).not.toMatch(CONTROL);
    expect(findAll(parseXml(xml), 'testcase').map((c) => c.attributes.name)).toEqual(['evilredname']);
    expect(readFileSync(html, 'utf8')).not.toMatch(CONTROL);
    const json = await check(fixture, '--json');
    const report = JSON.parse(json.stdout) as { checks: { name: string; inputs: { name: string }[] }[] };
    expect(report.checks[0].name).toBe('evilredname');
    expect(report.checks[0].inputs.map((i) => i.name)).toEqual(['xbold', 'ydel']);
  });
});
