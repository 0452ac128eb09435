/**
 * Writes src/kernels/elementwise-loops.generated.ts: the element-wise loops, one per op, dtype
 * and broadcast pattern (see elementwise-loops-source.ts for why). elementwise-loops.test.ts
 * regenerates the text and fails if the committed file is stale.
 *
 *   node --import tsx scripts/generate-elementwise-loops.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { elementwiseLoopsSource } from '../src/kernels/elementwise-loops-source';

const target = fileURLToPath(new URL('../src/kernels/elementwise-loops.generated.ts', import.meta.url));
writeFileSync(target, elementwiseLoopsSource());
