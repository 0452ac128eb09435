/**
 * The source of elementwise-loops.generated.ts: one loop per (op, dtype, pattern) for add, sub,
 * mul, div and where, written out by `scripts/generate-elementwise-loops.ts`; and of
 * @attograd/tensor's sum-loops.generated.ts (sumToShape's loops, one per dtype), written by the
 * same script, since tensor imports nothing from the workspace. Why generated: V8
 * optimises a loop for the typed arrays it has seen, so one loop shared by float64 and float32
 * (or by every op through a switch) runs about half as fast as a loop that only ever sees one
 * kind; unrolled by 8 a loop keeps up with memcpy. Writing the 54 loops by hand would hide the
 * few characters in which they differ.
 */
const OPS = { add: '+', sub: '-', mul: '*', div: '/' } as const;
const DTYPES = { float64: 'Float64Array', float32: 'Float32Array' } as const;
const UNROLL = 8;

/** `body(k)` for k = 0…width−1, then the remainder loop `rest` at the tail positions. */
function unrolled(
  indent: string,
  count: string,
  body: (k: number) => string,
  step: readonly string[],
  rest: string,
  width: number = UNROLL,
): string {
  const lines = Array.from({ length: width }, (_, k) => `${indent}  ${body(k)}`);
  return [
    `${indent}let j = 0;`,
    `${indent}for (; j + ${width} <= ${count}; j += ${width}) {`,
    ...step.map((line) => `${indent}  ${line}`),
    ...lines,
    `${indent}}`,
    `${indent}for (; j < ${count}; j++) ${rest}`,
  ].join('\n');
}

const plus = (k: number) => (k === 0 ? '' : ` + ${k}`);

function loops(op: keyof typeof OPS): string {
  const o = OPS[op];
  const same = unrolled('    ', 'n', (k) => `out[j${plus(k)}] = x[j${plus(k)}] ${o} y[j${plus(k)}];`, [], `out[j] = x[j] ${o} y[j];`);
  const blocks = (value: string, read: (k: number) => string, step: readonly string[]) =>
    [
      '    for (let o = 0; o < outer; o++) {',
      '      const start = o * n;',
      '      const i = offsetsX[o];',
      '      const k = offsetsY[o];',
      ...(value === '' ? [] : [`      ${value}`]),
      unrolled('      ', 'n', (m) => `out[s${plus(m)}] = ${read(m)};`, step, `out[start + j] = ${read(-1)};`),
      '    }',
    ].join('\n');
  const at = (base: string, m: number) => (m < 0 ? `${base === 'p' ? 'i' : 'k'} + j` : `${base}${plus(m)}`);
  const both = blocks('', (m) => `x[${at('p', m)}] ${o} y[${at('q', m)}]`, [
    'const s = start + j;',
    'const p = i + j;',
    'const q = k + j;',
  ]);
  const right = blocks('const v = y[k];', (m) => `x[${at('p', m)}] ${o} v`, ['const s = start + j;', 'const p = i + j;']);
  const left = blocks('const v = x[i];', (m) => `v ${o} y[${at('q', m)}]`, ['const s = start + j;', 'const q = k + j;']);
  const signature = 'out, x, offsetsX, y, offsetsY, outer, n';
  const repeated = (read: (m: number) => string) =>
    [
      '    for (let o = 0; o < outer; o++) {',
      '      const start = o * n;',
      unrolled('      ', 'n', (m) => `out[s${plus(m)}] = ${read(m)};`, ['const s = start + j;'], `out[start + j] = ${read(-1)};`),
      '    }',
    ].join('\n');
  const full = (m: number) => (m < 0 ? 'start + j' : `s${plus(m)}`);
  const block = (m: number) => (m < 0 ? 'j' : `j${plus(m)}`);
  const repeatY = repeated((m) => `x[${full(m)}] ${o} y[${block(m)}]`);
  const repeatX = repeated((m) => `x[${block(m)}] ${o} y[${full(m)}]`);
  return `{
  same(out, x, y, n) {
${same}
  },
  blocks(${signature}) {
${both}
  },
  right(${signature}) {
${right}
  },
  left(${signature}) {
${left}
  },
  repeatY(out, x, y, outer, n) {
${repeatY}
  },
  repeatX(out, x, y, outer, n) {
${repeatX}
  },
}`;
}

/**
 * The loops of where on one dtype, the condition given as a Uint8Array mask advancing in every
 * block: \`out = m ? x : y\` with both advancing, with x on one value per block (maskedFill's
 * value, a zero in the backward) or with y on one value per block.
 */
function whereLoops(): string {
  const blocks = (values: readonly string[], pick: (m: number) => string, step: readonly string[]) =>
    [
      '    for (let o = 0; o < outer; o++) {',
      '      const start = o * n;',
      '      const c = offsetsM[o];',
      ...values.map((line) => `      ${line}`),
      unrolled('      ', 'n', (m) => `out[s${plus(m)}] = ${pick(m)};`, step, `out[start + j] = ${pick(-1)};`),
      '    }',
    ].join('\n');
  const mask = (m: number) => (m < 0 ? 'mask[c + j]' : `mask[r${plus(m)}]`);
  const read = (array: string, base: string, m: number) =>
    m < 0 ? `${array}[${base === 'p' ? 'i' : 'k'} + j]` : `${array}[${base}${plus(m)}]`;
  const both = blocks(
    ['const i = offsetsX[o];', 'const k = offsetsY[o];'],
    (m) => `${mask(m)} !== 0 ? ${read('x', 'p', m)} : ${read('y', 'q', m)}`,
    ['const s = start + j;', 'const r = c + j;', 'const p = i + j;', 'const q = k + j;'],
  );
  const scalarX = blocks(['const u = x[offsetsX[o]];', 'const k = offsetsY[o];'], (m) => `${mask(m)} !== 0 ? u : ${read('y', 'q', m)}`, [
    'const s = start + j;',
    'const r = c + j;',
    'const q = k + j;',
  ]);
  const scalarY = blocks(['const i = offsetsX[o];', 'const v = y[offsetsY[o]];'], (m) => `${mask(m)} !== 0 ? ${read('x', 'p', m)} : v`, [
    'const s = start + j;',
    'const r = c + j;',
    'const p = i + j;',
  ]);
  const signature = 'out, mask, offsetsM, x, offsetsX, y, offsetsY, outer, n';
  return `{
  both(${signature}) {
${both}
  },
  scalarX(${signature}) {
${scalarX}
  },
  scalarY(${signature}) {
${scalarY}
  },
}`;
}

/** The whole generated module. */
export function elementwiseLoopsSource(): string {
  const entries = Object.keys(DTYPES).map((dtype) => {
    const perOp = (Object.keys(OPS) as (keyof typeof OPS)[]).map((op) => `    ${op}: ${loops(op).replace(/\n/g, '\n    ')},`);
    return `  ${dtype}: {\n${perOp.join('\n')}\n  },`;
  });
  return `// Generated by scripts/generate-elementwise-loops.ts from elementwise-loops-source.ts; do not edit.
// elementwise-loops.test.ts regenerates this text and fails when this file is stale.

/**
 * The loops of one op on one dtype. \`same\`: out[j] = x[j] ∘ y[j] for j < n. The others walk
 * \`outer\` blocks of n elements (see broadcastPlan), block o starting at x[offsetsX[o]] and
 * y[offsetsY[o]]: \`blocks\` with both advancing, \`right\` with y on one element (broadcast over
 * the block), \`left\` with x on one element. \`repeatY\`: out[o·n + j] = x[o·n + j] ∘ y[j], y being
 * one block repeated (a bias, a [T, T] mask against [B, H, T, T]); \`repeatX\` the mirror image.
 */
export interface BinaryLoops<A> {
  same(out: A, x: A, y: A, n: number): void;
  blocks(out: A, x: A, offsetsX: Int32Array, y: A, offsetsY: Int32Array, outer: number, n: number): void;
  right(out: A, x: A, offsetsX: Int32Array, y: A, offsetsY: Int32Array, outer: number, n: number): void;
  left(out: A, x: A, offsetsX: Int32Array, y: A, offsetsY: Int32Array, outer: number, n: number): void;
  repeatY(out: A, x: A, y: A, outer: number, n: number): void;
  repeatX(out: A, x: A, y: A, outer: number, n: number): void;
}

type Kind = 'add' | 'sub' | 'mul' | 'div';

/**
 * The loops of where on one dtype: out = mask ≠ 0 ? x : y over \`outer\` blocks of n elements
 * (see broadcastPlan), the mask advancing in every block from mask[offsetsM[o]]. \`both\`: x and
 * y advance; \`scalarX\`: x is one value per block; \`scalarY\`: y is one value per block.
 */
export interface WhereLoops<A> {
  both(
    out: A,
    mask: Uint8Array,
    offsetsM: Int32Array,
    x: A,
    offsetsX: Int32Array,
    y: A,
    offsetsY: Int32Array,
    outer: number,
    n: number,
  ): void;
  scalarX(
    out: A,
    mask: Uint8Array,
    offsetsM: Int32Array,
    x: A,
    offsetsX: Int32Array,
    y: A,
    offsetsY: Int32Array,
    outer: number,
    n: number,
  ): void;
  scalarY(
    out: A,
    mask: Uint8Array,
    offsetsM: Int32Array,
    x: A,
    offsetsX: Int32Array,
    y: A,
    offsetsY: Int32Array,
    outer: number,
    n: number,
  ): void;
}

export const BINARY_LOOPS: {
${Object.entries(DTYPES)
  .map(([dtype, array]) => `  ${dtype}: Record<Kind, BinaryLoops<${array}>>;`)
  .join('\n')}
} = {
${entries.join('\n')}
};

export const WHERE_LOOPS: {
${Object.entries(DTYPES)
  .map(([dtype, array]) => `  ${dtype}: WhereLoops<${array}>;`)
  .join('\n')}
} = {
${Object.keys(DTYPES)
  .map((dtype) => `  ${dtype}: ${whereLoops().replace(/\n/g, '\n  ')},`)
  .join('\n')}
};
`;
}

/**
 * sumToShape's loops on one dtype (the sums are always float64), unrolled by 4: `addRun` adds a
 * run of values onto a run of sums; `total` adds a run into four interleaved partial sums, so no
 * chain of dependent additions limits it, combined pairwise at the end.
 */
function sumLoops(): string {
  const width = 4;
  const addRun = unrolled(
    '    ',
    'n',
    (k) => `sums[t + j${plus(k)}] += values[s + j${plus(k)}];`,
    [],
    'sums[t + j] += values[s + j];',
    width,
  );
  const partials = Array.from({ length: width }, (_, k) => `p${k}`);
  const total = [
    ...partials.map((p) => `    let ${p} = 0;`),
    '    let j = s;',
    '    const end = s + n;',
    `    for (; j + ${width} <= end; j += ${width}) {`,
    ...partials.map((p, k) => `      ${p} += values[j${plus(k)}];`),
    '    }',
    '    for (; j < end; j++) p0 += values[j];',
    '    return p0 + p1 + (p2 + p3);',
  ].join('\n');
  return `{
  addRun(sums, t, values, s, n) {
${addRun}
  },
  total(values, s, n) {
${total}
  },
}`;
}

/** The whole of @attograd/tensor's sum-loops.generated.ts. */
export function sumLoopsSource(): string {
  return `// Generated by packages/ops/scripts/generate-elementwise-loops.ts from packages/ops/src/kernels/elementwise-loops-source.ts;
// do not edit. packages/ops/src/kernels/elementwise-loops.test.ts regenerates this text and fails when this file is stale.

/**
 * The loops of sumToShape, once per dtype so that V8 compiles each for one kind of typed array
 * (a loop that sees both runs about half as fast), unrolled by 4.
 */
export interface SumLoops<A> {
  /** sums[t + j] += values[s + j] for j < n. */
  addRun(sums: Float64Array, t: number, values: A, s: number, n: number): void;
  /** Σ values[s + j] for j < n, in four interleaved partial sums (no chain of dependent adds). */
  total(values: A, s: number, n: number): number;
}

export const SUM_LOOPS: {
${Object.entries(DTYPES)
  .map(([dtype, array]) => `  ${dtype}: SumLoops<${array}>;`)
  .join('\n')}
} = {
${Object.keys(DTYPES)
  .map((dtype) => `  ${dtype}: ${sumLoops().replace(/\n/g, '\n  ')},`)
  .join('\n')}
};
`;
}
