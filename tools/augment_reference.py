"""Reference outputs of the YOLOv5 v7.0 training augmentations (mosaic + random_perspective, HSV,
letterbox, load_image resize).

Produces Tests/DetectionTests/Fixtures/mosaic_v7.json with the real code of the PyPI package
yolov5==7.0.14 (the packaged ultralytics/yolov5 v7.0). Dev-only; never a runtime dependency.

Run (venv described in /work/shared/anchors/README.md):
    "$HOME/.venvs/anchor/bin/python" tools/augment_reference.py

How the real code is run:
  * mosaic: `LoadImagesAndLabels.load_mosaic` and `LoadImagesAndLabels.load_image` run unchanged on a
    small stand-in dataset object (images written as PNG to a temp dir, read back by cv2.imread, so
    they are BGR inside YOLOv5 exactly as in training). `random.uniform`, `random.choices` and
    `random.shuffle` are replaced by scripted draws (each uniform call checks its bounds), and the
    module-level `random_perspective` used by load_mosaic is wrapped to record its input (the
    2s x 2s mosaic and the clipped labels) before calling the real function.
  * augment_hsv: real function, `np.random.uniform` scripted; r is what the code computes from it.
  * letterbox: real function.  * resize: the real load_image (its cv2.resize call) with img_size set.
All images are stored in RGB (converted from YOLOv5's BGR); raw bytes row-major, H x W x 3.

Draws in a mosaic case, in the order the code consumes them:
  load_mosaic:        yc = int(uniform(s/2, 3s/2)), xc = int(uniform(s/2, 3s/2))   (yc first!)
                      choices(indices, k=3), shuffle  -> "order" (mosaic positions TL, TR, BL, BR)
  random_perspective: perspective x, perspective y, angle, scale, shear x, shear y (degrees),
                      translate x, translate y (fractions in [0.5-t, 0.5+t], times width / height)
"uniform_calls" lists every uniform(a, b) call with the value returned, for exact replication
(the mosaic-centre draws carry fractional parts so int() truncation is exercised).
"candidates" lists, per mosaic label, the warped + clipped box [x1, y1, x2, y2] that
box_candidates judged, and whether it was kept (box1 there is the mosaic box times the scale draw).
Extra fields beyond the documented format: hsv "gains"/"u" (the injected uniform draws),
letterbox "scaleup"/"auto"/"width"/"height", resize "image"/"img_size"/"augment".
Labels are float32 (as the loader makes them) throughout; output labels are float32 values too.
"""
import base64
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

SCRATCH = os.path.join(os.environ.get("TMPDIR", "/tmp"), "yolov5-ref-scratch")
for _k, _v in {
    "YOLO_OFFLINE": "1",
    "YOLO_VERBOSE": "False",
    "YOLO_CONFIG_DIR": os.path.join(SCRATCH, "cfg"),
    "YOLOV5_CONFIG_DIR": os.path.join(SCRATCH, "cfg"),
    "MPLCONFIGDIR": os.path.join(SCRATCH, "mpl"),
}.items():
    os.environ.setdefault(_k, _v)

import warnings  # noqa: E402

warnings.filterwarnings("ignore")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

if not hasattr(np, "trapz"):
    np.trapz = np.trapezoid

import yolov5  # noqa: E402
import yolov5.utils.augmentations as aug  # noqa: E402
import yolov5.utils.dataloaders as dl  # noqa: E402
from yolov5.utils.augmentations import augment_hsv, box_candidates, letterbox  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "DetectionTests", "Fixtures", "mosaic_v7.json")
S = 64


# ----------------------------------------------------------------------------------------------
# input images (RGB, H x W x 3 uint8) and labels (class, cx, cy, w, h normalised, float32)

def make_image(w, h, k):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 40 + 170 * x / (w - 1)
    g = 30 + 150 * y / (h - 1) + 25 * np.sin((x + 2 * k) / 5.0)
    b = 200 - 120 * (x + y) / (w + h - 2) + 20 * np.cos(y / 4.0 + k)
    im = np.stack([r, g, b], -1)
    rects = [
        [(0.15, 0.2, 0.45, 0.55), (230, 40, 40)],
        [(0.55, 0.1, 0.9, 0.4), (30, 200, 60)],
        [(0.3, 0.6, 0.8, 0.9), (250, 230, 30)],
        [(0.05, 0.7, 0.25, 0.95), (128, 128, 128)],  # grey (hue undefined in HSV)
    ]
    for j, ((x1, y1, x2, y2), c) in enumerate(rects):
        if (j + k) % 4 == 3:
            continue
        im[int(y1 * h):int(y2 * h), int(x1 * w):int(x2 * w)] = c
    return np.clip(np.round(im), 0, 255).astype(np.uint8)


IMAGE_SPECS = [  # (w, h, labels)
    (64, 48, [[0, 0.30, 0.375, 0.30, 0.35], [1, 0.725, 0.25, 0.35, 0.30], [2, 0.55, 0.75, 0.5, 0.3]]),
    (40, 64, [[1, 0.50, 0.50, 0.60, 0.70]]),
    (64, 64, [[2, 0.20, 0.80, 0.25, 0.30], [0, 0.72, 0.25, 0.35, 0.30]]),
    (64, 56, [[0, 0.30, 0.375, 0.30, 0.35], [2, 0.55, 0.75, 0.50, 0.30], [1, 0.95, 0.05, 0.08, 0.09]]),
]


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode("ascii")


def rgb(bgr):
    return bgr[..., ::-1]


def f32(a):
    return [[float(v) for v in row] for row in np.asarray(a, dtype=np.float32).tolist()]


# ----------------------------------------------------------------------------------------------
# scripted randomness

class Script:
    """Replaces random.uniform / choices / shuffle with scripted values while active."""

    def __init__(self, uniforms, choices):
        self.uniforms = list(uniforms)
        self.choices = list(choices)
        self.calls = []

    def uniform(self, a, b):
        v = self.uniforms.pop(0)
        assert min(a, b) <= v <= max(a, b), f"scripted draw {v} outside uniform({a}, {b})"
        self.calls.append([float(a), float(b), float(v)])
        return v

    def choices_(self, population, k=1, **_):
        assert k == len(self.choices) and all(c in population for c in self.choices)
        return list(self.choices)

    def __enter__(self):
        self.saved = random.uniform, random.choices, random.shuffle
        random.uniform, random.choices, random.shuffle = self.uniform, self.choices_, lambda x: None
        return self

    def __exit__(self, *exc):
        random.uniform, random.choices, random.shuffle = self.saved
        assert not self.uniforms, f"unused draws {self.uniforms}"


class FakeDataset:
    """The attributes LoadImagesAndLabels.load_image / load_mosaic read; methods are the real ones."""
    load_image = dl.LoadImagesAndLabels.load_image
    load_mosaic = dl.LoadImagesAndLabels.load_mosaic

    def __init__(self, files, labels, img_size, hyp, augment=True):
        self.im_files = files
        self.npy_files = [Path(f).with_suffix(".npy") for f in files]  # do not exist
        self.ims = [None] * len(files)
        self.labels = labels
        self.segments = [[] for _ in files]
        self.indices = range(len(files))
        self.img_size = img_size
        self.mosaic_border = [-img_size // 2, -img_size // 2]
        self.hyp = hyp
        self.augment = augment


HYP_LOW = {"degrees": 0.0, "translate": 0.1, "scale": 0.5, "shear": 0.0, "perspective": 0.0}


def mosaic_case(ds, name, hyp, xc, yc, order, persp, angle, scale, shear, translate, frac=(0.0, 0.0)):
    ds.hyp = dict(hyp, copy_paste=0.0)
    recorded = {}
    real_rp = dl.random_perspective

    def recording_rp(im, targets=(), segments=(), **kw):
        recorded["img4"] = im.copy()
        recorded["labels4"] = np.array(targets, copy=True)
        recorded["kw"] = kw
        return real_rp(im, targets, segments, **kw)

    # yc is drawn first, then xc; the fractional parts check int() truncation
    uniforms = [yc + frac[1], xc + frac[0], persp[0], persp[1], angle, scale, shear[0], shear[1],
                translate[0], translate[1]]
    real_bc = aug.box_candidates

    def recording_bc(box1, box2, **kw):
        keep = real_bc(box1, box2, **kw)
        w1, h1 = box1[2] - box1[0], box1[3] - box1[1]
        w2, h2 = box2[2] - box2[0], box2[3] - box2[1]
        recorded["candidates"] = [[float(v) for v in b] + [bool(k)] for b, k in zip(box2.T.tolist(), keep)]
        recorded["why"] = [("kept" if k else "w<=2" if a <= 2 else "h<=2" if b <= 2 else "area" if a * b / (c * d + 1e-16) <= 0.1
                            else "aspect") for k, a, b, c, d in zip(keep, w2, h2, w1, h1)]
        return keep

    dl.random_perspective, aug.box_candidates = recording_rp, recording_bc
    try:
        with Script(uniforms, order[1:]) as sc:
            out, labels = ds.load_mosaic(order[0])
    finally:
        dl.random_perspective, aug.box_candidates = real_rp, real_bc
    assert recorded["kw"]["border"] == [-S // 2, -S // 2] and out.shape == (S, S, 3)

    # which mosaic labels box_candidates dropped (informative)
    print(f"{name}: mosaic labels {len(recorded['labels4'])} -> output labels {len(labels)}: {recorded['why']}")
    return {
        "name": name,
        "draws": {"xc": int(xc), "yc": int(yc), "order": list(order),
                  "perspective": [float(persp[0]), float(persp[1])], "angle": float(angle),
                  "scale": float(scale), "shear": [float(shear[0]), float(shear[1])],
                  "translate": [float(translate[0]), float(translate[1])]},
        "uniform_calls": sc.calls,
        "hyp": {k: float(v) for k, v in hyp.items()},
        "mosaic_rgb_base64": b64(rgb(recorded["img4"])),
        "mosaic_labels": f32(recorded["labels4"]),
        "output_rgb_base64": b64(rgb(out)),
        "output_labels": f32(labels),
        "candidates": recorded["candidates"],
    }


def main():
    cv2.setNumThreads(1)
    tmp = tempfile.mkdtemp(prefix="yolov5-aug-")
    files, labels, images = [], [], []
    for k, (w, h, lab) in enumerate(IMAGE_SPECS):
        im = make_image(w, h, k)
        f = os.path.join(tmp, f"im{k}.png")
        cv2.imwrite(f, rgb(im))  # file holds the RGB picture; cv2.imread gives YOLOv5 BGR
        assert np.array_equal(cv2.imread(f), rgb(im))
        files.append(f)
        lab = np.array(lab, dtype=np.float32)
        labels.append(lab)
        images.append({"width": w, "height": h, "rgb_base64": b64(im), "labels": f32(lab)})

    ds = FakeDataset(files, labels, S, HYP_LOW)
    cases = [
        mosaic_case(ds, "scratch_low", HYP_LOW, xc=70, yc=52, order=[0, 1, 2, 3], persp=(0.0, 0.0),
                    angle=0.0, scale=1.23, shear=(0.0, 0.0), translate=(0.47, 0.56), frac=(0.6, 0.9)),
        mosaic_case(ds, "rotate_shear", dict(HYP_LOW, degrees=10.0, shear=5.0), xc=58, yc=75,
                    order=[2, 0, 3, 1], persp=(0.0, 0.0), angle=7.3, scale=0.82, shear=(-3.1, 2.4),
                    translate=(0.53, 0.44), frac=(0.25, 0.5)),
        mosaic_case(ds, "perspective", dict(HYP_LOW, perspective=0.0005), xc=81, yc=40,
                    order=[3, 2, 1, 0], persp=(0.00031, -0.00042), angle=0.0, scale=0.9, shear=(0.0, 0.0),
                    translate=(0.58, 0.45), frac=(0.999, 0.0)),
        mosaic_case(ds, "boxes_dropped", dict(HYP_LOW, degrees=10.0, shear=5.0), xc=90, yc=40,
                    order=[1, 1, 0, 2], persp=(0.0, 0.0), angle=-9.0, scale=1.3, shear=(4.0, -2.0),
                    translate=(0.4, 0.4), frac=(0.1, 0.7)),
    ]

    # augment_hsv on images[0]: r = uniform(-1, 1, 3) * [hgain, sgain, vgain] + 1
    hsv = []
    for gains, u in [((0.015, 0.7, 0.4), (0.3, -0.7, 0.5)),
                     ((0.015, 0.7, 0.4), (-0.9, 0.8, -0.6)),
                     ((0.5, 0.7, 0.4), (0.8, 0.4, 0.9))]:
        im = cv2.imread(files[0])
        saved = np.random.uniform
        np.random.uniform = lambda low, high, size: np.array(u, dtype=np.float64)
        try:
            augment_hsv(im, hgain=gains[0], sgain=gains[1], vgain=gains[2])
        finally:
            np.random.uniform = saved
        r = np.array(u, dtype=np.float64) * [gains[0], gains[1], gains[2]] + 1  # the same expression
        hsv.append({"gains": list(gains), "u": list(u), "r": [float(v) for v in r], "output_rgb_base64": b64(rgb(im))})

    # letterbox(auto=False, stride=32) on images[1] (40 x 64, w x h)
    lb = []
    for shape, scaleup in [((64, 64), False), ((96, 96), False), ((96, 96), True), ((48, 64), False),
                           ((36, 36), False), ((40, 40), False)]:
        out, ratio, pad = letterbox(cv2.imread(files[1]), shape, auto=False, scaleup=scaleup, stride=32)
        lb.append({"new_shape": list(shape), "scaleup": scaleup, "auto": False,
                   "width": out.shape[1], "height": out.shape[0], "output_rgb_base64": b64(rgb(out)),
                   "ratio": [float(v) for v in ratio], "pad": [float(v) for v in pad]})

    # load_image resize: r = img_size / max(h0, w0); size (ceil(w0 r), ceil(h0 r));
    # INTER_LINEAR if (augment or r > 1) else INTER_AREA
    rs = []
    for idx, img_size, augment in [(2, 40, False), (2, 48, False), (2, 80, False), (2, 40, True),
                                   (0, 40, False), (0, 80, True), (1, 50, False)]:  # last: ceil(40*50/64 = 31.25) = 32
        d = FakeDataset(files, labels, img_size, HYP_LOW, augment=augment)
        out, hw0, hw = d.load_image(idx)
        rr = img_size / max(hw0)
        rs.append({"image": idx, "img_size": img_size, "augment": augment,
                   "width": out.shape[1], "height": out.shape[0],
                   "interpolation": "linear" if (augment or rr > 1) else "area",
                   "output_rgb_base64": b64(rgb(out))})

    # box_candidates sanity: the function the fixture relies on is the real one
    assert box_candidates(np.array([[0], [0], [10], [10]]), np.array([[0], [0], [3], [3]])).tolist() == [False]

    doc = {"source": f"yolov5=={yolov5.__version__} utils/dataloaders.py LoadImagesAndLabels.load_mosaic + "
                     "utils/augmentations.py random_perspective/augment_hsv/letterbox via tools/augment_reference.py",
           "opencv": cv2.__version__, "numpy": np.__version__,
           "s": S, "images": images, "cases": cases, "hsv": hsv, "letterbox": lb, "resize": rs}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    shutil.rmtree(tmp)
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    sys.exit(main())
