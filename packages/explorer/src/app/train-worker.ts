/// <reference lib="webworker" />
import { createTrainer, type Trainer } from '../train';

/**
 * The training loop, off the page's thread: steps run in small batches between messages, so
 * pause/step/resume answer at once and the page never freezes.
 */
declare const self: DedicatedWorkerGlobalScope;

let trainer: Trainer = createTrainer(0);
let running = false;

function report(): void {
  self.postMessage({ type: 'progress', step: trainer.steps, loss: trainer.loss, attention: Array.from(trainer.attention().data), running });
}

function loop(): void {
  if (!running) return;
  for (let i = 0; i < 5; i++) trainer.step();
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
