import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Application, ProjectReflection } from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageProblems, formatProblems } from '../src/coverage';
import { loadTypedoc, type CollectingLogger } from '../src/typedoc-app';

/**
 * The API reference: TypeDoc converts every package from its src/index.ts; every export must be
 * documented (see src/coverage.ts for the rule), no doc link may be broken, and the HTML
 * reference (docs/api in `pnpm docs`) must generate.
 */
describe('API reference (TypeDoc)', () => {
  let app: Application;
  let logger: CollectingLogger;
  let project: ProjectReflection;
  const out = mkdtempSync(join(tmpdir(), 'attograd-api-'));

  beforeAll(async () => {
    ({ app, logger, project } = await loadTypedoc(out));
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('converts the five library packages', () => {
    expect(project.children?.map((module) => module.name).sort()).toEqual([
      '@attograd/attention',
      '@attograd/gradcheck',
      '@attograd/ops',
      '@attograd/optim',
      '@attograd/tensor',
    ]);
    expect(logger.messages).toEqual([]);
  });

  it('documents every export, every member of an exported type, and shows an @example for every function and class', () => {
    // Compared as text so that a failure prints one readable line per problem.
    expect(formatProblems(coverageProblems(project))).toBe('');
  });

  it('has no broken {@link}, no documented symbol that uses an unexported type, no bad relative path', () => {
    app.validate(project);
    expect(logger.messages).toEqual([]);
  });

  it('generates the HTML reference, one page per function, with its example', async () => {
    await app.generateDocs(project, out);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const page = readFileSync(join(out, 'functions/_attograd_attention.selfAttention.html'), 'utf8');
    expect(page).toContain('selfAttention');
    expect(page).toMatch(/Example/);
  });
});

describe('the coverage check itself', () => {
  it('finds each kind of gap in a fixture package, and nothing else', async () => {
    const out = mkdtempSync(join(tmpdir(), 'attograd-api-fixture-'));
    try {
      const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/undocumented');
      const { project } = await loadTypedoc(out, [fixture]);
      const found = coverageProblems(project).map((p) => `${p.name.replace(/^.*: /, '')} ${p.kind}: ${p.problem}`);
      expect(found.sort()).toEqual([
        'LIMIT Variable: no documentation',
        'Options.b Property: no documentation',
        'Thing.rank Accessor: no documentation',
        'noExample Function: no @example',
        'undocumented Function: no documentation',
      ]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
