"""Reference trajectories of torch.optim.SGD and torch.optim.AdamW for Tests/EngineTests/OptimizerTests.swift.

Run:  $HOME/.venvs/anchor/bin/python tools/optim_reference.py
It prints Swift array literals; paste them into OptimizerTests.swift (`TorchReference`).

The scenario mirrors YOLOv5's three groups (biases; weights with decay; BatchNorm weights) with lr
and momentum changed before every step as in warmup, and one parameter that never gets a gradient.
Gradients are g = c*p + d in float32, so they depend on the trajectory. The Swift test rebuilds
the same numbers from the same formulas.
"""
import numpy as np
import torch

STEPS = 5
SHAPES = [[5], [3, 7], [2], [3]]  # group 0: p0; group 1: p1; group 2: p2 and p3 (p3 gets no gradient)
GROUPS = [[0], [1], [2, 3]]
DECAY = [0.0, 0.05, 0.0]


def values(t, n):
    p = [(((j + 7 * t) * 37) % 23 - 11) / 8 for j in range(n)]
    c = [0.5 + ((j + t) % 5) * 0.25 for j in range(n)]
    d = [(((j + 3 * t) * 13) % 9 - 4) / 16 for j in range(n)]
    return p, c, d


def hyper(group, k):
    """lr and momentum of `group` before step k (0-based)."""
    momentum = 0.8 + 0.03 * k
    lr = 0.1 - 0.018 * k if group == 0 else 0.002 + 0.004 * k
    return lr, momentum


def run(make):
    params, consts = [], []
    for t, shape in enumerate(SHAPES):
        n = int(np.prod(shape))
        p, c, d = values(t, n)
        params.append(torch.tensor(p, dtype=torch.float32).reshape(shape).requires_grad_(False))
        consts.append([torch.tensor(x, dtype=torch.float32).reshape(shape) for x in (c, d)])
    opt = make([{"params": [params[i] for i in g], "weight_decay": DECAY[j]} for j, g in enumerate(GROUPS)])
    for k in range(STEPS):
        for j, group in enumerate(opt.param_groups):
            lr, momentum = hyper(j, k)
            group["lr"] = lr
            if "momentum" in group:
                group["momentum"] = momentum
            else:
                group["betas"] = (momentum, 0.999)
        for t, p in enumerate(params[:3]):
            c, d = consts[t]
            p.grad = c * p + d
        opt.step()
    return params


def swift(name, params):
    """`params` as a Swift [[Float]] literal, six values a line."""
    rows = []
    for p in params:
        text = [np.format_float_scientific(np.float32(v), unique=True) for v in p.flatten().tolist()]
        lines = [", ".join(text[i : i + 6]) for i in range(0, len(text), 6)]
        rows.append("        [\n            " + ",\n            ".join(lines) + ",\n        ],")
    print(f"    static let {name}: [[Float]] = [\n" + "\n".join(rows) + "\n    ]")


print(f"    // torch {torch.__version__}, tools/optim_reference.py")
swift("sgd", run(lambda groups: torch.optim.SGD(groups, lr=0.01, momentum=0.9)))
swift("sgdNesterov", run(lambda groups: torch.optim.SGD(groups, lr=0.01, momentum=0.9, nesterov=True)))
swift("adamW", run(lambda groups: torch.optim.AdamW(groups, lr=0.01, betas=(0.9, 0.999), eps=1e-8)))
