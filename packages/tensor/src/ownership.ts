import type { TensorData } from './dtype';

/**
 * Which buffers the backward driver owns. A gradient handed to the user (in `.grad` or returned
 * by `gradients()`) must not share its buffer with anything else the user holds: the cotangent,
 * a tensor of the forward graph, or another gradient handed out. Gradient rules often return
 * `dOut` itself or a view of it (identity, reshape, add's `[dOut, dOut]`), so the driver notes
 * every buffer wrapped by a tensor while it runs, and copies a result only when its buffer was not
 * made during the pass, belongs to the graph or the cotangent, or went to another result first.
 * In the common case (matmul, mul, … rules make fresh buffers) nothing is copied.
 */
let created: Set<TensorData> | null = null;

/** Called by the Tensor constructor: remembers `data` when a backward pass is running. */
export function noteCreated(data: TensorData): void {
  if (created !== null) created.add(data);
}

/**
 * Runs `fn` while noting every buffer a tensor is made from into `into` (nested passes each get
 * their own set, and the outer one gets the inner one's too).
 */
export function trackCreated<T>(into: Set<TensorData>, fn: () => T): T {
  const previous = created;
  created = into;
  try {
    return fn();
  } finally {
    created = previous;
    if (previous !== null) for (const data of into) previous.add(data);
  }
}
