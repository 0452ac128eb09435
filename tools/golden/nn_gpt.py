#!/usr/bin/env python3
"""PyTorch 1.13 (float64) reference for @attograd/nn's GPT.

Reads weights that attograd wrote (safetensors, parsed here by hand: no safetensors package),
builds the same model from torch.nn modules (Embedding, MultiheadAttention, LayerNorm, Linear,
exact GELU), and records for each model:
  - the logits of a batch of ids,
  - the mean cross-entropy against targets (one position ignored, ignore_index=-100) and the
    gradient of that loss with respect to every parameter,
  - the vector-Jacobian product of the logits with a seeded random cotangent, for every parameter.
It also writes a model initialised by PyTorch with its own safetensors writer (written here by
hand too), with that model's logits, so the test reads a file attograd did not write.

Inputs (made by `npx tsx packages/nn/test/golden/make-weights.ts`):
  packages/nn/test/golden/gpt-untied.safetensors, gpt-tied.safetensors, gpt-inputs.safetensors
Outputs:
  packages/nn/test/golden/gpt-torch.safetensors, packages/nn/test/golden/gpt.json

Run with Debian's python (which has python3-torch):  /usr/bin/python3 tools/golden/nn_gpt.py
"""

import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "packages", "nn", "test", "golden")
# Must match packages/nn/test/golden/config.ts.
CONFIG = dict(vocab_size=7, block_size=5, d_model=8, heads=2, layers=2, hidden=12)

torch.set_default_dtype(torch.float64)

DTYPES = {"F64": "<f8", "F32": "<f4", "I32": "<i4", "I64": "<i8"}


def read_safetensors(path):
    """8-byte little-endian header length, JSON header, then the raw little-endian data."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length].decode("utf-8"))
    data = raw[8 + length :]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        values = np.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(values.copy())
    return tensors, metadata


def write_safetensors(path, tensors):
    """The same layout, float64 only, header padded with spaces to a multiple of 8 bytes."""
    header, offset, chunks = {}, 0, []
    for name, t in tensors.items():
        b = t.detach().contiguous().numpy().astype("<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


class FeedForward(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.fc1 = nn.Linear(d, hidden)
        self.fc2 = nn.Linear(hidden, d)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm: h = x + attention(ln1(x)); y = h + mlp(ln2(h))."""

    def __init__(self, d, heads, hidden):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attention = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = FeedForward(d, hidden)

    def forward(self, x, blocked):
        a = self.ln1(x)
        h = x + self.attention(a, a, a, attn_mask=blocked, need_weights=False)[0]
        return h + self.mlp(self.ln2(h))


class GPT(nn.Module):
    def __init__(self, tied):
        super().__init__()
        c = CONFIG
        self.tied = tied
        self.tokenEmbedding = nn.Embedding(c["vocab_size"], c["d_model"])
        self.positionEmbedding = nn.Embedding(c["block_size"], c["d_model"])
        self.blocks = nn.ModuleList([Block(c["d_model"], c["heads"], c["hidden"]) for _ in range(c["layers"])])
        self.finalNorm = nn.LayerNorm(c["d_model"])
        if not tied:
            self.head = nn.Linear(c["d_model"], c["vocab_size"], bias=False)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.tokenEmbedding(ids) + self.positionEmbedding.weight[:t]
        # nn.MultiheadAttention's boolean mask: True = may NOT attend (above the diagonal).
        blocked = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        for block in self.blocks:
            x = block(x, blocked)
        x = self.finalNorm(x)
        head = self.tokenEmbedding.weight if self.tied else self.head.weight
        return F.linear(x, head)


def as_list(t):
    return t.detach().reshape(-1).tolist()


def record(model, ids, targets, cotangent):
    names = [name for name, _ in model.named_parameters()]
    params = [p for _, p in model.named_parameters()]
    logits = model(ids)
    vocab = logits.shape[-1]
    loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1), ignore_index=-100)
    loss_grads = torch.autograd.grad(loss, params, retain_graph=True)
    vjp = torch.autograd.grad(logits, params, grad_outputs=cotangent)
    return {
        "logits": {"shape": list(logits.shape), "data": as_list(logits)},
        "loss": loss.item(),
        "lossGrads": {n: {"shape": list(g.shape), "data": as_list(g)} for n, g in zip(names, loss_grads)},
        "vjp": {n: {"shape": list(g.shape), "data": as_list(g)} for n, g in zip(names, vjp)},
    }


def main():
    inputs, _ = read_safetensors(os.path.join(GOLDEN, "gpt-inputs.safetensors"))
    ids = inputs["ids"].long()
    targets = inputs["targets"].long()
    cotangent = inputs["cotangent"]
    out = {
        "generator": "tools/golden/nn_gpt.py, torch " + torch.__version__ + ", float64",
        "config": CONFIG,
        "models": {},
    }
    for kind in ("untied", "tied"):
        state, metadata = read_safetensors(os.path.join(GOLDEN, "gpt-%s.safetensors" % kind))
        assert metadata == {"writer": "attograd"}, metadata
        model = GPT(tied=(kind == "tied"))
        model.load_state_dict(state, strict=True)  # every name and shape must match
        out["models"][kind] = record(model, ids, targets, cotangent)

    # A model PyTorch initialised itself, in a file written here (not by attograd).
    torch.manual_seed(13)
    model = GPT(tied=False)
    write_safetensors(os.path.join(GOLDEN, "gpt-torch.safetensors"), model.state_dict())
    out["models"]["torch-initialised"] = {"logits": {"shape": [*ids.shape, CONFIG["vocab_size"]], "data": as_list(model(ids))}}

    with open(os.path.join(GOLDEN, "gpt.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
