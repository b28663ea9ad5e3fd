"""Reference values of YOLOv5 v7.0 ComputeLoss (loss, loss items and d loss / d predictions).

Produces Tests/TrainingTests/Fixtures/loss_v7.json by running the real
`yolov5.utils.loss.ComputeLoss` of the PyPI package yolov5==7.0.14 (the packaged ultralytics/yolov5
v7.0) on fixed random float32 predictions and targets. Dev-only; never a runtime dependency.

Run (venv described in /work/shared/anchors/README.md):
    "$HOME/.venvs/anchor/bin/python" tools/loss_reference.py

ComputeLoss only needs from the model: `next(model.parameters()).device`, `model.hyp`, and
`de_parallel(model).model[-1]` with `na`, `nc`, `nl`, `anchors` ([nl, na, 2], in units of the
stride, as Model.__init__ leaves Detect.anchors) and `stride`. A plain stand-in object supplies them.

JSON layout (one entry per case in "cases"):
    name, nc, imgsz, batch, anchors (pixels, yolov5 default), strides,
    hyp            exactly the dict ComputeLoss received,
    predictions    [{"shape": [N,3,H,W,5+nc], "values": flat row-major float32 values}] per level,
    targets        [[image, class, cx, cy, w, h]] normalised 0..1 (float32 values, as the loader gives),
    loss           first return value, (lbox+lobj+lcls)*bs,
    lbox/lobj/lcls the loss items (already multiplied by the hyp gains, not by bs),
    grad           flat d loss / d predictions[i] per level,
    matches        per level: number of (target, anchor, cell) rows build_targets produced (informative),
    duplicate_cells per level: rows whose (image, anchor, gy, gx) was already written earlier in the
                   same level (tobj[b, a, gj, gi] = iou then keeps the LAST row's iou; checked below).
"""
import json
import os
import sys

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

import numpy as np  # noqa: E402
import torch  # noqa: E402

if not hasattr(np, "trapz"):
    np.trapz = np.trapezoid

import yolov5  # noqa: E402
from yolov5.utils.loss import ComputeLoss  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "TrainingTests", "Fixtures", "loss_v7.json")

ANCHORS_PX = [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]]
STRIDES = [8, 16, 32]
SCRATCH_LOW = {"box": 0.05, "cls": 0.5, "cls_pw": 1.0, "obj": 1.0, "obj_pw": 1.0, "anchor_t": 4.0, "fl_gamma": 0.0}


class _Detect:
    def __init__(self, nc):
        self.na, self.nc, self.nl = 3, nc, 3
        self.stride = torch.tensor(STRIDES, dtype=torch.float32)
        self.anchors = torch.tensor(ANCHORS_PX, dtype=torch.float32).view(3, 3, 2) / self.stride.view(-1, 1, 1)


class _Model:
    """Just what ComputeLoss.__init__ touches (not DataParallel, so de_parallel returns it as is)."""

    def __init__(self, nc, hyp):
        self.hyp = hyp
        self.model = [_Detect(nc)]
        self._p = torch.zeros(1)

    def parameters(self):
        return iter([self._p])


def train_hyp(nc, imgsz, nl=3, label_smoothing=0.0, **over):
    """hyp.scratch-low as train.py v7.0 scales it (lines 255-259)."""
    h = dict(SCRATCH_LOW)
    h.update(over)
    h["box"] *= 3 / nl
    h["cls"] *= nc / 80 * 3 / nl
    h["obj"] *= (imgsz / 640) ** 2 * 3 / nl
    h["label_smoothing"] = label_smoothing
    return h


def random_targets(rng, batch, nc, per_image, skip=()):
    rows = []
    for b in range(batch):
        if b in skip:
            continue
        for _ in range(per_image):
            w, h = rng.uniform(0.04, 0.7, 2)
            cx = rng.uniform(w / 2, 1 - w / 2)
            cy = rng.uniform(h / 2, 1 - h / 2)
            rows.append([b, int(rng.integers(nc)), cx, cy, w, h])
    return rows


def check_obj_last_wins(cl, preds, targets, lobj):
    """Recompute lobj with an explicit sequential 'last row wins' tobj; return (dups per level, |diff|)."""
    tcls, tbox, indices, anch = cl.build_targets(preds, targets)
    total = torch.zeros(1)
    dups, matches = [], []
    from yolov5.utils.metrics import bbox_iou
    for i, pi in enumerate(preds):
        b, a, gj, gi = indices[i]
        tobj = torch.zeros(pi.shape[:4], dtype=pi.dtype)
        seen, d = set(), 0
        n = b.shape[0]
        matches.append(int(n))
        if n:
            pxy, pwh, _, pcls = pi.detach()[b, a, gj, gi].split((2, 2, 1, cl.nc), 1)
            pxy = pxy.sigmoid() * 2 - 0.5
            pwh = (pwh.sigmoid() * 2) ** 2 * anch[i]
            iou = bbox_iou(torch.cat((pxy, pwh), 1), tbox[i], CIoU=True).squeeze().clamp(0).reshape(-1)
            for r in range(n):
                key = (int(b[r]), int(a[r]), int(gj[r]), int(gi[r]))
                d += key in seen
                seen.add(key)
                tobj[key] = iou[r]
        dups.append(d)
        total += cl.BCEobj(pi.detach()[..., 4], tobj) * cl.balance[i]
    total *= cl.hyp["obj"]
    return matches, dups, abs(float(total) - float(lobj))


def run_case(name, nc, imgsz, batch, hyp, targets, seed):
    torch.manual_seed(seed)
    preds = []
    for s in STRIDES:
        g = imgsz // s
        preds.append((torch.randn(batch, 3, g, g, 5 + nc, dtype=torch.float32) * 1.5).requires_grad_(True))
    t = torch.tensor(targets, dtype=torch.float32).reshape(-1, 6)
    cl = ComputeLoss(_Model(nc, dict(hyp)))
    loss, items = cl(preds, t)
    loss.backward()
    matches, dups, diff = check_obj_last_wins(cl, preds, t, items[1])
    assert diff < 1e-7, f"{name}: sequential last-wins tobj does not reproduce lobj ({diff})"
    print(f"{name}: loss={float(loss):.6f} items={[float(x) for x in items]} matches={matches} dup_cells={dups}")
    return {
        "name": name,
        "nc": nc,
        "imgsz": imgsz,
        "batch": batch,
        "anchors": ANCHORS_PX,
        "strides": STRIDES,
        "hyp": {k: float(v) for k, v in hyp.items()},
        "predictions": [{"shape": list(p.shape), "values": [float(v) for v in p.detach().reshape(-1).tolist()]}
                        for p in preds],
        "targets": [[float(v) for v in row] for row in t.tolist()],
        "loss": float(loss.reshape(())),
        "lbox": float(items[0]),
        "lobj": float(items[1]),
        "lcls": float(items[2]),
        "grad": [[float(v) for v in p.grad.reshape(-1).tolist()] for p in preds],
        "matches": matches,
        "duplicate_cells": dups,
    }


def main():
    torch.set_num_threads(1)  # fixed reduction order
    torch.use_deterministic_algorithms(True)
    cases = []
    imgsz = 64

    # (a) hyp.scratch-low scaled as train.py does for nl=3, nc=3, imgsz=64
    rng = np.random.default_rng(1)
    cases.append(run_case("scratch_low", 3, imgsz, 2, train_hyp(3, imgsz), random_targets(rng, 2, 3, 4), seed=11))

    # (b) label smoothing and positive weights
    rng = np.random.default_rng(2)
    cases.append(run_case("smoothing_pos_weight", 3, imgsz, 2,
                          train_hyp(3, imgsz, label_smoothing=0.1, cls_pw=1.5, obj_pw=0.7),
                          random_targets(rng, 2, 3, 4), seed=12))

    # (c) edge cases: image 1 has no targets; centres exactly on cell borders (cx*grid integer) and at
    #     x.5 fractions; boxes too small for every anchor (anchor_t rejects all), very large boxes that
    #     only some anchors accept, boxes that match on several levels; two targets in one cell.
    g8 = 1 / 8
    edge = [
        # image 0
        [0, 0, 3 * g8, 3 * g8, 0.25, 0.3],          # gxy = 3,3 (P3), 1.5 (P4), 0.75 (P5)
        [0, 1, 0.5, 0.5, 1.0, 1.0],                 # whole image: only big anchors
        [0, 2, 5.5 * g8, 2.5 * g8, 0.15, 0.2],      # x.5 fractions on P3
        [0, 1, 0.25, 0.75, 0.03125, 0.03125],       # 2 px: rejected by anchor_t everywhere
        [0, 0, 0.9, 0.1, 0.08, 0.1],                # small, near a corner
        # image 2 (image 1 has none)
        [2, 2, 0.5, 0.25, 0.0625 * 1.25, 0.1],      # cell border at grid 8 and 4 (4,2) / (2,1)
        [2, 0, 0.5625, 0.4375, 0.9, 0.6],           # big, P5 & P4 anchors, gxy 4.5, 3.5
        [2, 1, 0.5625, 0.4375, 0.3, 0.35],          # same centre: same cells as the previous one
        [2, 2, 0.125, 0.875, 0.05, 0.4],            # tall thin: aspect hits anchor_t on some anchors
        [2, 0, 0.78125, 0.34375, 0.6, 0.05],        # wide flat
        [2, 1, 0.3, 0.6, 0.16, 0.2],
    ]
    cases.append(run_case("edges_empty_image", 3, imgsz, 3, train_hyp(3, imgsz), edge, seed=13))

    # (d) nc = 1: ComputeLoss skips the class loss (lcls stays 0)
    rng = np.random.default_rng(4)
    cases.append(run_case("single_class", 1, imgsz, 2, train_hyp(1, imgsz), random_targets(rng, 2, 1, 3), seed=14))

    doc = {"source": f"yolov5=={yolov5.__version__} utils/loss.py ComputeLoss via tools/loss_reference.py",
           "torch": torch.__version__,
           "cases": cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    sys.exit(main())
