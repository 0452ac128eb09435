#!/usr/bin/python3
"""Reference trajectories for @attograd/optim from PyTorch's optimizers (float64).

Writes packages/optim/test/golden/trajectories.json. Run with Debian's system python, the one
python3-torch is installed for (PyTorch 1.13):

    /usr/bin/python3 packages/optim/scripts/golden.py

No model is involved: every case lists the initial parameters and the gradient of every
parameter at every step (drawn once from a seeded generator and stored in the JSON), so the
TypeScript test can hand the very same gradients to its optimizer. A case then records what
PyTorch did with them: the parameters after each step, the learning rate each step used (for
cases with a schedule) and the total norm clip_grad_norm_ returned (for clipping cases).

Order within one step, as in a training loop:
    set .grad  ->  clip_grad_norm_ (if any)  ->  optimizer.step()  ->  scheduler.step() (if any)

The output is deterministic: one numpy.random.default_rng(SEED) stream, consumed in case order.
"""

import json
import math
import os
import warnings

import numpy as np
import torch

SEED = 20261130
STEPS = 10
DTYPE = torch.float64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "trajectories.json")

rng = np.random.default_rng(SEED)
# SequentialLR calls scheduler.step(0) at a milestone, which PyTorch 1.13 flags as deprecated.
warnings.filterwarnings("ignore", message="The epoch parameter")
torch.set_default_dtype(DTYPE)

# Two parameters of different shapes: a 2x3 matrix and a bias of 3.
SHAPES = [(2, 3), (3,)]


def encode(t):
    values = t.detach().reshape(-1).tolist()
    return {"shape": list(t.shape), "data": values}


def draw(shape, scale=1.0):
    return torch.tensor(rng.standard_normal(shape) * scale, dtype=DTYPE)


def torch_options(kind, options):
    """attograd option names -> PyTorch keyword arguments."""
    names = {"lr": "lr", "momentum": "momentum", "dampening": "dampening", "nesterov": "nesterov",
             "weightDecay": "weight_decay", "betas": "betas", "eps": "eps", "amsgrad": "amsgrad",
             "maximize": "maximize"}
    out = {names[k]: (tuple(v) if k == "betas" else v) for k, v in options.items()}
    if kind != "SGD":
        out["foreach"] = False  # the per-tensor formulas, written out in adam.py / adamw.py
    return out


def make_optimizer(kind, params, groups, defaults):
    torch_groups = [{"params": [params[i] for i in g["params"]], **torch_options(kind, g.get("options", {}))} for g in groups]
    cls = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}[kind]
    return cls(torch_groups, **torch_options(kind, defaults))


def make_scheduler(optimizer, spec):
    kind = spec["type"]
    if kind == "StepLR":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=spec["stepSize"], gamma=spec["gamma"])
    if kind == "CosineAnnealingLR":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=spec["tMax"], eta_min=spec["etaMin"])
    if kind == "LinearLR":
        return torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=spec["startFactor"],
                                                 end_factor=spec["endFactor"], total_iters=spec["totalIters"])
    if kind == "SequentialLR":
        inner = [make_scheduler(optimizer, s) for s in spec["schedulers"]]
        return torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=inner, milestones=spec["milestones"])
    raise ValueError(kind)


def run(name, kind, defaults, groups=None, scheduler=None, clip=None, grad_scale=1.0, missing=()):
    """One trajectory. `missing` lists (step, param) pairs whose gradient is None at that step."""
    initial = [draw(s) for s in SHAPES]
    grads = [[None if (step, i) in missing else draw(s, grad_scale) for i, s in enumerate(SHAPES)] for step in range(STEPS)]
    if groups is None:
        groups = [{"params": list(range(len(SHAPES)))}]

    params = [p.clone().requires_grad_(True) for p in initial]
    optimizer = make_optimizer(kind, params, groups, defaults)
    sched = make_scheduler(optimizer, scheduler) if scheduler else None

    after, lrs, norms = [], [], []
    for step in range(STEPS):
        for p, g in zip(params, grads[step]):
            p.grad = None if g is None else g.clone()
        if clip:
            norm = torch.nn.utils.clip_grad_norm_(params, clip["maxNorm"], norm_type=clip["normType"])
            norms.append(float(norm))
        lrs.append([group["lr"] for group in optimizer.param_groups])
        optimizer.step()
        if sched:
            sched.step()
        after.append([encode(p) for p in params])

    case = {
        "name": name,
        "optimizer": kind,
        "defaults": defaults,
        "groups": groups,
        "initial": [encode(p) for p in initial],
        "grads": [[None if g is None else encode(g) for g in step] for step in grads],
        "expected": {"params": after, "lrs": lrs},
    }
    if scheduler:
        case["scheduler"] = scheduler
    if clip:
        case["clip"] = clip
        case["expected"]["totalNorms"] = norms
    return case


def json_number(value):
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return str(value).replace("inf", "Infinity").replace("nan", "NaN")
    return value


def encode_special(obj):
    if isinstance(obj, dict):
        return {k: encode_special(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [encode_special(v) for v in obj]
    return json_number(obj)


cases = [
    run("sgd/plain", "SGD", {"lr": 0.1}),
    run("sgd/momentum", "SGD", {"lr": 0.05, "momentum": 0.9}),
    run("sgd/momentum-dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
    run("sgd/nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    run("sgd/weight-decay", "SGD", {"lr": 0.1, "weightDecay": 0.05}),
    run("sgd/momentum-weight-decay", "SGD", {"lr": 0.05, "momentum": 0.8, "weightDecay": 0.1}),
    run("sgd/maximize", "SGD", {"lr": 0.1, "momentum": 0.5, "maximize": True}),
    run("adam/defaults", "Adam", {"lr": 0.01}),
    run("adam/weight-decay", "Adam", {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.1}),
    run("adam/amsgrad", "Adam", {"lr": 0.02, "amsgrad": True}),
    run("adamw/defaults", "AdamW", {"lr": 0.01}),
    run("adamw/weight-decay-amsgrad", "AdamW", {"lr": 0.05, "betas": [0.85, 0.95], "eps": 1e-5, "weightDecay": 0.3, "amsgrad": True}),
    run("adamw/maximize", "AdamW", {"lr": 0.01, "weightDecay": 0.1, "maximize": True}),
    run("adam/missing-gradients", "Adam", {"lr": 0.01}, missing={(0, 1), (1, 1), (4, 0), (7, 1)}),
    run("sgd/param-groups", "SGD", {"lr": 0.1, "momentum": 0.9},
        groups=[{"params": [0], "options": {"lr": 0.02, "nesterov": True}}, {"params": [1], "options": {"momentum": 0.5, "weightDecay": 0.2}}]),
    run("adamw/param-groups", "AdamW", {"lr": 0.01, "weightDecay": 0.1},
        groups=[{"params": [0]}, {"params": [1], "options": {"weightDecay": 0.0, "lr": 0.03}}]),
    run("sgd/step-lr", "SGD", {"lr": 0.1, "momentum": 0.9}, scheduler={"type": "StepLR", "stepSize": 3, "gamma": 0.5}),
    run("adam/cosine-annealing-lr", "Adam", {"lr": 0.05}, scheduler={"type": "CosineAnnealingLR", "tMax": 8, "etaMin": 0.001}),
    run("adamw/linear-lr", "AdamW", {"lr": 0.05}, scheduler={"type": "LinearLR", "startFactor": 0.25, "endFactor": 1.0, "totalIters": 4}),
    run("adamw/warmup-then-cosine", "AdamW", {"lr": 0.05, "weightDecay": 0.1},
        scheduler={"type": "SequentialLR", "milestones": [3], "schedulers": [
            {"type": "LinearLR", "startFactor": 0.1, "endFactor": 1.0, "totalIters": 3},
            {"type": "CosineAnnealingLR", "tMax": 7, "etaMin": 0.0}]}),
    run("sgd/clip-grad-norm", "SGD", {"lr": 0.1, "momentum": 0.9}, clip={"maxNorm": 1.0, "normType": 2.0}, grad_scale=2.0),
    run("adamw/clip-grad-norm-inf", "AdamW", {"lr": 0.01}, clip={"maxNorm": 0.75, "normType": math.inf}, grad_scale=2.0),
    run("adam/clip-grad-norm-1-not-clipping", "Adam", {"lr": 0.01}, clip={"maxNorm": 100.0, "normType": 1.0}),
    run("adam/clip-grad-norm-3", "Adam", {"lr": 0.01}, clip={"maxNorm": 0.5, "normType": 3.0}, grad_scale=1.5,
        missing={(2, 0)}),
]

document = {"generator": f"PyTorch {torch.__version__} (float64)", "steps": STEPS, "cases": cases}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(encode_special(document), f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(OUT)}")
