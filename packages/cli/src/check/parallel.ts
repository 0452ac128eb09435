import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Stencil } from '@attograd/gradcheck';
import type { CheckSource, Derivative } from './types';

/**
 * Worker threads for the finite-difference columns of full-Jacobian checks. Each job is one
 * contiguous range of columns of one input (`numericalJacobianColumns`); idle workers take the next
 * job, so uneven ranges balance out. Threads start on first use and live for the whole run.
 */

/** A range of columns for a worker to compute. */
export interface ColumnsJob {
  id: number;
  source: CheckSource;
  derivative: Derivative;
  /** Position of the input in the case's inputs. */
  inputIndex: number;
  start: number;
  end: number;
  eps: number | undefined;
  stencil: Stencil;
  /** `fingerprint` of the inputs in the main thread, to compare with the rebuilt ones. */
  fingerprint: string;
}

/** A worker's answer: the columns (column-major, `(end − start) × outputSize`) or an error message. */
export interface ColumnsReply {
  id: number;
  values?: Float64Array;
  error?: string;
}

/** Where the built worker script is: beside this code in dist/, under check/. */
function workerScript(): URL {
  for (const candidate of ['./check/worker.js', './worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('attograd check: the worker script dist/check/worker.js is missing; rebuild the CLI (pnpm build) or run with --workers 1');
}

/** A fixed-size pool of worker threads computing Jacobian columns. */
export class ColumnPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;

  constructor(readonly size: number) {}

  /**
   * Runs `jobs` (without ids) on up to `size` threads, calling `onDone` as each range arrives.
   * Rejects with the first error a worker reports.
   */
  async run(jobs: readonly Omit<ColumnsJob, 'id'>[], onDone: (job: ColumnsJob, values: Float64Array) => void): Promise<void> {
    const queue = jobs.map((job) => ({ ...job, id: this.nextId++ }));
    const threads = this.threads(Math.min(this.size, queue.length));
    await Promise.all(threads.map((worker) => this.drain(worker, queue, onDone)));
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }

  private drop(worker: Worker): void {
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
  }

  private threads(count: number): Worker[] {
    while (this.workers.length < count) this.workers.push(new Worker(workerScript()));
    return this.workers.slice(0, count);
  }

  /** Feeds one worker from the shared queue until it is empty. */
  private async drain(worker: Worker, queue: ColumnsJob[], onDone: (job: ColumnsJob, values: Float64Array) => void): Promise<void> {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const values = await this.send(worker, job);
      onDone(job, values);
    }
  }

  private send(worker: Worker, job: ColumnsJob): Promise<Float64Array> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: ColumnsReply): void => {
        if (reply.id !== job.id) return;
        cleanup();
        if (reply.values !== undefined) resolve(reply.values);
        else reject(new Error(reply.error ?? 'a worker thread failed'));
      };
      // A thread that crashed is dropped from the pool; the next run starts a fresh one.
      const onError = (error: Error): void => {
        cleanup();
        this.drop(worker);
        reject(error);
      };
      const onExit = (code: number): void => {
        cleanup();
        this.drop(worker);
        reject(new Error(`a worker thread stopped (exit code ${code})`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }
}

/**
 * Splits the columns of the checked inputs into ranges: about four per thread in all, so a
 * slow range does not leave the other threads idle, each within one input.
 *
 * @example
 * columnRanges([[0, 512], [1, 1024]], 2) // ranges of at most 192 columns
 */
export function columnRanges(sizes: readonly (readonly [number, number])[], threads: number): { inputIndex: number; start: number; end: number }[] {
  const total = sizes.reduce((sum, [, size]) => sum + size, 0);
  const chunk = Math.max(1, Math.ceil(total / (threads * 4)));
  const ranges: { inputIndex: number; start: number; end: number }[] = [];
  for (const [inputIndex, size] of sizes) {
    for (let start = 0; start < size; start += chunk) ranges.push({ inputIndex, start, end: Math.min(size, start + chunk) });
  }
  return ranges;
}
