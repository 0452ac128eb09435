import { PerformanceObserver } from 'node:perf_hooks';
import { gradients, Tensor, topologicalOrder } from '@attograd/tensor';
import { singleHead } from './attograd-engine';
import { attentionInputs } from './work';

export interface MemoryReport {
  T: number;
  d: number;
  /** Bytes of the tensors forward + backward must hold: the values of the recorded graph and the gradients. */
  mustKeepBytes: number;
  /** Typed-array bytes allocated by one forward + backward. */
  allocatedBytes: number;
  ratio: number;
  /** Collections during the measured run (0: the figure is exact; otherwise a lower bound). */
  collections: number;
  /** Heap + array buffers after a collection, before and after the loop of iterations. */
  loop: { T: number; d: number; iterations: number; beforeBytes: number; afterBytes: number };
}

type Collect = () => void;

/** JavaScript heap plus the memory behind typed arrays. */
function usedBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Memory behind typed arrays: where every tensor's values live (all but the tiniest). */
function bufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

function setup(T: number, d: number) {
  const values = attentionInputs(T, d, 1);
  const x = new Tensor(values.x, [T, d], { requiresGrad: true });
  const weights = values.weights.map((w) => new Tensor(w, [d, d], { requiresGrad: true }));
  const cotangent = new Tensor(values.cotangent, [T, d]);
  const step = () => {
    const z = singleHead(x, weights[0], weights[1], weights[2]);
    return { z, grads: gradients(z, [x, ...weights], { gradOutput: cotangent }) };
  };
  return { x, weights, cotangent, step };
}

function bytesOf(tensors: Iterable<Tensor>): number {
  const buffers = new Set<ArrayBufferLike>();
  let total = 0;
  for (const t of tensors) {
    if (buffers.has(t.data.buffer)) continue;
    buffers.add(t.data.buffer);
    total += t.data.byteLength;
  }
  return total;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Heap + buffers after full collections; V8 frees array buffers on a background thread, so wait. */
async function settledBytes(collect: Collect): Promise<number> {
  for (let round = 0; round < 3; round++) {
    collect();
    await pause(50);
  }
  return usedBytes();
}

/**
 * Typed-array bytes allocated by `fn`, measured as the growth of array-buffer memory across the
 * call, which is exact only if no collection ran meanwhile: collections are watched with a
 * PerformanceObserver, and a measurement during which one ran is retried.
 */
async function allocatedBy<T>(fn: () => T, collect: Collect): Promise<{ bytes: number; result: T; collections: number }> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    for (let attempt = 0; ; attempt++) {
      collect();
      await pause(20); // let the entries of that collection arrive before counting
      collections = 0;
      const before = bufferBytes();
      const result = fn();
      const bytes = bufferBytes() - before;
      await pause(20);
      if (collections === 0 || attempt === 9) return { bytes, result, collections };
    }
  } finally {
    observer.disconnect();
  }
}

/**
 * How much one forward + backward of single-head attention allocates, against what it must keep
 * (the values the recorded graph holds for backward, and the gradients); then whether many
 * iterations leave the heap flat. Needs node --expose-gc.
 */
export async function memoryCheck(T: number, d: number, loopT: number, loopD: number, iterations: number): Promise<MemoryReport> {
  const collect = (globalThis as { gc?: Collect }).gc;
  if (collect === undefined) throw new Error('memory check: run node with --expose-gc');
  const { x, weights, cotangent } = setup(T, d);
  const forward = () => singleHead(x, weights[0], weights[1], weights[2]);
  gradients(forward(), [x, ...weights], { gradOutput: cotangent }); // warm up
  const measured = await allocatedBy(() => {
    const z = forward();
    const graph = topologicalOrder(z).filter((t) => t.gradFn !== null);
    const grads = gradients(z, [x, ...weights], { gradOutput: cotangent });
    return [...graph, ...grads];
  }, collect);
  const mustKeepBytes = bytesOf(measured.result);

  const loop = setup(loopT, loopD);
  loop.step();
  const beforeBytes = await settledBytes(collect);
  for (let i = 0; i < iterations; i++) loop.step();
  const afterBytes = await settledBytes(collect);
  return {
    T,
    d,
    mustKeepBytes,
    allocatedBytes: measured.bytes,
    ratio: measured.bytes / mustKeepBytes,
    collections: measured.collections,
    loop: { T: loopT, d: loopD, iterations, beforeBytes, afterBytes },
  };
}
