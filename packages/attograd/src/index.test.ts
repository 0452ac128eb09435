import * as attention from '@attograd/attention';
import * as gradcheck from '@attograd/gradcheck';
import * as nn from '@attograd/nn';
import * as ops from '@attograd/ops';
import * as optim from '@attograd/optim';
import * as tensor from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as umbrella from './index';

const packages = {
  '@attograd/tensor': tensor,
  '@attograd/ops': ops,
  '@attograd/gradcheck': gradcheck,
  '@attograd/attention': attention,
  '@attograd/optim': optim,
  '@attograd/nn': nn,
};

describe('attograd, the umbrella import', () => {
  it.each(Object.entries(packages))('re-exports every export of %s as the same object', (_name, module) => {
    const exported = new Map(Object.entries(umbrella));
    const entries = Object.entries(module);
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, value] of entries) expect(exported.get(name), name).toBe(value);
  });

  it('exports nothing of its own (every name comes from one of the six packages)', () => {
    const known = new Set(Object.values(packages).flatMap((module) => Object.keys(module)));
    expect(Object.keys(umbrella).filter((name) => !known.has(name))).toEqual([]);
  });
});
