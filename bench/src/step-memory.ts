/**
 * Memory of one training step (issue 14, goal 5): how many typed-array bytes a step can hold at
 * its peak, against what it must keep.
 *
 * Must keep: the parameters, their gradients, the optimizer state (AdamW: two tensors per
 * parameter) and the saved activations — the values of the recorded graph (every op's output and
 * every non-parameter input, distinct buffers), which attograd keeps until backward.
 *
 * Peak: JavaScript frees a buffer only when a collection runs, so the most a step can hold is what
 * was resident when it began (parameters, optimizer state, and the buffers waiting in attograd's
 * pool) plus every byte it allocates. That sum is an upper bound of the peak, reached when no
 * collection runs during the step; it is what reusing buffers reduces. It is measured two ways:
 * - the engine's counter (`allocationStats()` of @attograd/tensor): bytes of new buffers made by
 *   `allocate` — every op and gradient rule — but not scratch arrays a kernel makes itself nor
 *   WebAssembly memory (which is grown once and kept);
 * - the growth of `process.memoryUsage().arrayBuffers` across the step, after full collections
 *   (node --expose-gc), retried until a step runs with no collection in it (watched with a
 *   PerformanceObserver): it sees every ArrayBuffer, whoever made it, but only when no
 *   collection freed anything meanwhile — after 5 attempts it is reported as a lower bound.
 * Neither sees V8's own heap (tensor objects, graph records), which is not typed-array memory.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { Tensor } from '@attograd/tensor';

export interface StepMemory {
  mustKeepBytes: { parameters: number; gradients: number; optimizerState: number; activations: number; total: number };
  /** Parameters + optimizer state + pooled buffers when the step begins. */
  residentBytes: number;
  /** New bytes by the engine's counter (null for a build without it). */
  counterBytes: number | null;
  /** Growth of arrayBuffers across the step. */
  arrayBufferBytes: number;
  /** Collections during the measured step (0: the arrayBuffers figure is exact). */
  collections: number;
  /** (resident + allocated) / must keep, with the counter when present. */
  ratio: number;
}

export interface StepHooks {
  parameters: Tensor[];
  /** zeroGrad + forward: returns the loss with its graph recorded. */
  forward: () => Tensor;
  /** backward + optimizer update. */
  finish: (loss: Tensor) => void;
  topologicalOrder: (output: Tensor) => Tensor[];
  stats?: () => { allocatedBytes: number; pooledBytes: number };
}

function bytesOf(tensors: Iterable<Tensor>, skip: ReadonlySet<unknown> = new Set()): number {
  const seen = new Set<unknown>();
  let total = 0;
  for (const t of tensors) {
    if (skip.has(t.data) || seen.has(t.data)) continue;
    seen.add(t.data);
    total += t.data.byteLength;
  }
  return total;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function stepMemory(hooks: StepHooks, warmSteps = 3): Promise<StepMemory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('step memory: run node with --expose-gc');
  for (let i = 0; i < warmSteps; i++) hooks.finish(hooks.forward());
  const parameterBytes = bytesOf(hooks.parameters);
  const parameterData = new Set<unknown>(hooks.parameters.map((p) => p.data));
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    for (let attempt = 0; ; attempt++) {
      gc();
      gc();
      await pause(50); // array buffers are freed on a background thread
      collections = 0;
      const pooled = hooks.stats?.().pooledBytes ?? 0;
      const counted = hooks.stats?.().allocatedBytes ?? 0;
      const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
      const loss = hooks.forward();
      const graph = hooks.topologicalOrder(loss);
      const inputs = graph.flatMap((t) => t.gradFn?.inputs ?? []);
      const activations = bytesOf([...graph, ...inputs], parameterData);
      hooks.finish(loss);
      const arrayBufferBytes = process.memoryUsage().arrayBuffers - arrayBuffersBefore;
      const counterBytes = hooks.stats === undefined ? null : hooks.stats().allocatedBytes - counted;
      await pause(20);
      if (collections === 0 || attempt === 4) {
        const mustKeep = {
          parameters: parameterBytes,
          gradients: parameterBytes,
          optimizerState: 2 * parameterBytes,
          activations,
          total: 4 * parameterBytes + activations,
        };
        const residentBytes = 3 * parameterBytes + pooled;
        const allocated = counterBytes ?? arrayBufferBytes;
        return {
          mustKeepBytes: mustKeep,
          residentBytes,
          counterBytes,
          arrayBufferBytes,
          collections,
          ratio: (residentBytes + allocated) / mustKeep.total,
        };
      }
    }
  } finally {
    observer.disconnect();
  }
}
