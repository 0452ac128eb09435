import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stageByKey } from '@attograd/attention';
import { explorerHtml, typesetMath, typesetMixed } from '@attograd/explorer';
import { derivations } from '@attograd/ops';
import { afterAll, describe, expect, it } from 'vitest';
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
