"""Checks a model written by `studyctl export` in ONNX Runtime against the engine (dev and CI only).

    studyctl export RUN_DIR --output /tmp/m.onnx --reference /tmp/ref
    python bench/onnx_check.py /tmp/m.onnx /tmp/ref [--tolerance 1e-4]

Runs onnx.checker (full check), then the model in ONNX Runtime on the reference input, and
compares with the engine's output: the largest difference relative to the largest magnitude of
each column kind (boxes in pixels, scores in 0…1). Needs `pip install onnx onnxruntime numpy`.
"""
import argparse
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
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    out_shape = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim]
    x = np.fromfile(args.reference + "/input.bin", dtype="<f4").reshape(shape)
    expected = np.fromfile(args.reference + "/output.bin", dtype="<f4").reshape(out_shape)
    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    got = session.run(None, {"images": x})[0]
    if got.shape != expected.shape:
        print(f"FAIL shape {got.shape} != {expected.shape}")
        return 1
    boxes = np.abs(got[..., :4] - expected[..., :4]).max() / max(np.abs(expected[..., :4]).max(), 1e-12)
    scores = np.abs(got[..., 4:] - expected[..., 4:]).max() / max(np.abs(expected[..., 4:]).max(), 1e-12)
    worst = max(boxes, scores)
    meta = {p.key: p.value for p in model.metadata_props}
    print(f"{'ok' if worst <= args.tolerance else 'FAIL'} {args.model}: opset {model.opset_import[0].version}, "
          f"{len(model.graph.node)} nodes, output {list(got.shape)}; max relative difference boxes {boxes:.2e}, "
          f"scores {scores:.2e}; stride {meta.get('stride')}")
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
