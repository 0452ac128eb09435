import pc from 'picocolors';

/** Terminal emphasis. Plain text (identity functions) unless the output is a TTY. */
export interface Style {
  readonly heading: (text: string) => string;
  readonly label: (text: string) => string;
  readonly formula: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly ok: (text: string) => string;
  readonly bad: (text: string) => string;
}

/**
 * Colours for a stream: only when `enabled` (pass `stream.isTTY === true`), so piped or captured
 * output never carries escape codes.
 *
 * @example
 * const style = styleFor(process.stdout.isTTY === true);
 */
export function styleFor(enabled: boolean): Style {
  const colors = pc.createColors(enabled);
  return {
    heading: (text) => colors.bold(colors.cyan(text)),
    label: (text) => colors.bold(text),
    formula: (text) => colors.yellow(text),
    dim: (text) => colors.dim(text),
    ok: (text) => colors.green(text),
    bad: (text) => colors.bold(colors.red(text)),
  };
}
