import { describe, expect, it } from 'vitest';
import { randn, rng, Tensor, tensor } from '@attograd/tensor';
import { decodeSafetensors, encodeSafetensors, stateDictFromJson, stateDictToJson } from './index';

/** A file assembled by hand: header length, header text, data bytes. */
function fileOf(header: string, data: number[] = []): Uint8Array {
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

describe('encodeSafetensors', () => {
  it('writes the layout of the format, byte for byte (a hand-checked file)', () => {
    const bytes = encodeSafetensors({ w: new Tensor(Float32Array.from([1, -2]), [2]) });
    const header = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(header.length).toBe(54); // padded with two spaces to 56, a multiple of 8
    expect(Array.from(bytes.subarray(0, 8))).toEqual([56, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(8, 64))).toBe(`${header}  `);
    // 1.0f = 0x3f800000 and −2.0f = 0xc0000000, little-endian.
    expect(Array.from(bytes.subarray(64))).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it('round-trips float64, float32 and int32 exactly, with metadata, in order', () => {
    const random = rng(1);
    const tensors = {
      'b.weight': randn([3, 4], { rng: random }),
      'a.bias': randn([5], { rng: random, dtype: 'float32' }),
      ids: new Tensor(Int32Array.from([0, -7, 2147483647]), [3]),
      scalar: tensor(Math.PI),
      empty: new Tensor(new Float64Array(0), [0, 3]),
      special: tensor([NaN, Infinity, -Infinity, -0]),
    };
    const { tensors: back, metadata } = decodeSafetensors(encodeSafetensors(tensors, { format: 'pt' }));
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.keys(back)).toEqual(Object.keys(tensors));
    for (const [name, t] of Object.entries(tensors)) {
      expect(back[name].dtype, name).toBe(t.dtype);
      expect(back[name].shape, name).toEqual(t.shape);
      expect(Array.from(back[name].data), name).toEqual(Array.from(t.data));
    }
    expect(Object.is(back.special.data[3], -0)).toBe(true);
  });

  it('starts the data at a multiple of 8 bytes (aligned float64 reads)', () => {
    for (const name of ['x', 'xy', 'xyz', 'a-longer-name']) {
      const bytes = encodeSafetensors({ [name]: tensor([1, 2]) });
      expect(new DataView(bytes.buffer).getUint32(0, true) % 8).toBe(0);
    }
  });

  it('names the problem with bad input', () => {
    expect(() => encodeSafetensors({ w: [1, 2] as never })).toThrow('encodeSafetensors: w must be a Tensor, got an array of length 2');
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow(/cannot be named "__metadata__"/);
    expect(() => encodeSafetensors({}, { n: 1 as never })).toThrow(/metadata values must be strings; n is number 1/);
  });
});

describe('decodeSafetensors', () => {
  it('reads F16 and BF16 (widened to float32) and I64 (narrowed to int32), hand-encoded', () => {
    // F16: 1.0 = 0x3c00, −2.5 = 0xc100, 65504 = 0x7bff, smallest subnormal 2⁻²⁴ = 0x0001.
    // BF16: 1.0 = 0x3f80, −3.0 = 0xc040.  I64: −5, 7.
    const data = [0x00, 0x3c, 0x00, 0xc1, 0xff, 0x7b, 0x01, 0x00, 0x80, 0x3f, 0x40, 0xc0];
    const i64 = [0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0, 0, 0, 0, 0];
    const header =
      '{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},"i":{"dtype":"I64","shape":[2],"data_offsets":[12,28]}}';
    const { tensors } = decodeSafetensors(fileOf(header, [...data, ...i64]));
    expect(Array.from(tensors.h.data)).toEqual([1, -2.5, 65504, 2 ** -24]);
    expect(tensors.h.dtype).toBe('float32');
    expect(Array.from(tensors.b.data)).toEqual([1, -3]);
    expect(tensors.i.dtype).toBe('int32');
    expect(Array.from(tensors.i.data)).toEqual([-5, 7]);
  });

  it('gives every tensor its own buffer (nothing aliases the bytes)', () => {
    const bytes = encodeSafetensors({ w: tensor([1, 2, 3]) });
    const { tensors } = decodeSafetensors(bytes);
    bytes.fill(0);
    expect(Array.from(tensors.w.data)).toEqual([1, 2, 3]);
  });

  it('reads from an ArrayBuffer and from a Uint8Array that is a view into a larger buffer', () => {
    const bytes = encodeSafetensors({ w: tensor([4, 5]) });
    const larger = new Uint8Array(bytes.length + 3);
    larger.set(bytes, 3);
    expect(Array.from(decodeSafetensors(larger.subarray(3)).tensors.w.data)).toEqual([4, 5]);
    expect(Array.from(decodeSafetensors(bytes.slice().buffer).tensors.w.data)).toEqual([4, 5]);
  });

  it.each([
    ['a file shorter than 8 bytes', new Uint8Array(5), /at least 8 bytes/],
    ['a header length beyond the file', fileOf('{}').subarray(0, 9), /header length 2 does not fit in a file of 9 bytes/],
    ['a header that is not JSON', fileOf('{nope'), /header is not valid UTF-8 JSON/],
    ['a header that is a list', fileOf('[1]'), /header must be a JSON object/],
    ['an unknown dtype', fileOf('{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', [0]), /w: dtype the string "U8" is not supported/],
    [
      'a shape that does not fit its bytes',
      fileOf('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Array(8).fill(0)),
      /w: shape \[3\] of F32 needs 12 bytes, but data_offsets \[0, 8\] hold 8/,
    ],
    [
      'a gap between tensors',
      fileOf('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Array(8).fill(0)),
      /w: data starts at byte 4 but the previous tensor ended at 0/,
    ],
    [
      'overlapping tensors',
      fileOf(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        new Array(8).fill(0),
      ),
      /data starts at byte 4 but the previous tensor ended at 8/,
    ],
    [
      'data past the last tensor',
      fileOf('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Array(8).fill(0)),
      /cover 4 bytes of data, but the file holds 8/,
    ],
    [
      'an I64 value beyond int32',
      fileOf('{"i":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', [0, 0, 0, 0, 1, 0, 0, 0]),
      /i: I64 value 4294967296 at index 0 does not fit in int32/,
    ],
  ])('rejects %s with a clear error', (_what, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(message);
    expect(() => decodeSafetensors(bytes)).toThrow(/^decodeSafetensors: /);
  });
});

describe('state dicts as JSON', () => {
  it('round-trip float64 bit for bit, float32 values and non-finite numbers', () => {
    const state = {
      w: randn([2, 3], { rng: rng(2) }),
      h: tensor([0.1, 1e-300], { dtype: 'float32' }),
      odd: tensor([NaN, -Infinity, Infinity, 5e-324]),
    };
    const back = stateDictFromJson(stateDictToJson(state));
    for (const [name, t] of Object.entries(state)) {
      expect(back[name].dtype).toBe(t.dtype);
      expect(back[name].shape).toEqual(t.shape);
      expect(Array.from(back[name].data)).toEqual(Array.from(t.data));
    }
  });

  it('rejects documents that are not state dicts, naming the tensor', () => {
    expect(() => stateDictFromJson('{')).toThrow(/stateDictFromJson: not valid JSON/);
    expect(() => stateDictFromJson('{"tensors":{}}')).toThrow(/expected \{ "format": "attograd-state-dict"/);
    const bad = JSON.stringify({ format: 'attograd-state-dict', version: 1, tensors: { w: { dtype: 'float64', shape: [2], data: [1] } } });
    expect(() => stateDictFromJson(bad)).toThrow('stateDictFromJson: w: shape [2] needs 2 values, got an array of length 1');
  });
});
