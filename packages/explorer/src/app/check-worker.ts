/// <reference lib="webworker" />
import { checkEntry, computeView, entryView } from '../model';
import type { ExplorerState } from '../state';

/**
 * The verdicts' finite differences (two forward passes per input element: seconds at T = 16,
 * d = 32), off the page's thread. The page posts the state and the entries still to check; the
 * worker answers entry by entry, and drops a job as soon as a newer one arrives.
 */
declare const self: DedicatedWorkerGlobalScope;

let latest = 0;

self.onmessage = (event: MessageEvent<{ job: number; state: ExplorerState; keys: string[] }>) => {
  const { job, state, keys } = event.data;
  latest = job;
  const view = computeView(state);
  const queue = [...keys];
  const next = (): void => {
    if (job !== latest) return;
    const key = queue.shift();
    if (key === undefined) return;
    const entry = entryView(view, key);
    {
      const { pass, maxRelative, worst } = checkEntry(entry, view.dtype);
      self.postMessage({ job, key, verdict: { pass, maxRelative, worst } });
    }
    setTimeout(next, 0);
  };
  setTimeout(next, 0);
};
