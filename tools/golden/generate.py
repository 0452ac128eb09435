#!/usr/bin/env python3
"""Generate golden test vectors for attograd from PyTorch (float64).

Writes:
  packages/ops/test/golden/ops.json
  packages/attention/test/golden/attention.json
  packages/ops/test/golden/training-ops.json

Run with Debian's system python (which has python3-torch installed):
  /usr/bin/python3 tools/golden/generate.py

Every case records the forward output, a seeded random cotangent, the
vector-Jacobian product of the output with that cotangent for each input
(torch.autograd.grad(out, inputs, cotangent) -- never a sum loss), and, for
selected cases, a Hessian-vector product of the scalar <f(x), c>.

The output is deterministic: all data comes from one
numpy.random.default_rng(SEED) stream, consumed in a fixed order.
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240601
DTYPE = torch.float64

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPS_PATH = os.path.join(REPO_ROOT, "packages", "ops", "test", "golden", "ops.json")
ATTN_PATH = os.path.join(
    REPO_ROOT, "packages", "attention", "test", "golden", "attention.json"
)
TRAINING_PATH = os.path.join(
    REPO_ROOT, "packages", "ops", "test", "golden", "training-ops.json"
)

rng = np.random.default_rng(SEED)
torch.set_default_dtype(DTYPE)


# ---------------------------------------------------------------------------
# Data helpers
# ---------------------------------------------------------------------------


def randn(*shape):
    """Standard normal float64 tensor drawn from the shared seeded rng."""
    return torch.tensor(rng.standard_normal(shape), dtype=DTYPE)


def positive(*shape):
    """Strictly positive values: 0.5 + |N(0,1)|."""
    return 0.5 + randn(*shape).abs()


def away_from_zero(*shape):
    """Values with |v| >= 0.5: sign(r) * (0.5 + |r|)."""
    r = randn(*shape)
    return torch.sign(r) * (0.5 + r.abs())


def binary(*shape):
    """0/1 float tensor (Bernoulli(0.5))."""
    return torch.tensor(rng.integers(0, 2, size=shape), dtype=DTYPE)


# ---------------------------------------------------------------------------
# JSON encoding
# ---------------------------------------------------------------------------


def encode_number(v):
    """JSON has no inf/nan: encode them as the strings JS Number() understands."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v  # Python float repr round-trips exactly through json


def encode_tensor(t):
    """{shape, data} with data flattened in row-major (C) order."""
    if t is None:
        return None
    t = t.detach().to(DTYPE)
    if t._is_zerotensor():  # e.g. abs's second derivative: a zero tensor without storage
        t = torch.zeros(t.shape, dtype=DTYPE)
    t = t.contiguous()
    return {
        "shape": list(t.shape),
        "data": [encode_number(v) for v in t.reshape(-1).tolist()],
    }


def encode_attrs(attrs):
    """Attrs may contain tensors (e.g. an attention mask); encode those too."""
    return {
        k: encode_tensor(v) if isinstance(v, torch.Tensor) else v
        for k, v in attrs.items()
    }


# ---------------------------------------------------------------------------
# Case construction
# ---------------------------------------------------------------------------


def grads_of(out, inputs, cotangent, create_graph=False):
    """VJP of `out` with `cotangent` w.r.t. each input (None if not differentiable).

    Inputs that are differentiable but do not influence the output get zeros.
    """
    diff = [x for x in inputs if x.requires_grad]
    gs = torch.autograd.grad(
        out, diff, cotangent, create_graph=create_graph, allow_unused=True
    )
    gs = [torch.zeros_like(x) if g is None else g for x, g in zip(diff, gs)]
    it = iter(gs)
    return [next(it) if x.requires_grad else None for x in inputs]


def make_case(name, op, fn, inputs, input_names, attrs=None, differentiable=None,
              hvp=False, intermediates=None):
    """Evaluate `fn(*inputs)` and record output, VJP and (optionally) HVP.

    differentiable: per-input bools; defaults to all True. Non-differentiable
    inputs (conditions, masks) get `null` grads.
    intermediates: optional callable(*inputs) -> dict name -> tensor, recorded
    as extra forward values.
    """
    attrs = attrs or {}
    if differentiable is None:
        differentiable = [True] * len(inputs)
    leaves = [x.detach().clone().requires_grad_(d) for x, d in zip(inputs, differentiable)]

    out = fn(*leaves)
    cotangent = randn(*out.shape)
    grads = grads_of(out, leaves, cotangent, create_graph=hvp)

    case = {
        "name": name,
        "op": op,
        "attrs": encode_attrs(attrs),
        "inputs": [encode_tensor(x) for x in leaves],
        "inputNames": list(input_names),
        "cotangent": encode_tensor(cotangent),
        "output": encode_tensor(out),
        "grads": [encode_tensor(g) for g in grads],
    }

    if hvp:
        # Hessian of the scalar <f(x), c> applied to a random direction v:
        #   g = d<f, c>/dx (with graph),  Hv = d(sum_i <g_i, v_i>)/dx.
        diff_idx = [i for i, d in enumerate(differentiable) if d]
        directions = [randn(*leaves[i].shape) for i in diff_idx]
        inner = sum((grads[i] * v).sum() for i, v in zip(diff_idx, directions))
        if inner.requires_grad:
            hv = grads_of(inner, leaves, None)
        else:  # a linear op: its gradient does not depend on the inputs, H = 0
            hv = [torch.zeros_like(x) if d else None for x, d in zip(leaves, differentiable)]
        case["hvp"] = {
            "direction": [encode_tensor(v) for v in directions],
            "result": [encode_tensor(h) for h in hv],
        }

    if intermediates is not None:
        with torch.no_grad():
            inter = intermediates(*leaves)
        case["intermediates"] = {k: encode_tensor(v) for k, v in inter.items()}

    return case


# ---------------------------------------------------------------------------
# ops.json
# ---------------------------------------------------------------------------


def softmax_with_mask_row():
    """x[3,4] where row 1 is partly -inf (never a fully -inf row: that is NaN)."""
    x = randn(3, 4)
    x[1, 1] = -math.inf
    x[1, 3] = -math.inf
    x[2, 0] = -math.inf
    return x


def no_ties(*shape):
    """Random values that are all distinct (so max has a unique argmax)."""
    x = randn(*shape)
    assert x.reshape(-1).unique().numel() == x.numel()
    return x


def build_ops_cases():
    cases = []
    add = cases.append

    # --- matmul (torch.matmul semantics, including batch broadcasting) ---
    add(make_case("matmul/2d", "matmul", torch.matmul,
                  [randn(3, 4), randn(4, 5)], ["a", "b"], hvp=True))
    add(make_case("matmul/batched-a", "matmul", torch.matmul,
                  [randn(2, 3, 4), randn(4, 5)], ["a", "b"]))
    add(make_case("matmul/broadcast-batch", "matmul", torch.matmul,
                  [randn(2, 1, 3, 4), randn(3, 4, 2)], ["a", "b"]))

    # --- transpose / permute ---
    add(make_case("transpose/last-two", "transpose",
                  lambda x: x.transpose(-2, -1),
                  [randn(2, 3, 4)], ["x"], attrs={"dim0": -2, "dim1": -1}))
    add(make_case("transpose/0-2", "transpose",
                  lambda x: x.transpose(0, 2),
                  [randn(2, 3, 4)], ["x"], attrs={"dim0": 0, "dim1": 2}))
    add(make_case("permute/2-0-1", "permute",
                  lambda x: x.permute(2, 0, 1),
                  [randn(2, 3, 4)], ["x"], attrs={"dims": [2, 0, 1]}))

    # --- scale ---
    add(make_case("scale/0.37", "scale", lambda x: x * 0.37,
                  [randn(3, 4)], ["x"], attrs={"factor": 0.37}))

    # --- softmax ---
    add(make_case("softmax/axis-1", "softmax", lambda x: torch.softmax(x, -1),
                  [randn(3, 5)], ["x"], attrs={"axis": -1}, hvp=True))
    add(make_case("softmax/axis0", "softmax", lambda x: torch.softmax(x, 0),
                  [randn(4, 3)], ["x"], attrs={"axis": 0}))
    add(make_case("softmax/axis-1/masked-row", "softmax",
                  lambda x: torch.softmax(x, -1),
                  [softmax_with_mask_row()], ["x"], attrs={"axis": -1}))
    add(make_case("softmax/axis-1/large-logits", "softmax",
                  lambda x: torch.softmax(x, -1),
                  [randn(2, 4) * 1e4], ["x"], attrs={"axis": -1}))

    # --- binary elementwise (broadcast + same shape) ---
    binary_ops = [
        ("add", torch.add, randn),
        ("sub", torch.sub, randn),
        ("mul", torch.mul, randn),
        ("div", torch.div, away_from_zero),  # denominator kept |b| >= 0.5
    ]
    for name, fn, make_b in binary_ops:
        add(make_case(f"{name}/broadcast", name, fn,
                      [randn(3, 1, 4), make_b(5, 4)], ["a", "b"]))
        add(make_case(f"{name}/same-shape", name, fn,
                      [randn(2, 3), make_b(2, 3)], ["a", "b"]))

    # --- unary elementwise ---
    add(make_case("neg", "neg", torch.neg, [randn(2, 3)], ["x"]))
    add(make_case("exp", "exp", torch.exp, [randn(2, 3)], ["x"]))
    add(make_case("log", "log", torch.log, [positive(2, 3)], ["x"]))
    add(make_case("sqrt", "sqrt", torch.sqrt, [positive(2, 3)], ["x"]))

    # --- reductions: all -> scalar, axis, axis with keepdims ---
    reductions = [
        ("sum", lambda x, **k: torch.sum(x, **k)),
        ("mean", lambda x, **k: torch.mean(x, **k)),
        # amax: for inputs without ties the gradient goes to the unique argmax.
        ("max", lambda x, **k: torch.amax(x, **k) if k else torch.max(x)),
    ]
    for name, fn in reductions:
        make_x = no_ties if name == "max" else randn
        add(make_case(f"{name}/all", name, lambda x, fn=fn: fn(x),
                      [make_x(3, 4, 5)], ["x"], attrs={}))
        add(make_case(f"{name}/axis1", name, lambda x, fn=fn: fn(x, dim=1),
                      [make_x(3, 4, 5)], ["x"], attrs={"axis": 1}))
        add(make_case(f"{name}/axis-1/keepdims", name,
                      lambda x, fn=fn: fn(x, dim=-1, keepdim=True),
                      [make_x(3, 4, 5)], ["x"], attrs={"axis": -1, "keepdims": True}))

    # --- reshape ---
    add(make_case("reshape/6x4", "reshape", lambda x: x.reshape(6, 4),
                  [randn(2, 3, 4)], ["x"], attrs={"shape": [6, 4]}))

    # --- where (condition stored as float 0/1; nonzero = take a) ---
    add(make_case("where/broadcast-b", "where",
                  lambda c, a, b: torch.where(c != 0, a, b),
                  [binary(3, 4), randn(3, 4), randn(1, 4)],
                  ["condition", "a", "b"], differentiable=[False, True, True]))

    # --- maskedFill (mask stored as float 0/1; 1 = fill with value) ---
    add(make_case("maskedFill/-1.5", "maskedFill",
                  lambda x, m: x.masked_fill(m != 0, -1.5),
                  [randn(3, 4), binary(3, 4)], ["x", "mask"],
                  attrs={"value": -1.5}, differentiable=[True, False]))

    # --- layerNorm over the last axis ---
    add(make_case("layerNorm/last-axis", "layerNorm",
                  lambda x, g, b: F.layer_norm(x, (x.shape[-1],), g, b, eps=1e-5),
                  [randn(2, 3, 6), randn(6), randn(6)], ["x", "gamma", "beta"],
                  attrs={"eps": 1e-5}, hvp=True))

    return cases


# ---------------------------------------------------------------------------
# attention.json
# ---------------------------------------------------------------------------


def attention_mask(scores, causal=False, mask=None):
    """Set disallowed score entries to -inf.

    causal: query i may attend only to keys j <= i.
    mask:   [T, T] 0/1 tensor, 1 = may attend (like a boolean SDPA attn_mask
            where True takes part); broadcast over leading batch/head dims.
    """
    T = scores.shape[-1]
    if causal:
        allowed = torch.ones(T, T, dtype=torch.bool).tril()
        scores = scores.masked_fill(~allowed, -math.inf)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -math.inf)
    return scores


def self_attention_parts(x, wq, wk, wv, causal=False, mask=None):
    """Single-head scaled dot-product self-attention, x @ W convention."""
    Q = x @ wq
    K = x @ wk
    V = x @ wv
    d_k = wq.shape[1]
    S = Q @ K.transpose(-2, -1)
    Shat = attention_mask(S / math.sqrt(d_k), causal, mask)
    P = torch.softmax(Shat, dim=-1)
    Z = P @ V
    return {"Q": Q, "K": K, "V": V, "S": S, "Shat": Shat, "P": P, "Z": Z}


def self_attention(x, wq, wk, wv, causal=False, mask=None):
    return self_attention_parts(x, wq, wk, wv, causal, mask)["Z"]


def multi_head_attention(x, wq, wk, wv, wo, heads, causal=False):
    """Head h uses columns h*d_k:(h+1)*d_k of Q/K/V (view(B,T,H,d_k) layout)."""
    B, T, d = x.shape
    d_k = d // heads

    def split(t):  # [B,T,d] -> [B,H,T,d_k]
        return t.view(B, T, heads, d_k).transpose(1, 2)

    Q, K, V = split(x @ wq), split(x @ wk), split(x @ wv)
    S = Q @ K.transpose(-2, -1) / math.sqrt(d_k)
    P = torch.softmax(attention_mask(S, causal), dim=-1)
    Z = (P @ V).transpose(1, 2).reshape(B, T, d)  # concat heads
    return Z @ wo


def attention_block(x, wq, wk, wv, gamma, beta, eps=1e-5, causal=False):
    """Y = layer_norm(x + selfAttention(x)) over the last axis."""
    h = x + self_attention(x, wq, wk, wv, causal=causal)
    return F.layer_norm(h, (x.shape[-1],), gamma, beta, eps=eps)


def random_attention_mask(T):
    """[T,T] 0/1 mask (1 = may attend) where every row has at least one 1."""
    m = binary(T, T)
    for i in range(T):
        if m[i].sum() == 0:
            m[i, int(rng.integers(0, T))] = 1.0
    return m


def build_attention_cases():
    cases = []
    add = cases.append
    sa_names = ["x", "wq", "wk", "wv"]

    add(make_case("selfAttention/basic", "selfAttention", self_attention,
                  [randn(3, 4), randn(4, 4), randn(4, 4), randn(4, 4)], sa_names,
                  hvp=True, intermediates=self_attention_parts))
    add(make_case("selfAttention/batched", "selfAttention", self_attention,
                  [randn(2, 5, 6), randn(6, 6), randn(6, 6), randn(6, 6)], sa_names))
    add(make_case("selfAttention/causal", "selfAttention",
                  lambda x, q, k, v: self_attention(x, q, k, v, causal=True),
                  [randn(4, 4), randn(4, 4), randn(4, 4), randn(4, 4)], sa_names,
                  attrs={"causal": True}))

    mask = random_attention_mask(4)
    add(make_case("selfAttention/mask", "selfAttention",
                  lambda x, q, k, v: self_attention(x, q, k, v, mask=mask),
                  [randn(4, 4), randn(4, 4), randn(4, 4), randn(4, 4)], sa_names,
                  attrs={"mask": mask}))

    add(make_case("selfAttention/dk1", "selfAttention", self_attention,
                  [randn(3, 2), randn(2, 1), randn(2, 1), randn(2, 2)], sa_names))
    add(make_case("selfAttention/T1", "selfAttention", self_attention,
                  [randn(1, 4), randn(4, 4), randn(4, 4), randn(4, 4)], sa_names))

    mha_names = ["x", "wq", "wk", "wv", "wo"]
    for causal in (False, True):
        attrs = {"heads": 2}
        if causal:
            attrs["causal"] = True
        add(make_case("multiHeadAttention/heads2" + ("/causal" if causal else ""),
                      "multiHeadAttention",
                      lambda x, q, k, v, o, c=causal: multi_head_attention(
                          x, q, k, v, o, heads=2, causal=c),
                      [randn(2, 3, 4)] + [randn(4, 4) for _ in range(4)],
                      mha_names, attrs=attrs))

    blk_names = ["x", "wq", "wk", "wv", "gamma", "beta"]
    add(make_case("attentionBlock/basic", "attentionBlock",
                  lambda x, q, k, v, g, b: attention_block(x, q, k, v, g, b, 1e-5),
                  [randn(3, 4), randn(4, 4), randn(4, 4), randn(4, 4),
                   randn(4), randn(4)], blk_names,
                  attrs={"eps": 1e-5}, hvp=True))
    add(make_case("attentionBlock/causal", "attentionBlock",
                  lambda x, q, k, v, g, b: attention_block(
                      x, q, k, v, g, b, 1e-5, causal=True),
                  [randn(2, 4, 4), randn(4, 4), randn(4, 4), randn(4, 4),
                   randn(4), randn(4)], blk_names,
                  attrs={"eps": 1e-5, "causal": True}))

    return cases



# ---------------------------------------------------------------------------
# training-ops.json: the ops of issue 13 (activations, losses, indexing, ...)
# ---------------------------------------------------------------------------
# Drawn after attention.json from the same stream, so the two files above keep
# their bytes. Integer indices (class targets, gather/embedding ids) go in
# `attrs` as nested lists: attograd takes them as int32 tensors, not inputs.


def with_values(x, positions, values):
    """x with x.view(-1)[p] = v for each pair: exact zeros, ties, bounds."""
    x = x.clone()
    flat = x.view(-1)
    for p, v in zip(positions, values):
        flat[p] = v
    return x


def cross_entropy_last_axis(x, targets, **kwargs):
    """F.cross_entropy with classes on the last axis (attograd's layout)."""
    C = x.shape[-1]
    t = torch.tensor(targets).reshape(-1)
    out = F.cross_entropy(x.reshape(-1, C), t, **kwargs)
    if kwargs.get("reduction") == "none":
        out = out.reshape(x.shape[:-1])
    return out


def nll_last_axis(x, targets, **kwargs):
    C = x.shape[-1]
    t = torch.tensor(targets).reshape(-1)
    out = F.nll_loss(x.reshape(-1, C), t, **kwargs)
    if kwargs.get("reduction") == "none":
        out = out.reshape(x.shape[:-1])
    return out


def build_training_cases():
    cases = []
    add = cases.append

    # --- activations (one HVP each) ---
    add(make_case("relu/zeros", "relu", torch.relu,
                  [with_values(randn(3, 4), [1, 6], [0.0, -0.0])], ["x"], hvp=True))
    add(make_case("erf", "erf", torch.erf, [randn(3, 4) * 2], ["x"], hvp=True))
    add(make_case("gelu/exact", "gelu", F.gelu, [randn(3, 4) * 3], ["x"],
                  attrs={"approximate": "none"}, hvp=True))
    add(make_case("gelu/tanh", "gelu", lambda x: F.gelu(x, approximate="tanh"),
                  [randn(3, 4) * 3], ["x"], attrs={"approximate": "tanh"}, hvp=True))
    add(make_case("tanh", "tanh", torch.tanh, [randn(3, 4) * 2], ["x"], hvp=True))
    add(make_case("sigmoid", "sigmoid", torch.sigmoid, [randn(3, 4) * 3], ["x"], hvp=True))
    # beta*x stays far below PyTorch's threshold 20 (where it returns x).
    add(make_case("softplus/beta-1.5", "softplus", lambda x: F.softplus(x, beta=1.5),
                  [randn(3, 4) * 3], ["x"], attrs={"beta": 1.5}, hvp=True))

    # --- element-wise ---
    add(make_case("pow/scalar-2.5", "powScalar", lambda a: a ** 2.5,
                  [positive(3, 4)], ["a"], attrs={"exponent": 2.5}, hvp=True))
    add(make_case("pow/scalar-3-any-sign", "powScalar", lambda a: a ** 3,
                  [randn(3, 4)], ["a"], attrs={"exponent": 3}))
    add(make_case("pow/tensor-broadcast", "pow", torch.pow,
                  [positive(3, 4), randn(4)], ["a", "b"], hvp=True))
    add(make_case("square", "square", torch.square, [randn(3, 4)], ["x"], hvp=True))
    add(make_case("abs/zero", "abs", torch.abs,
                  [with_values(randn(3, 4), [2], [0.0])], ["x"], hvp=True))
    add(make_case("clamp/bounds-hit", "clamp", lambda x: torch.clamp(x, -0.5, 0.8),
                  [with_values(randn(3, 4), [0, 5], [-0.5, 0.8])], ["x"],
                  attrs={"low": -0.5, "high": 0.8}, hvp=True))
    add(make_case("clamp/low-only", "clamp", lambda x: torch.clamp(x, min=0.1),
                  [randn(3, 4)], ["x"], attrs={"low": 0.1}))
    ties_a = with_values(randn(3, 4), [0, 5], [0.25, -1.0])
    ties_b = with_values(randn(4), [0, 1], [0.25, -1.0])
    add(make_case("maximum/ties-broadcast", "maximum", torch.maximum,
                  [ties_a, ties_b], ["a", "b"], hvp=True))
    add(make_case("minimum/ties-broadcast", "minimum", torch.minimum,
                  [ties_a.clone(), ties_b.clone()], ["a", "b"], hvp=True))

    # --- logsumexp / logSoftmax ---
    add(make_case("logsumexp/axis-1", "logsumexp", lambda x: torch.logsumexp(x, -1),
                  [randn(3, 5) * 3], ["x"], attrs={"axis": -1}, hvp=True))
    add(make_case("logsumexp/axes-0-2-keepdims", "logsumexp",
                  lambda x: torch.logsumexp(x, (0, 2), keepdim=True),
                  [randn(2, 3, 4)], ["x"], attrs={"axis": [0, 2], "keepdims": True}))
    add(make_case("logSoftmax/axis-1", "logSoftmax", lambda x: F.log_softmax(x, -1),
                  [randn(3, 5) * 3], ["x"], attrs={"axis": -1}, hvp=True))
    add(make_case("logSoftmax/axis0-large", "logSoftmax", lambda x: F.log_softmax(x, 0),
                  [randn(4, 3) * 300], ["x"], attrs={"axis": 0}))

    # --- losses ---
    t2 = [[0, 4, 2, 1], [3, -100, 0, 4]]
    add(make_case("crossEntropy/mean", "crossEntropy",
                  lambda x: cross_entropy_last_axis(x, [[0, 4, 2, 1], [3, 3, 0, 4]]),
                  [randn(2, 4, 5)], ["logits"], attrs={"targets": [[0, 4, 2, 1], [3, 3, 0, 4]]}, hvp=True))
    add(make_case("crossEntropy/ignore-smoothing", "crossEntropy",
                  lambda x: cross_entropy_last_axis(x, t2, ignore_index=-100, label_smoothing=0.1),
                  [randn(2, 4, 5)], ["logits"],
                  attrs={"targets": t2, "ignoreIndex": -100, "labelSmoothing": 0.1}, hvp=True))
    add(make_case("crossEntropy/none-ignore-2", "crossEntropy",
                  lambda x: cross_entropy_last_axis(x, [1, 2, 0, 2], ignore_index=2, reduction="none"),
                  [randn(4, 3)], ["logits"],
                  attrs={"targets": [1, 2, 0, 2], "ignoreIndex": 2, "reduction": "none"}))
    add(make_case("crossEntropy/sum-smoothing", "crossEntropy",
                  lambda x: cross_entropy_last_axis(x, [1, 2, 0], label_smoothing=0.3, reduction="sum"),
                  [randn(3, 3) * 4], ["logits"],
                  attrs={"targets": [1, 2, 0], "labelSmoothing": 0.3, "reduction": "sum"}))
    add(make_case("nllLoss/mean-ignore", "nllLoss",
                  lambda x: nll_last_axis(x, [2, 0, 1, 1], ignore_index=1),
                  [randn(4, 3)], ["logProbs"], attrs={"targets": [2, 0, 1, 1], "ignoreIndex": 1}, hvp=True))
    add(make_case("mseLoss/mean", "mseLoss", F.mse_loss,
                  [randn(3, 4), randn(3, 4)], ["input", "target"], hvp=True))
    add(make_case("mseLoss/sum", "mseLoss", lambda a, b: F.mse_loss(a, b, reduction="sum"),
                  [randn(3, 4), randn(3, 4)], ["input", "target"], attrs={"reduction": "sum"}))

    # --- indexing (repeated indices: the scatter-add must accumulate) ---
    gidx = [[0, 0, 3], [2, 1, 2], [3, 3, 3]]
    add(make_case("gather/axis1-repeats", "gather",
                  lambda x: torch.gather(x, 1, torch.tensor(gidx)),
                  [randn(3, 4)], ["x"], attrs={"axis": 1, "index": gidx}, hvp=True))
    add(make_case("indexSelect/axis1-repeats", "indexSelect",
                  lambda x: torch.index_select(x, 1, torch.tensor([3, 0, 3, 1, 3])),
                  [randn(2, 4, 3)], ["x"], attrs={"axis": 1, "index": [3, 0, 3, 1, 3]}, hvp=True))
    ids = [[4, 1, 4], [0, 4, 2]]
    add(make_case("embedding/repeats", "embedding",
                  lambda w: F.embedding(torch.tensor(ids), w),
                  [randn(5, 3)], ["table"], attrs={"ids": ids}, hvp=True))
    add(make_case("tril/diag1", "tril", lambda x: torch.tril(x, 1),
                  [randn(2, 3, 4)], ["x"], attrs={"diagonal": 1}, hvp=True))
    add(make_case("triu/diag-1", "triu", lambda x: torch.triu(x, -1),
                  [randn(4, 3)], ["x"], attrs={"diagonal": -1}, hvp=True))

    # --- shape and statistics (1.13 takes `unbiased`: correction 1 = True, 0 = False) ---
    add(make_case("squeeze/all", "squeeze", torch.squeeze,
                  [randn(2, 1, 3, 1)], ["x"], hvp=True))
    add(make_case("unsqueeze/-2", "unsqueeze", lambda x: torch.unsqueeze(x, -2),
                  [randn(2, 3)], ["x"], attrs={"axis": -2}, hvp=True))
    add(make_case("expand/-1", "expand", lambda x: x.expand(2, -1, 4),
                  [randn(3, 1)], ["x"], attrs={"shape": [2, -1, 4]}, hvp=True))
    add(make_case("variance/unbiased-axes", "variance",
                  lambda x: torch.var(x, (0, 2), unbiased=True),
                  [randn(3, 4, 2)], ["x"], attrs={"axis": [0, 2], "correction": 1}, hvp=True))
    add(make_case("variance/biased-keepdims", "variance",
                  lambda x: torch.var(x, 1, unbiased=False, keepdim=True),
                  [randn(3, 4)], ["x"], attrs={"axis": 1, "correction": 0, "keepdims": True}))
    add(make_case("std/unbiased", "std", lambda x: torch.std(x, -1, unbiased=True),
                  [randn(3, 5)], ["x"], attrs={"axis": -1, "correction": 1}, hvp=True))
    add(make_case("std/all-biased", "std", lambda x: torch.std(x, unbiased=False),
                  [randn(2, 3)], ["x"], attrs={"correction": 0}))

    return cases


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def write(path, cases):
    doc = {"generator": f"PyTorch {torch.__version__} (float64)", "cases": cases}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        # allow_nan=False: non-finite values must already be encoded as strings.
        json.dump(doc, f, allow_nan=False, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path, REPO_ROOT)}: {len(cases)} cases, "
          f"{os.path.getsize(path)} bytes")


def main():
    # Order matters for determinism: ops first, then attention (shared rng).
    write(OPS_PATH, build_ops_cases())
    write(ATTN_PATH, build_attention_cases())
    write(TRAINING_PATH, build_training_cases())


if __name__ == "__main__":
    main()
