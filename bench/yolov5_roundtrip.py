"""studyctl's cspdarknet + pan-sppf weights in YOLOv5 v7.0 itself (dev only): `export --format yolov5`
loads into Model('yolov5n.yaml', nc) with strict=True, and YOLOv5's inference output equals the engine's.

    studyctl export RUN_DIR --format yolov5 --output /tmp/y.safetensors
    studyctl export RUN_DIR --output /tmp/y.onnx --reference /tmp/yref     # the engine's output for an input
    $HOME/.venvs/anchor/bin/python bench/yolov5_roundtrip.py /tmp/y.safetensors /tmp/yref --nc 4

The reference output is the fused engine's (Detect's decode, [1, N, 5 + nc]); YOLOv5's model runs
fused too (Model.fuse()), in eval mode, on the same input.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
import safetensors.torch
import torch

from torch_fixtures import yolov5_as_repo


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("weights")
    ap.add_argument("reference")
    ap.add_argument("--nc", type=int, required=True)
    args = ap.parse_args()
    import yolov5
    yolo = yolov5_as_repo()
    model = yolo.Model(str(Path(yolov5.__file__).parent / "models" / "yolov5n.yaml"), ch=3, nc=args.nc)
    missing, unexpected = model.load_state_dict(safetensors.torch.load_file(args.weights), strict=True)
    print(f"load_state_dict(strict=True): {len(missing)} missing, {len(unexpected)} unexpected")
    model.eval().fuse()
    shapes = json.loads((Path(args.reference) / "shapes.json").read_text())
    x = torch.from_numpy(np.fromfile(Path(args.reference) / "input.bin", dtype="<f4").reshape(shapes["input"]))
    expected = np.fromfile(Path(args.reference) / "output.bin", dtype="<f4").reshape(shapes["output"])
    with torch.no_grad():
        got = model(x)[0].numpy()
    worst = np.abs(got - expected).max() / max(np.abs(expected).max(), 1e-12)
    print(f"YOLOv5 v7.0 against the engine: output {list(got.shape)}, max relative difference {worst:.2e}")
    return 0 if worst <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
