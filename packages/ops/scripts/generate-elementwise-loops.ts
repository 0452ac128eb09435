/**
 * Writes src/kernels/elementwise-loops.generated.ts: the element-wise loops, one per op, dtype
 * and broadcast pattern (see elementwise-loops-source.ts for why), and
 * ../tensor/src/sum-loops.generated.ts: sumToShape's loops, one per dtype.
 * elementwise-loops.test.ts regenerates both texts and fails if a committed file is stale.
 *
 *   node --import tsx scripts/generate-elementwise-loops.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { elementwiseLoopsSource, sumLoopsSource } from '../src/kernels/elementwise-loops-source';

const target = fileURLToPath(new URL('../src/kernels/elementwise-loops.generated.ts', import.meta.url));
writeFileSync(target, elementwiseLoopsSource());
const sumTarget = fileURLToPath(new URL('../../tensor/src/sum-loops.generated.ts', import.meta.url));
writeFileSync(sumTarget, sumLoopsSource());
