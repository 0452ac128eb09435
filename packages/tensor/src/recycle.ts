import { releaseBuffer } from './buffer-pool';
import type { TensorData } from './dtype';
import type { Tensor } from './tensor';
import { resetVersion } from './version';

/** into += addend, element by element (the same roundings as addGradients' new buffer). */
function addInPlace(into: TensorData, addend: TensorData): void {
  for (let i = 0; i < into.length; i++) into[i] += addend[i];
}

/**
 * Gives the buffers of intermediate gradients back to the pool (buffer-pool.ts) during a
 * backward pass, once they are provably dead. The driver reports each gradient it stores for a
 * node (`hold`) and each one it stops storing (`drop`: the node's rule has run, or its gradient
 * was summed into a new one). A buffer goes back when nothing holds it any more and
 * - the driver made it during this pass (the `created` set of ownership.ts): the user never saw it;
 * - it is not a value of the graph, an input of a recorded op, or the cotangent (`held`: the
 *   driver finds these once, and hands the same set to ownedGradients);
 * - the gradient is no result (the driver never drops those).
 * Several stored gradients may share one buffer (add's rule returns `[dOut, dOut]`; identity and
 * reshape rules return dOut or a view of it), hence the count per buffer. The same count lets the
 * driver sum a gradient into a buffer that it alone holds instead of a new one. Not used with
 * `createGraph`, where the new graph may keep any gradient.
 */
export class GradientRecycler {
  private readonly holders = new Map<TensorData, number>();
  /** Buffers a rule that may keep references saw (see `keep`). */
  private readonly kept = new Set<TensorData>();

  constructor(
    private readonly created: ReadonlySet<TensorData>,
    /** The graph's and the cotangent's buffers: never given back. */
    private readonly held: ReadonlySet<TensorData>,
  ) {}

  /** Whether `data` may never go back to the pool in this pass. */
  private isKept(data: TensorData): boolean {
    return this.held.has(data) || this.kept.has(data);
  }

  /** Never give grad's buffer back in this pass (a rule that may keep a reference to it saw it). */
  keep(grad: Tensor): void {
    this.kept.add(grad.data);
  }

  hold(grad: Tensor): void {
    this.holders.set(grad.data, (this.holders.get(grad.data) ?? 0) + 1);
  }

  /**
   * previous + fitted written into previous's buffer, when the driver alone holds that buffer (made
   * during this pass, stored once, no graph value): the in-place sum the user can never observe.
   * Null when that is not allowed; the caller then adds into a new buffer.
   */
  accumulated(previous: Tensor, fitted: Tensor): Tensor | null {
    const data = previous.data;
    if (this.holders.get(data) !== 1 || !this.created.has(data) || this.isKept(data) || data === fitted.data) return null;
    addInPlace(data, fitted.data);
    return previous;
  }

  /** `sum` is now stored for an input in place of `previous` (when one was stored), `fitted` was summed into it. */
  replaced(sum: Tensor, previous: Tensor | undefined, fitted: Tensor): void {
    this.hold(sum);
    if (previous === undefined) return;
    this.drop(previous);
    // fitted was never stored; count it as held a moment so a buffer it shares with a stored gradient stays.
    this.hold(fitted);
    this.drop(fitted);
  }

  drop(grad: Tensor): void {
    const data = grad.data;
    const count = (this.holders.get(data) ?? 0) - 1;
    if (count > 0) {
      this.holders.set(data, count);
      return;
    }
    this.holders.delete(data);
    if (count === 0 && this.created.has(data) && !this.isKept(data) && releaseBuffer(data)) resetVersion(data);
  }
}
