#!/usr/bin/env python3
"""Times `studyctl eval` against pycocotools and faster-coco-eval on the same YOLO-format files.

Makes a seeded dataset (default 5,000 images, 100 predictions each, 80 classes) in YOLO format,
then in one run times, each from the files on disk to the final mAP:
  * studyctl eval --format json (both protocols: YOLOv5 and COCO), the release binary;
  * pycocotools COCOeval, after reading the same label, prediction and image files in Python;
  * faster-coco-eval COCOeval_faster, the same way.
Dev tool only. Needs numpy, pillow, pycocotools, faster-coco-eval:
    swift build -c release
    ~/.venvs/anchor/bin/python tools/bench_eval.py [--images 5000] [--keep DIR]
"""
import argparse
import contextlib
import io
import json
import shutil
import subprocess
import tempfile
import time
import zlib
from importlib.metadata import version
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(640, 480), (640, 427), (500, 375), (480, 640), (640, 640)]


def png_bytes(width, height):
    """A valid grey RGB PNG."""
    def chunk(kind, data):
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    raw = b"".join(b"\x00" + b"\x80" * (width * 3) for _ in range(height))
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def make_dataset(root, n_images, n_preds, nc, seed):
    rng = np.random.default_rng(seed)
    (root / "images/val").mkdir(parents=True)
    (root / "labels/val").mkdir(parents=True)
    (root / "predictions").mkdir()
    names = "\n".join(f"  {i}: class{i}" for i in range(nc))
    (root / "data.yaml").write_text(f"path: .\nval: images/val\nnames:\n{names}\n")
    pngs = {s: png_bytes(*s) for s in SIZES}
    for i in range(n_images):
        size = SIZES[rng.integers(len(SIZES))]
        stem = f"{i:06d}"
        (root / f"images/val/{stem}.png").write_bytes(pngs[size])
        n_labels = rng.integers(0, 16)
        wh = rng.uniform(0.02, 0.5, (n_labels, 2))
        c = rng.uniform(wh / 2, 1 - wh / 2)
        cls = rng.integers(0, nc, n_labels)
        labels = np.column_stack([cls, c, wh])
        if n_labels:
            (root / f"labels/val/{stem}.txt").write_text("".join(
                "%d %g %g %g %g\n" % tuple(row) for row in labels))
        preds = []
        for row in labels:  # most labels found, a little off
            if rng.uniform() < 0.8:
                w2, h2 = np.clip(row[3:5] * (1 + rng.normal(0, 0.1, 2)), 0.01, 1)
                cx, cy = np.clip(row[1:3] + rng.normal(0, 0.05, 2) * row[3:5], [w2 / 2, h2 / 2], [1 - w2 / 2, 1 - h2 / 2])
                k = row[0] if rng.uniform() > 0.1 else rng.integers(0, nc)
                preds.append((k, cx, cy, w2, h2, rng.uniform(0.3, 1)))
        while len(preds) < n_preds:  # the rest background, mostly unconfident
            w2, h2 = rng.uniform(0.02, 0.5, 2)
            preds.append((rng.integers(0, nc), rng.uniform(w2 / 2, 1 - w2 / 2), rng.uniform(h2 / 2, 1 - h2 / 2),
                          w2, h2, rng.uniform(0.001, 0.5) ** 2))
        preds.sort(key=lambda p: -p[5])
        (root / f"predictions/{stem}.txt").write_text("".join("%d %g %g %g %g %g\n" % p for p in preds))


def read_coco(root, nc):
    """The YOLO files as COCO dicts: image sizes from headers (PIL opens lazily), boxes in pixels."""
    images, annotations, detections = [], [], []
    for i, path in enumerate(sorted((root / "images/val").iterdir())):
        with Image.open(path) as im:
            w, h = im.size
        images.append({"id": i + 1, "width": w, "height": h})
        label = root / "labels/val" / (path.stem + ".txt")
        if label.exists():
            for line in label.read_text().splitlines():
                c, cx, cy, bw, bh = map(float, line.split())
                box = [(cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h]
                annotations.append({"id": len(annotations) + 1, "image_id": i + 1, "category_id": int(c) + 1,
                                    "bbox": box, "area": box[2] * box[3], "iscrowd": 0})
        pred = root / "predictions" / (path.stem + ".txt")
        if pred.exists():
            for line in pred.read_text().splitlines():
                c, cx, cy, bw, bh, conf = map(float, line.split())
                detections.append({"image_id": i + 1, "category_id": int(c) + 1, "score": conf,
                                   "bbox": [(cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h]})
    gt = {"images": images, "annotations": annotations, "categories": [{"id": c + 1} for c in range(nc)]}
    return gt, detections


def run_pycocotools(gt, dt, coco_module, eval_class):
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = coco_module()
        coco_gt.dataset = gt
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(dt)
        e = eval_class(coco_gt, coco_dt, "bbox")
        e.evaluate()
        e.accumulate()
        e.summarize()
    return float(e.stats[0]), float(e.stats[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=5000)
    parser.add_argument("--predictions", type=int, default=100)
    parser.add_argument("--classes", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--binary", default=str(ROOT / ".build/release/studyctl"))
    parser.add_argument("--keep", help="write the dataset here and keep it")
    args = parser.parse_args()

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="studyctl-bench-"))
    if not (root / "data.yaml").exists():
        make_dataset(root, args.images, args.predictions, args.classes, args.seed)
    rows = []
    try:
        t0 = time.perf_counter()
        out = subprocess.run([args.binary, "eval", "--data", str(root / "data.yaml"), "--predictions",
                              str(root / "predictions"), "--format", "json"], check=True, capture_output=True, text=True)
        t_studyctl = time.perf_counter() - t0
        ours = json.loads(out.stdout)
        rows.append(("studyctl eval --format json (YOLOv5 + COCO)", t_studyctl, None,
                     ours["coco"]["map50_95"], ours["coco"]["map50"]))

        from pycocotools.coco import COCO
        from pycocotools.cocoeval import COCOeval
        from faster_coco_eval import COCO as FCOCO, COCOeval_faster

        for label, coco_module, eval_class in [(f"pycocotools {version('pycocotools')}", COCO, COCOeval),
                                               (f"faster-coco-eval {version('faster-coco-eval')}", FCOCO, COCOeval_faster)]:
            t0 = time.perf_counter()
            gt, dt = read_coco(root, args.classes)
            t1 = time.perf_counter()
            map5095, map50 = run_pycocotools(gt, dt, coco_module, eval_class)
            t2 = time.perf_counter()
            rows.append((label, t2 - t0, t2 - t1, map5095, map50))
    finally:
        if not args.keep:
            shutil.rmtree(root)

    n_dt = args.images * args.predictions
    print(f"{args.images} images, {args.predictions} predictions each ({n_dt} in all), {args.classes} classes, seed {args.seed}\n")
    print("| tool | files → mAP (s) | evaluation alone (s) | COCO mAP50-95 | COCO mAP50 |")
    print("|---|---:|---:|---:|---:|")
    for label, total, alone, m, m50 in rows:
        print(f"| {label} | {total:.2f} | {'' if alone is None else f'{alone:.2f}'} | {m:.6f} | {m50:.6f} |")


if __name__ == "__main__":
    main()
