import { gradients, Tensor, topologicalOrder } from '@attograd/tensor';
import { singleHead } from './attograd-engine';
import { attentionInputs } from './work';

export interface MemoryReport {
  T: number;
  d: number;
  /** Bytes of the tensors forward + backward must hold: the recorded graph's values and the gradients. */
  mustKeepBytes: number;
  /** Bytes allocated by one forward + backward (a lower bound: a collection may run meanwhile). */
  allocatedBytes: number;
  ratio: number;
  /** Heap + array buffers after a collection, before and after the loop of iterations. */
  loop: { T: number; d: number; iterations: number; beforeBytes: number; afterBytes: number };
}

type Collect = () => void;

function usedBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
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

/**
 * How much one forward + backward of single-head attention allocates, against what it must keep;
 * then whether many iterations leave the heap flat. Needs node --expose-gc.
 */
export function memoryCheck(T: number, d: number, loopT: number, loopD: number, iterations: number): MemoryReport {
  const collect = (globalThis as { gc?: Collect }).gc;
  if (collect === undefined) throw new Error('memory check: run node with --expose-gc');
  const { x, weights, cotangent, step } = setup(T, d);
  step(); // warm up (compiles the kernels and the WebAssembly module)
  collect();
  const before = usedBytes();
  const z = singleHead(x, weights[0], weights[1], weights[2]);
  const graph = topologicalOrder(z).filter((t) => !weights.includes(t) && t !== x);
  const grads = gradients(z, [x, ...weights], { gradOutput: cotangent });
  const allocatedBytes = usedBytes() - before;
  const mustKeepBytes = bytesOf([...graph, ...grads]);

  const loop = setup(loopT, loopD);
  loop.step();
  collect();
  const beforeBytes = usedBytes();
  for (let i = 0; i < iterations; i++) loop.step();
  collect();
  const afterBytes = usedBytes();
  return {
    T, d, mustKeepBytes, allocatedBytes, ratio: allocatedBytes / mustKeepBytes,
    loop: { T: loopT, d: loopD, iterations, beforeBytes, afterBytes },
  };
}
