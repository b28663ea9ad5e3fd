"""Checks a model written by `studyctl export` in ONNX Runtime against the engine (dev and CI only).

    studyctl export RUN_DIR --output /tmp/m.onnx --reference /tmp/ref
    python bench/onnx_check.py /tmp/m.onnx /tmp/ref [--tolerance 1e-4]   # ref: input.bin, output.bin, shapes.json

Runs onnx.checker (full check), then the model in ONNX Runtime on the reference input, and
compares with the engine's output: the largest difference relative to the largest magnitude of
each column kind (boxes in pixels, scores in 0…1). Needs `pip install onnx onnxruntime numpy`.
"""
import argparse
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("reference")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()
    model = onnx.load(args.model)
    onnx.checker.check_model(model, full_check=True)
    with open(args.reference + "/shapes.json") as f:
        shapes = json.load(f)
    x = np.fromfile(args.reference + "/input.bin", dtype="<f4").reshape(shapes["input"])
    expected = np.fromfile(args.reference + "/output.bin", dtype="<f4").reshape(shapes["output"])
    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    got = session.run(None, {"images": x})[0]
    if got.shape != expected.shape:
        print(f"FAIL shape {got.shape} != {expected.shape}")
        return 1
    boxes = np.abs(got[..., :4] - expected[..., :4]).max() / max(np.abs(expected[..., :4]).max(), 1e-12)
    scores = np.abs(got[..., 4:] - expected[..., 4:]).max() / max(np.abs(expected[..., 4:]).max(), 1e-12)
    worst = max(boxes, scores)
    if model.graph.input[0].type.tensor_type.shape.dim[0].dim_param:
        # A symbolic batch: the image twice gives the same rows twice.
        pair = session.run(None, {"images": np.concatenate([x, x])})[0]
        batch = max(np.abs(pair[i:i + 1] - got).max() for i in range(2)) / max(np.abs(got).max(), 1e-12)
        worst = max(worst, batch)
        print(f"   batch 2: max relative difference from batch 1 {batch:.2e}")
    meta = {p.key: p.value for p in model.metadata_props}
    dims = [d.dim_param or d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    print(f"{'ok' if worst <= args.tolerance else 'FAIL'} {args.model}: opset {model.opset_import[0].version}, "
          f"{len(model.graph.node)} nodes, input {dims} given {list(x.shape)}, output {list(got.shape)}; max relative difference boxes {boxes:.2e}, "
          f"scores {scores:.2e}; stride {meta.get('stride')}")
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
