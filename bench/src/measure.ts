import * as b from 'benny';
import type { Runner } from './work';

export interface Measurement {
  /** Median time of one run, in milliseconds. */
  medianMs: number;
  samples: number;
  /** Relative margin of error of the mean, in percent (benchmark.js's rme); 0 in quick mode. */
  rme: number;
}

/**
 * Times `runner.run` with benny (benchmark.js underneath: warm-up, calibrated cycles, at least
 * five samples). Quick mode runs it exactly once: a smoke test, not a measurement.
 */
export async function measure(name: string, runner: Runner, quick: boolean, maxSeconds: number): Promise<Measurement> {
  if (quick) {
    const started = performance.now();
    runner.run();
    return { medianMs: performance.now() - started, samples: 1, rme: 0 };
  }
  let summary: Awaited<ReturnType<typeof b.suite>> | undefined;
  const log = console.log;
  console.log = () => {}; // benny announces each suite; the table below says it all
  try {
    await b.suite(
      name,
      b.add(
        name,
        () => {
          runner.run();
        },
        { minSamples: 5, maxTime: maxSeconds },
      ),
      b.complete((result) => {
        summary = result;
      }),
    );
  } finally {
    console.log = log;
  }
  const result = summary?.results[0];
  if (result === undefined) throw new Error(`${name}: benny returned no result`);
  return { medianMs: result.details.median * 1000, samples: result.samples, rme: result.details.relativeMarginOfError };
}
