"""PyTorch side of `studyctl bench --ops`: the same op families on the same shapes (dev only).

Run with the anchor venv (../shared/anchors/README.md):
    $HOME/.venvs/anchor/bin/python bench/torch_ops.py --threads 2 --iterations 20
Prints JSON in the format of `studyctl bench --ops --json`. bench/compare_ops.sh runs both.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F


def conv(name, x, o, k, stride, groups):
    c = x[1]
    pad = k // 2
    oh = (x[2] + 2 * pad - k) // stride + 1
    ow = (x[3] + 2 * pad - k) // stride + 1
    flops = 2.0 * x[0] * o * oh * ow * (c // groups) * k * k / 1e9
    return name, x, [(o, c // groups, k, k)], flops, lambda x, p: F.conv2d(x, p[0], stride=stride, padding=pad, groups=groups)


def batchnorm(x, p):
    c = x.shape[1]
    return F.batch_norm(x, torch.zeros(c), torch.ones(c), p[0], p[1], training=True, momentum=0.03, eps=1e-3)


CASES = [
    conv("conv3x3 16->32 80x80 s2", (16, 16, 80, 80), 32, 3, 2, 1),
    conv("conv1x1 64->64 20x20", (16, 64, 20, 20), 64, 1, 1, 1),
    conv("conv3x3 128->128 5x5 (P5)", (16, 128, 5, 5), 128, 3, 1, 1),
    conv("conv1x1 256->128 5x5 (P5)", (16, 256, 5, 5), 128, 1, 1, 1),
    conv("dw3x3 64 40x40 s1", (16, 64, 40, 40), 64, 3, 1, 64),
    conv("dw3x3 64 40x40 s2", (16, 64, 40, 40), 64, 3, 2, 64),
    conv("dw5x5 64 40x40 s1", (16, 64, 40, 40), 64, 5, 1, 64),
    conv("dw5x5 64 40x40 s2", (16, 64, 40, 40), 64, 5, 2, 64),
    conv("dw3x3 480 10x10 s1", (16, 480, 10, 10), 480, 3, 1, 480),
    conv("dw3x3 960 5x5 s1 (P5)", (16, 960, 5, 5), 960, 3, 1, 960),
    ("batchnorm 32x80x80", (16, 32, 80, 80), [(32,), (32,)], 0.0, batchnorm),
    ("batchnorm 120x20x20", (16, 120, 20, 20), [(120,), (120,)], 0.0, batchnorm),
    ("batchnorm 256x5x5 (P5)", (16, 256, 5, 5), [(256,), (256,)], 0.0, batchnorm),
    ("silu 32x80x80", (16, 32, 80, 80), [], 0.0, lambda x, p: F.silu(x)),
]


def median_ms(fn, iterations):
    for _ in range(3):
        fn()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return sorted(samples)[len(samples) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rows = []
    for name, shape, pshapes, gflop, fn in CASES:
        x = (torch.rand(shape) * 2 - 1).requires_grad_(True)
        params = [((torch.rand(s) * 0.2) - 0.1).requires_grad_(True) for s in pshapes]
        with torch.no_grad():
            fwd = median_ms(lambda: fn(x, params), args.iterations)
        grad = torch.ones_like(fn(x, params))

        def step():
            x.grad = None
            for p in params:
                p.grad = None
            fn(x, params).backward(grad)

        both = median_ms(step, args.iterations)
        rows.append({"name": name, "forward_ms": fwd, "forward_backward_ms": both, "gflop_forward": gflop})
    print(json.dumps({"engine": f"torch {torch.__version__}", "threads": args.threads, "ops": rows}, indent=2))


if __name__ == "__main__":
    main()
