import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Stencil } from '@attograd/gradcheck';
import type { CheckSource, Derivative } from './types';

/**
 * Threads for the finite-difference columns of full-Jacobian checks. Each job is one contiguous
 * range of columns of one input (`numericalJacobianColumns`); whichever thread is idle takes the
 * next job, so uneven ranges balance out. `--workers N` means N threads in all: this thread,
 * once it has computed the analytic Jacobian, takes jobs too, beside N − 1 worker threads, which
 * start on first use and live for the whole run.
 */

/**
 * A range of columns for a thread to compute.
 *
 * @example
 * pool.start([{ source, derivative, inputIndex: 1, start: 0, end: 64, eps: CENTRAL_EPS, stencil: 'central', fingerprint: fingerprint(c) }], onDone)
 */
export interface ColumnsJob {
  id: number;
  source: CheckSource;
  derivative: Derivative;
  /** Position of the input in the case's inputs. */
  inputIndex: number;
  start: number;
  end: number;
  /** The relative step gradcheck resolved (so every thread uses the same). */
  eps: number;
  stencil: Stencil;
  /** `fingerprint` of the inputs in the main thread, to compare with the rebuilt ones. */
  fingerprint: string;
}

/**
 * A worker's answer: the columns (column-major, `(end − start) × outputSize`) or an error message.
 *
 * @example
 * worker.postMessage({ id: job.id, values } satisfies ColumnsReply, [values.buffer]);
 */
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
  throw new Error(
    'attograd check: the worker script dist/check/worker.js is missing; rebuild the CLI (pnpm build) or run with --workers 1',
  );
}

/**
 * Jobs handed out to the worker threads and, through `helpHere`, to this thread.
 *
 * @example
 * const work = pool.start(jobs, onDone);
 * await work.helpHere((job) => numericalJacobianColumns(fn, inputs, job.inputIndex, job.start, job.end).values);
 * await work.finished;
 */
export interface ColumnWork {
  /** Settles when every job is done (rejects with the first error a thread reports). */
  finished: Promise<void>;
  /** Computes jobs in this thread with `compute` until none is left, yielding between jobs. */
  helpHere(compute: (job: ColumnsJob) => Float64Array): Promise<void>;
}

/**
 * N − 1 worker threads computing Jacobian columns beside this one.
 *
 * @example
 * const pool = new ColumnPool(2); // this thread and one worker thread
 * // … pool.start(jobs, onDone) …
 * await pool.close();
 */
export class ColumnPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;

  /** @param threads threads in all, this one included (the `--workers` value, at least 2). */
  constructor(readonly threads: number) {}

  /** Starts `jobs` (without ids) on the worker threads, calling `onDone` as each range arrives. */
  start(jobs: readonly Omit<ColumnsJob, 'id'>[], onDone: (job: ColumnsJob, values: Float64Array) => void): ColumnWork {
    const queue = jobs.map((job) => ({ ...job, id: this.nextId++ }));
    const workers = this.spawn(Math.min(this.threads - 1, queue.length));
    const finished = Promise.all(workers.map((worker) => this.drain(worker, queue, onDone))).then(() => undefined);
    finished.catch(() => undefined); // observed by the caller after helpHere; no unhandled rejection meanwhile
    const helpHere = async (compute: (job: ColumnsJob) => Float64Array): Promise<void> => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        onDone(job, compute(job));
        // Let the worker threads' answers in before the next job.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return { finished, helpHere };
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }

  private drop(worker: Worker): void {
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
  }

  private spawn(count: number): Worker[] {
    while (this.workers.length < count) this.workers.push(new Worker(workerScript()));
    return this.workers.slice(0, count);
  }

  /** Feeds one worker thread from the shared queue until it is empty. */
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
