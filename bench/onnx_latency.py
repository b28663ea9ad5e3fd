"""Batch-1 latency of an ONNX model in ONNX Runtime, timed as `studyctl latency` times the engine
(dev only): warm-up runs, then timed runs for at least --min-time seconds and 20 runs.

    python bench/onnx_latency.py MODEL.onnx --threads 1 [--warmup 10] [--min-time 5]
"""
import argparse
import time

import numpy as np
import onnxruntime as ort


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--min-time", type=float, default=5)
    args = ap.parse_args()
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    x = np.random.default_rng(7).random([d if isinstance(d, int) else 1 for d in inp.shape], dtype=np.float32)
    for _ in range(args.warmup):
        session.run(None, {inp.name: x})
    times = []
    start = time.perf_counter()
    while len(times) < 20 or time.perf_counter() - start < args.min_time:
        t0 = time.perf_counter()
        session.run(None, {inp.name: x})
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p90 = times[min(len(times) - 1, int(np.ceil(0.9 * len(times))) - 1)]
    print(f"onnxruntime {ort.__version__} {args.threads} thread(s): median {times[len(times) // 2]:.2f} ms, p90 {p90:.2f} ms, "
          f"min {times[0]:.2f}, max {times[-1]:.2f} ({len(times)} runs)")


if __name__ == "__main__":
    main()
