/**
 * A seeded random generator that gives the same numbers on every platform: xoshiro128**
 * (Blackman & Vigna) on 32-bit integer arithmetic, seeded through splitmix32. Uniform doubles use
 * 53 random bits; normal deviates use the Box–Muller transform.
 */
export interface Rng {
  /** The seed this generator started from. */
  readonly seed: number;
  /** A uniform integer in [0, 2³²). */
  nextUint32(): number;
  /** A uniform double in [0, 1). */
  uniform(): number;
  /** A standard normal deviate (mean 0, standard deviation 1). */
  normal(): number;
}

/**
 * Creates a generator from an integer seed. Equal seeds give equal sequences, on every platform.
 *
 * @throws TypeError when seed is not an integer.
 * @example
 * const r = rng(42);
 * const x = randn([3, 4], { rng: r }); // the same numbers on every machine
 */
export function rng(seed: number): Rng {
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new TypeError(`rng: seed must be an integer, got ${String(seed)}`);
  }
  return new Xoshiro128(seed);
}

/**
 * Whether `value` is a generator made by `rng(seed)`.
 *
 * @example
 * isRng(rng(0)) // true
 */
export function isRng(value: unknown): value is Rng {
  return value instanceof Xoshiro128;
}

class Xoshiro128 implements Rng {
  readonly seed: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.seed = seed;
    // splitmix32 spreads the seed over the four state words (never all zero).
    let state = (seed ^ Math.floor(seed / 0x100000000)) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  uniform(): number {
    // 27 high bits and 26 low bits make one 53-bit fraction.
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    // Box–Muller: 1 − u lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
