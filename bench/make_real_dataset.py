"""Builds a real-photograph YOLO-format detection dataset from the sample data inside the PyPI
deepforest==2.1.0 wheel (dev only; no internet besides PyPI needed).

    $HOME/.venvs/anchor/bin/python bench/make_real_dataset.py [--out /work/datasets/deepforest_trees]
        [--wheel PATH.whl] [--tile 160] [--train-stride 160] [--min-visible 0.4] [--min-side 64] [--split scene|random]
        [--val-frac 0.2] [--seed 0] [--format png|jpg] [--limit-train N --limit-val N]

What it is: NEON Airborne Observation Platform RGB orthophotos (10 cm/pixel; public domain, NEON's
data policy is CC0 1.0) of forest at Yellowstone (YELL), Ordway-Swisher (OSBS) and Soaproot Saddle
(SOAP), with hand-drawn tree-crown boxes (Pascal VOC XML) by the DeepForest authors, shipped in
the wheel (package licence MIT). 951 boxes on 4 annotated images, one class: Tree
(SOAP_061's Alive/Dead labels are merged into Tree).

How: the wheel is read as a zip (deepforest itself is never installed or imported); when --wheel
is not given it is fetched once with `pip download deepforest==2.1.0 --no-deps` into
<out>/../.cache and its SHA-256 checked. Each scene is cut into a grid of tile x tile crops at
native resolution (no resizing; --train-stride below the tile overlaps the training tiles); a
last row/column narrower than the tile is kept at its own size when at least --min-side pixels,
else dropped. A box is clipped to its tile and kept when at least
--min-visible of its area lies inside and both clipped sides are >= 2 px. Tiles with no box are
kept (background images).

Split (deterministic):
  scene (default): val = every tile of 2019_YELL_2_541000_4977000_image_crop (a separate NEON tile,
                   13 km from the training scene); train = the other three scenes. No pixel is shared.
  random:          tiles of all scenes shuffled with --seed, --val-frac to val (neighbouring tiles
                   leak across the split; for experiments only).

Output, Ultralytics layout: <out>/images/{train,val}/*.png, <out>/labels/{train,val}/*.txt
("0 cx cy w h", normalised), <out>/data.yaml (absolute path, names {0: Tree}), <out>/manifest.json.
"""
import argparse
import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import cv2
import numpy as np

WHEEL = "deepforest-2.1.0-py3-none-any.whl"
WHEEL_SHA256 = "8c2798d8e9be7f0004b194fe207b76c1d9fff6e711b3db67b9508dcd5d00ae54"
# (short name, image in the wheel, annotations in the wheel)
SCENES = [
    ("YELL528", "deepforest/data/2019_YELL_2_528000_4978000_image_crop2.png", "deepforest/data/2019_YELL_2_528000_4978000_image_crop2.xml"),
    ("YELL541", "deepforest/data/2019_YELL_2_541000_4977000_image_crop.png", "deepforest/data/2019_YELL_2_541000_4977000_image_crop.xml"),
    ("OSBS029", "deepforest/data/OSBS_029.png", "deepforest/data/OSBS_029.xml"),
    ("SOAP061", "deepforest/data/SOAP_061.png", "deepforest/data/SOAP_061.xml"),
]
VAL_SCENE = "YELL541"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def get_wheel(args):
    if args.wheel:
        path = Path(args.wheel)
    else:
        cache = args.out.parent / ".cache"
        path = cache / WHEEL
        if not path.exists():
            cache.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, "-m", "pip", "download", "deepforest==2.1.0", "--no-deps",
                            "--only-binary=:all:", "-d", str(cache)], check=True)
    digest = sha256(path)
    if digest != WHEEL_SHA256:
        sys.exit(f"{path}: SHA-256 {digest}, expected {WHEEL_SHA256} (deepforest 2.1.0 wheel)")
    return path


def read_boxes(xml_bytes):
    root = ET.fromstring(xml_bytes)
    size = root.find("size")
    wh = (int(size.find("width").text), int(size.find("height").text))
    boxes = []
    for obj in root.iter("object"):
        b = obj.find("bndbox")
        boxes.append([float(b.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
    return wh, np.array(boxes, dtype=np.float64).reshape(-1, 4)


def spans(length, tile, stride, min_side):
    out = [(o, tile) for o in range(0, length - tile + 1, stride)]
    start = out[-1][0] + stride if out else 0
    if out[-1][0] + tile < length and length - start >= min_side:
        out.append((start, length - start))
    return out


def tiles_of(name, image, boxes, args, stride):
    h, w = image.shape[:2]
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    for r, (y0, th) in enumerate(spans(h, args.tile, stride, args.min_side)):
        for c, (x0, tw) in enumerate(spans(w, args.tile, stride, args.min_side)):
            crop = image[y0:y0 + th, x0:x0 + tw]
            cl = boxes.copy()
            cl[:, [0, 2]] = cl[:, [0, 2]].clip(x0, x0 + tw) - x0
            cl[:, [1, 3]] = cl[:, [1, 3]].clip(y0, y0 + th) - y0
            cw, ch = cl[:, 2] - cl[:, 0], cl[:, 3] - cl[:, 1]
            keep = (cw >= 2) & (ch >= 2) & (cw * ch >= args.min_visible * areas)
            cl = cl[keep]
            labels = [(0, (x1 + x2) / 2 / tw, (y1 + y2) / 2 / th, (x2 - x1) / tw, (y2 - y1) / th) for x1, y1, x2, y2 in cl]
            yield f"{name}_r{r:02d}_c{c:02d}", crop, labels


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("/work/datasets/deepforest_trees"))
    p.add_argument("--wheel", help=f"a local {WHEEL} (else pip download)")
    p.add_argument("--tile", type=int, default=160)
    p.add_argument("--train-stride", type=int, help="tile step in the training scenes (default: the tile, no overlap; "
                   "80 with --tile 160 gives ~4x the training tiles, overlapping by half); scene split only")
    p.add_argument("--min-visible", type=float, default=0.4)
    p.add_argument("--min-side", type=int, default=64)
    p.add_argument("--split", choices=("scene", "random"), default="scene")
    p.add_argument("--val-frac", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", choices=("png", "jpg"), default="png")
    p.add_argument("--limit-train", type=int, help="keep only the first N train tiles (a tiny dataset for harness tests)")
    p.add_argument("--limit-val", type=int, help="keep only the first N val tiles")
    args = p.parse_args()
    args.out = args.out.resolve()
    args.train_stride = args.train_stride or args.tile
    if args.train_stride != args.tile and args.split != "scene":
        sys.exit("--train-stride needs --split scene (overlapping tiles would straddle a random split)")

    wheel = get_wheel(args)
    tiles = []  # (scene, stem, crop, labels)
    with zipfile.ZipFile(wheel) as z:
        for name, img_member, xml_member in SCENES:
            (xw, xh), boxes = read_boxes(z.read(xml_member))
            image = cv2.imdecode(np.frombuffer(z.read(img_member), np.uint8), cv2.IMREAD_COLOR)
            assert image.shape[1] == xw and image.shape[0] == xh, f"{img_member}: {image.shape} vs XML {xw}x{xh}"
            stride = args.train_stride if (args.split == "scene" and name != VAL_SCENE) else args.tile
            for stem, crop, labels in tiles_of(name, image, boxes, args, stride):
                tiles.append((name, stem, crop, labels))

    if args.split == "scene":
        split = {t[1]: ("val" if t[0] == VAL_SCENE else "train") for t in tiles}
    else:
        stems = sorted(t[1] for t in tiles)
        random.Random(args.seed).shuffle(stems)
        n_val = round(len(stems) * args.val_frac)
        split = {s: ("val" if i < n_val else "train") for i, s in enumerate(stems)}
    chosen = {"train": [], "val": []}
    for t in sorted(tiles, key=lambda t: t[1]):
        chosen[split[t[1]]].append(t)
    for part, limit in (("train", args.limit_train), ("val", args.limit_val)):
        if limit is not None:
            chosen[part] = chosen[part][:limit]

    if args.out.exists():
        for sub in ("images", "labels"):
            shutil.rmtree(args.out / sub, ignore_errors=True)
        for f in args.out.glob("*.cache"):
            f.unlink()
    params = [cv2.IMWRITE_PNG_COMPRESSION, 3] if args.format == "png" else [cv2.IMWRITE_JPEG_QUALITY, 95]
    counts = {}
    for part, items in chosen.items():
        (args.out / "images" / part).mkdir(parents=True, exist_ok=True)
        (args.out / "labels" / part).mkdir(parents=True, exist_ok=True)
        n_boxes = 0
        for scene, stem, crop, labels in items:
            ok, buf = cv2.imencode(f".{args.format}", crop, params)
            assert ok
            (args.out / "images" / part / f"{stem}.{args.format}").write_bytes(buf.tobytes())
            (args.out / "labels" / part / f"{stem}.txt").write_text(
                "".join(f"{c} {x:.6f} {y:.6f} {w:.6f} {h:.6f}\n" for c, x, y, w, h in labels))
            n_boxes += len(labels)
        counts[part] = {"images": len(items), "boxes": n_boxes,
                        "empty_images": sum(1 for t in items if not t[3]),
                        "scenes": sorted({t[0] for t in items})}

    (args.out / "data.yaml").write_text(
        "# DeepForest 2.1.0 sample data (NEON AOP RGB, CC0; annotations MIT), tiled by bench/make_real_dataset.py\n"
        f"path: {args.out}\ntrain: images/train\nval: images/val\nnc: 1\nnames:\n  0: Tree\n")
    manifest = {"source": f"PyPI {WHEEL}", "sha256": WHEEL_SHA256,
                "licence": "imagery: NEON data policy, CC0 1.0; package and annotations: MIT (DeepForest)",
                "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                "counts": counts}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(manifest["counts"]))
    print(f"wrote {args.out}/data.yaml")


if __name__ == "__main__":
    main()
