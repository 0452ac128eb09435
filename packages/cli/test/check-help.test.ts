import { CENTRAL_EPS, DEFAULT_ATOL, DEFAULT_RTOL, FIVE_POINT_EPS } from '@attograd/gradcheck';
import { describe, expect, it } from 'vitest';
import { check } from './check-helpers';

/** `check --help` states gradcheck's own defaults: the help text is generated from its constants. */
describe('attograd check --help', () => {
  it('gives the default steps and tolerances gradcheck uses', async () => {
    const { status, stdout } = await check('--help');
    expect(status).toBe(0);
    const text = stdout.replace(/\s+/g, ' ');
    expect(CENTRAL_EPS.toPrecision(2)).toBe('0.0000061');
    expect(text).toContain('(default: 6.1e-6 central, 1e-4 five-point)');
    expect(FIVE_POINT_EPS).toBe(1e-4);
    expect(text).toContain(`(default ${DEFAULT_ATOL.toExponential()})`);
    expect(text).toContain(`relative tolerance (default ${DEFAULT_RTOL.toExponential()})`);
    expect(text).not.toContain('7e-4');
  });
});
