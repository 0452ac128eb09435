#!/usr/bin/env python3
"""PyTorch 1.13's pow at the special values where JavaScript's ** differs from C's pow.

JavaScript: 1 ** NaN, 1 ** ±Infinity and (−1) ** ±Infinity are NaN. C99/IEEE 754 pow (and so
PyTorch): pow(1, y) = 1 for every y, NaN included, and pow(−1, ±∞) = 1. Both give x^0 = 1 for
every x, NaN included. This records the value and the gradients of all three call forms
(tensor ^ tensor, tensor ^ number, number ^ tensor) at those points and a few neighbours, with a
fixed non-trivial cotangent per element.

Writes packages/ops/test/golden/pow-special-values.json. Run with Debian's system python:
  /usr/bin/python3 tools/golden/pow_special_values.py
"""
import json
import math
import os

import torch

from generate import encode_number

torch.set_default_dtype(torch.float64)
nan, inf = math.nan, math.inf
PAIRS = [(1.0, nan), (1.0, inf), (1.0, -inf), (-1.0, inf), (-1.0, -inf), (nan, 0.0), (nan, -0.0),
         (0.0, 0.0), (-1.0, nan), (2.0, nan), (0.5, inf), (2.0, -inf), (1.0, 2.0)]
COTANGENT = [0.7, -1.3, 0.45, 1.1, -0.35, 0.9, -0.6, 1.7, 0.25, -0.8, 1.25, 0.55, -1.05]


def main():
    a_values = [a for a, _ in PAIRS]
    b_values = [b for _, b in PAIRS]
    g = torch.tensor(COTANGENT)
    a = torch.tensor(a_values, requires_grad=True)
    b = torch.tensor(b_values, requires_grad=True)
    c = torch.pow(a, b)
    d_a, d_b = torch.autograd.grad(c, [a, b], g)
    scalar = []
    for i, (x, p) in enumerate(PAIRS):
        if math.isnan(p):
            continue  # attograd rejects a NaN number exponent
        xa = torch.tensor([x], requires_grad=True)
        out = torch.pow(xa, p)
        (grad,) = torch.autograd.grad(out, [xa], g[i:i + 1])
        scalar.append({"a": encode_number(x), "exponent": encode_number(p), "cotangent": COTANGENT[i],
                       "c": encode_number(out.item()), "dA": encode_number(grad.item())})
    number_base = []
    for i, (x, p) in enumerate(PAIRS):
        if math.isnan(x):
            continue
        pb = torch.tensor([p], requires_grad=True)
        out = torch.pow(x, pb)
        (grad,) = torch.autograd.grad(out, [pb], g[i:i + 1])
        number_base.append({"base": encode_number(x), "b": encode_number(p), "cotangent": COTANGENT[i],
                            "c": encode_number(out.item()), "dB": encode_number(grad.item())})
    doc = {
        "generator": f"tools/golden/pow_special_values.py, PyTorch {torch.__version__}, float64",
        "tensorTensor": {
            "a": [encode_number(v) for v in a_values], "b": [encode_number(v) for v in b_values],
            "cotangent": COTANGENT, "c": [encode_number(v) for v in c.tolist()],
            "dA": [encode_number(v) for v in d_a.tolist()], "dB": [encode_number(v) for v in d_b.tolist()],
        },
        "tensorNumber": scalar,
        "numberTensor": number_base,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "packages", "ops", "test", "golden", "pow-special-values.json")
    with open(target, "w") as f:
        json.dump(doc, f, allow_nan=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
