import { describe, expect, it } from 'vitest';
import { tensor } from '@attograd/tensor';
import { slice } from './slice';

describe('slice over the full range', () => {
  it('returns a copy, as documented, not x itself (issue 11 item 4)', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const all = slice(x, 1, 0);
    expect(all).not.toBe(x);
    expect(all.data).not.toBe(x.data);
    expect(all.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(all.gradFn?.op).toBe('slice');
  });

  it('is a copy for a tensor that needs no gradient too', () => {
    const x = tensor([1, 2, 3]);
    const all = slice(x, 0, -3);
    expect(all.data).not.toBe(x.data);
    expect(Array.from(all.data)).toEqual([1, 2, 3]);
  });
});
