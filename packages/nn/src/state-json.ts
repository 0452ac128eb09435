import { describe, type DType, formatShape, rangeError, Tensor, typeError } from '@attograd/tensor';

/**
 * A state dict as plain JSON, for tiny models and for reading weights by eye:
 *   { "format": "attograd-state-dict", "version": 1,
 *     "tensors": { name: { "dtype": "float64", "shape": [2, 3], "data": [ … ] }, … } }
 * JSON numbers round-trip float64 exactly (JavaScript prints the shortest string that reads back
 * to the same double); NaN and ±Infinity, which JSON lacks, are written as the strings "NaN",
 * "Infinity" and "-Infinity".
 */

const FORMAT = 'attograd-state-dict';

/**
 * @example
 * writeFileSync('tiny.json', stateDictToJson(model.stateDict()));
 */
export function stateDictToJson(state: Record<string, Tensor>): string {
  const tensors: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(state)) {
    if (!(t instanceof Tensor)) throw typeError('stateDictToJson', `${name} must be a Tensor, got ${describe(t)}`);
    tensors[name] = { dtype: t.dtype, shape: t.shape, data: Array.from(t.data, (v) => (Number.isFinite(v) ? v : String(v))) };
  }
  return JSON.stringify({ format: FORMAT, version: 1, tensors });
}

/**
 * @throws RangeError when the text is not such a document, or a tensor's data do not fill its shape.
 * @example
 * model.loadStateDict(stateDictFromJson(readFileSync('tiny.json', 'utf8')));
 */
export function stateDictFromJson(text: string): Record<string, Tensor> {
  const fn = 'stateDictFromJson';
  let document: { format?: unknown; version?: unknown; tensors?: unknown };
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw rangeError(fn, `not valid JSON (${(error as Error).message})`);
  }
  if (document?.format !== FORMAT || document.version !== 1 || document.tensors === null || typeof document.tensors !== 'object') {
    throw rangeError(fn, `expected { "format": "${FORMAT}", "version": 1, "tensors": { … } }`);
  }
  const state: Record<string, Tensor> = {};
  for (const [name, entry] of Object.entries(document.tensors as Record<string, { dtype?: unknown; shape?: unknown; data?: unknown }>)) {
    const { dtype, shape, data } = entry ?? {};
    if (dtype !== 'float64' && dtype !== 'float32')
      throw rangeError(fn, `${name}: dtype must be "float64" or "float32", got ${describe(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      throw rangeError(fn, `${name}: shape must be an array of non-negative integers`);
    const size = shape.reduce((a: number, b: number) => a * b, 1);
    if (!Array.isArray(data) || data.length !== size)
      throw rangeError(fn, `${name}: shape ${formatShape(shape)} needs ${size} values, got ${describe(data)}`);
    const values = (dtype as DType) === 'float32' ? new Float32Array(size) : new Float64Array(size);
    data.forEach((v, i) => {
      const value = typeof v === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(v) ? Number(v) : v;
      if (typeof value !== 'number') throw rangeError(fn, `${name}: data[${i}] must be a number, got ${describe(v)}`);
      values[i] = value;
    });
    state[name] = new Tensor(values, shape);
  }
  return state;
}
