import { describe, expect, it } from 'vitest';
import { printable, printableLine } from './printable';

describe('printable', () => {
  it.each([
    ['colour', 'a\u001b[31mred\u001b[0m', 'ared'],
    ['window title (OSC, BEL)', 'x\u001b]0;pwned\u0007y', 'xy'],
    ['window title (OSC, ST)', 'x\u001b]2;pwned\u001b\\y', 'xy'],
    ['unterminated OSC', 'x\u001b]0;pwned', 'x'],
    ['clear screen and cursor moves', '\u001b[2J\u001b[1;1Hz\u001b[?25l', 'z'],
    ['8-bit CSI', 'a\u009b1mb', 'ab'],
    ['two-byte escapes', 'a\u001bcb\u001b(Bc', 'abc'],
    ['C0, DEL and C1 controls', 'a\u0000\u0007\u0008\r\n\u000b\u007f\u0085b', 'ab'],
    ['bidirectional overrides', 'ad\u202emin\u202c', 'admin'],
    ['ordinary text', 'softmax (2nd order) · ∂y/∂x — 한국어', 'softmax (2nd order) · ∂y/∂x — 한국어'],
  ])('%s', (_, input, expected) => {
    expect(printable(input)).toBe(expected);
  });

  it('printableLine keeps words apart across line breaks', () => {
    expect(printableLine('inputs() threw:\n  bad\tvalue\u001b[0m')).toBe('inputs() threw: bad value');
  });
});
