/// <reference lib="webworker" />
import { type BlockView, checkEntry, computeView, entryView, nudgeSweep } from '../model';
import { type ExplorerState, problemKey } from '../state';

/**
 * The page's slow work, off its thread: the nudge panel's step-size sweep, then the verdicts'
 * finite differences (two forward passes per input element: seconds at T = 16, d = 32). The page
 * posts the state, whether it needs the sweep, and the entries still to check; the worker answers
 * the sweep first, then entry by entry, and drops a job as soon as a newer one
 * arrives (it reads it between two answers).
 */
declare const self: DedicatedWorkerGlobalScope;

let latest = 0;
/** The view of the last problem asked about (a job for the same problem reuses it). */
let cached: { key: string; view: BlockView } | undefined;

function viewOf(state: ExplorerState): BlockView {
  const key = problemKey(state);
  if (cached?.key !== key) cached = { key, view: computeView(state) };
  return cached.view;
}

self.onmessage = (event: MessageEvent<{ job: number; state: ExplorerState; keys: string[]; sweep: boolean }>) => {
  const { job, state, keys, sweep } = event.data;
  latest = job;
  const tasks: Array<() => void> = [];
  if (sweep) {
    tasks.push(() => {
      const rows = nudgeSweep(viewOf(state)).map(({ eps, maxAbsError, maxRelError }) => ({ eps, maxAbsError, maxRelError }));
      self.postMessage({ job, sweep: rows });
    });
  }
  for (const key of keys) {
    tasks.push(() => {
      const view = viewOf(state);
      const { pass, maxRelative, worst } = checkEntry(entryView(view, key), view.dtype);
      self.postMessage({ job, key, verdict: { pass, maxRelative, worst } });
    });
  }
  const next = (): void => {
    if (job !== latest) return;
    const task = tasks.shift();
    if (task === undefined) return;
    task();
    setTimeout(next, 0);
  };
  setTimeout(next, 0);
};
