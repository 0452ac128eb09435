import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { causalMask, stageByKey } from '@attograd/attention';
import * as explorer from '@attograd/explorer';
import { explorerHtml, typesetMath, typesetMixed } from '@attograd/explorer';
import { derivations } from '@attograd/ops';
import { afterAll, describe, expect, it } from 'vitest';
import * as example from '../src/explain/example';
import * as report from '../src/report';
import { run } from './run-main';

const HANGUL = /[\uac00-\ud7a3]/;
const dir = mkdtempSync(join(tmpdir(), 'attograd-explore-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('attograd explore', () => {
  it('--out DIR writes the self-contained page as DIR/index.html', async () => {
    const { status, stdout } = await run(['explore', '--out', join(dir, 'site')]);
    expect(status).toBe(0);
    const file = join(dir, 'site', 'index.html');
    expect(stdout.trim()).toBe(file);
    const html = readFileSync(file, 'utf8');
    expect(html).toBe(explorerHtml());
    // Nothing is loaded from elsewhere: no src/href to another file, and a CSP that forbids it.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(html).toContain("default-src 'none'");
  });

  it('serves the page on 127.0.0.1 at the URL it prints (built command, free port)', async () => {
    const cli = resolve(__dirname, '../dist/cli.js');
    expect(existsSync(cli)).toBe(true);
    const child = spawn(process.execPath, [cli, 'explore'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += String(chunk);
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (found) done(found[0]);
        });
        child.on('exit', (code) => fail(new Error(`explore exited with ${code}`)));
      });
      const page = await fetch(`${url}?seq=3&lang=ko`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(explorerHtml());
      expect((await fetch(`${url}other.js`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
  });

  /**
   * Runs the built `attograd explore --open` with PATH holding only `bin` (where a fake opener
   * stands in for xdg-open), until it has printed the URL and what became of the opening.
   */
  async function exploreOpen(
    bin: string,
    whileRunning: (url: string) => Promise<void> = async () => {},
  ): Promise<{ url: string; stdout: string; stderr: string }> {
    const cli = resolve(__dirname, '../dist/cli.js');
    const child = spawn(process.execPath, [cli, 'explore', '--open'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: bin, BROWSER: '' },
    });
    let stdout = '';
    let stderr = '';
    try {
      const result = await new Promise<{ url: string; stdout: string; stderr: string }>((done, fail) => {
        const settled = (): void => {
          const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0];
          if (url !== undefined && /opened|could not open/.test(stdout + stderr)) done({ url, stdout, stderr });
        };
        child.stdout.on('data', (chunk) => {
          stdout += String(chunk);
          settled();
        });
        child.stderr.on('data', (chunk) => {
          stderr += String(chunk);
          settled();
        });
        child.on('exit', (code) => fail(new Error(`explore exited with ${code}: ${stdout}${stderr}`)));
      });
      await whileRunning(result.url);
      return result;
    } finally {
      child.kill('SIGTERM');
    }
  }

  function fakeOpener(name: string, script: string): string {
    const bin = join(dir, name);
    mkdirSync(bin, { recursive: true });
    const file = join(bin, process.platform === 'darwin' ? 'open' : 'xdg-open');
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return bin;
  }

  it.skipIf(process.platform === 'win32')('--open opens the printed URL with the system opener and says so', async () => {
    const record = join(dir, 'opened.txt');
    const bin = fakeOpener('bin-ok', `printf '%s' "$1" > '${record}'`);
    const { url, stdout, stderr } = await exploreOpen(bin);
    expect(readFileSync(record, 'utf8')).toBe(url);
    expect(stdout).toContain(`opened ${url} in the browser`);
    expect(stderr).toBe('');
  });

  it.skipIf(process.platform === 'win32')(
    '--open with an opener that fails warns, names the opener and its status, and claims no success',
    async () => {
      const bin = fakeOpener('bin-fail', 'echo "no browser found" >&2; exit 3');
      let served = 0;
      const { url, stdout, stderr } = await exploreOpen(bin, async (at) => {
        served = (await fetch(at)).status;
      });
      expect(stderr).toMatch(/could not open the browser: '(xdg-open|open)' exited with status 3/);
      expect(stderr).toContain(`open ${url} yourself`);
      expect(stdout).not.toContain('opened');
      // The server still answers at the URL it printed, for the learner to open by hand.
      expect(served).toBe(200);
    },
  );

  it.skipIf(process.platform === 'win32')('--open without any opener on PATH warns and claims no success', async () => {
    const bin = join(dir, 'bin-empty');
    mkdirSync(bin, { recursive: true });
    const { url, stdout, stderr } = await exploreOpen(bin);
    expect(stderr).toMatch(/could not open the browser: cannot start '(xdg-open|open)'/);
    expect(stderr).toContain(`open ${url} yourself`);
    expect(stdout).not.toContain('opened');
  });

  it("the reports' HTML escaper and line chart are the explorer's (one copy of each)", () => {
    expect(report.escapeHtml).toBe(explorer.escapeHtml);
    expect(report.lineChartSvg).toBe(explorer.lineChartSvg);
  });

  it("explain's example is the explorer's block: same leaves, run and cotangent (one copy of the model)", () => {
    expect(example.runName).toBe(explorer.runName);
    expect(example.stageInputs).toBe(explorer.stageInputs);
    const sizes = { seq: 4, dModel: 6, heads: 2, seed: 5, causal: true };
    const leaves = example.blockLeaves(sizes);
    expect(Object.values(leaves).every((t) => t.requiresGrad)).toBe(true);
    const run = example.recordBlock(leaves, sizes);
    const page = explorer.recordBlock(explorer.blockLeaves(sizes), sizes.heads, causalMask(sizes.seq));
    for (const name of ['x', 'wo', 'p', 'y']) expect(Array.from(run[name].data), name).toEqual(Array.from(page[name].data));
    expect(Array.from(example.randomCotangent(run.y, sizes.seed).data)).toEqual(
      Array.from(explorer.cotangentFor(page.y.shape, sizes.seed).data),
    );
  });

  it('rejects a bad --port as a usage error', async () => {
    const { status, stderr } = await run(['explore', '--port', 'eighty']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--port/);
  });
});

describe('attograd explain scaling --experiment', () => {
  it('prints the measured √d_k table in English and Korean and draws it in --html, with a link to the explorer', async () => {
    const html = join(dir, 'report', 'scaling.html');
    const en = await run(['explain', 'scaling', '--experiment', '--html', html]);
    expect(en.status).toBe(0);
    const rows = en.stdout.split('\n').filter((line) => /^\s*\d+\s+(\/√d_k|—)\s/.test(line));
    expect(rows.length).toBe(18);
    const spread = (dK: number, scaled: boolean): number =>
      Number(
        rows
          .find((r) => r.trim().startsWith(`${dK} `) && r.includes(scaled ? '/√d_k' : '—'))!
          .trim()
          .split(/\s+/)[2],
      );
    expect(spread(1024, false) / spread(4, false)).toBeGreaterThan(8); // √(1024/4) = 16 in expectation
    expect(Math.abs(spread(1024, true) - 1)).toBeLessThan(0.2);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('id="experiment-scaling"');
    expect(page).toMatch(/data-role="explorer-link"><a href="attograd-explorer\.html\?seq=3&amp;dmodel=4/);
    expect(existsSync(join(dir, 'report', 'attograd-explorer.html'))).toBe(true);
    const ko = await run(['explain', 'scaling', '--experiment', '--lang', 'ko']);
    expect(ko.stdout).toMatch(/실험: 왜 √d_k로 나누는가/);
    expect(ko.stdout.split('실험')[1]).toMatch(HANGUL);
  });

  it('explain --html typesets the formulas and derivation steps as the explorer does (KaTeX MathML), Korean steps in Korean', async () => {
    for (const lang of ['en', 'ko'] as const) {
      const html = join(dir, `softmax-${lang}.html`);
      expect((await run(['explain', 'softmax', '--lang', lang, '--html', html])).status).toBe(0);
      const page = readFileSync(html, 'utf8');
      // The forward formula of the stage, as the explorer's page renders it.
      expect(page).toContain(typesetMath(stageByKey('softmax').forward, true));
      expect(page).toMatch(
        /<div class="formula math"><div><span class="katex"><math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML" display="block">/,
      );
      // Each derivation step of the softmax op, in the page's language, prose kept and math typeset.
      const steps = lang === 'en' ? derivations.softmax.steps : derivations.softmax.ko.steps;
      for (const step of steps) expect(page).toContain(typesetMixed(step));
      if (lang === 'ko') expect(steps.join(' ')).toMatch(HANGUL);
    }
  });

  it('refuses --experiment with another stage', async () => {
    const { status, stderr } = await run(['explain', 'softmax', '--experiment']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--experiment goes with the scaling stage/);
  });
});
