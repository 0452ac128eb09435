/// <reference lib="webworker" />
import { createTrainer, type Trainer } from '../train';

/**
 * The training loop, off the page's thread: steps run in batches of about 50 ms between messages,
 * so pause/step/resume answer within a batch and the page gets about 20 reports a second — a report
 * per few steps (thousands a second) kept its thread busy drawing and, as the loss curve grew,
 * froze it.
 */
declare const self: DedicatedWorkerGlobalScope;

let trainer: Trainer = createTrainer(0);
let running = false;

function report(): void {
  self.postMessage({ type: 'progress', step: trainer.steps, loss: trainer.loss, attention: Array.from(trainer.attention().data), running });
}

/** How long the worker trains between two reports: about 20 reports a second, whatever a step costs. */
const REPORT_EVERY_MS = 50;

function loop(): void {
  if (!running) return;
  const start = performance.now();
  do trainer.step();
  while (performance.now() - start < REPORT_EVERY_MS);
  report();
  setTimeout(loop, 0);
}

self.onmessage = (event: MessageEvent<{ type: string; seed?: number }>) => {
  const { type } = event.data;
  if (type === 'reset') {
    running = false;
    trainer = createTrainer(event.data.seed ?? 0);
    report();
  }
  if (type === 'start' && !running) {
    running = true;
    loop();
  }
  if (type === 'pause') {
    running = false;
    report();
  }
  if (type === 'step') {
    running = false;
    trainer.step();
    report();
  }
};
