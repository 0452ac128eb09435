/**
 * Text that came from the user (a check's name, an input's name, an error message) is printed to
 * a terminal and written into reports. Raw, a name could carry terminal escape sequences (change
 * colours, set the window title, clear the screen, move the cursor over earlier results) or
 * control characters that XML 1.0 forbids, so JUnit parsers would reject the whole report.
 */

/**
 * Escape sequences as terminals read them: CSI (`ESC [` or U+009B, parameters, one final byte);
 * string commands (OSC, DCS, SOS, PM, APC) up to their terminator (BEL or ST) or the end of the
 * text; and the other two-byte `ESC x` sequences.
 */
const ESCAPE_SEQUENCE =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[\u0020-\u002f]*[\u0030-\u007e]/g;

/** C0 and C1 controls, DEL, and the invisible bidirectional and line-separator characters. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * `text` without escape sequences and control characters (removed, not replaced).
 *
 * @example
 * printable('evil\u001b[31mred') // 'evilred'
 */
export function printable(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * A message for one line: line breaks and tabs become spaces, then as `printable`.
 *
 * @example
 * printableLine('inputs() threw:\n  bad') // 'inputs() threw: bad'
 */
export function printableLine(text: string): string {
  return printable(text.replace(/\s*[\r\n\t]+\s*/g, ' '));
}
