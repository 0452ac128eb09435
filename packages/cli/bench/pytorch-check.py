#!/usr/bin/env python3
"""PyTorch 1.13's torch.autograd.gradcheck of single-head self-attention, float64, one thread.

The problem `attograd check selfAttention --seq T --dmodel D` checks: X [T, D] and W_q, W_k, W_v
[D, D] all differentiable, Z = softmax(X W_q (X W_k)^T / sqrt(D)) X W_v. Full Jacobian (fast_mode
off, PyTorch's default). Prints one JSON line: wall seconds and CPU seconds of each run, their
medians, and whether every check passed.

  /usr/bin/python3 bench/pytorch-check.py [--seq 16] [--dmodel 32] [--runs 7]
"""
import argparse
import json
import math
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument('--seq', type=int, default=16)
parser.add_argument('--dmodel', type=int, default=32)
parser.add_argument('--runs', type=int, default=7)
args = parser.parse_args()

torch.set_num_threads(1)
generator = torch.Generator().manual_seed(0)
t, d = args.seq, args.dmodel


def draw(*shape, scale=1.0):
    return (torch.randn(*shape, generator=generator, dtype=torch.float64) * scale).requires_grad_(True)


x = draw(t, d)
wq, wk, wv = (draw(d, d, scale=1 / math.sqrt(d)) for _ in range(3))


def self_attention(x, wq, wk, wv):
    q, k, v = x @ wq, x @ wk, x @ wv
    p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)
    return p @ v


ok = torch.autograd.gradcheck(self_attention, (x, wq, wk, wv))  # one warm-up run
seconds, cpu = [], []
for _ in range(args.runs):
    started, started_cpu = time.perf_counter(), time.process_time()
    ok = torch.autograd.gradcheck(self_attention, (x, wq, wk, wv)) and ok
    seconds.append(time.perf_counter() - started)
    cpu.append(time.process_time() - started_cpu)


def median(values):
    return sorted(values)[len(values) // 2]


print(json.dumps({'torch': torch.__version__, 'seconds': seconds, 'median': median(seconds), 'cpu': cpu, 'medianCpu': median(cpu), 'ok': bool(ok)}))
