#!/usr/bin/env python3
"""Writes Tests/DetectionTests/Fixtures/reference_metrics.json: detection scenarios and the metrics
the reference implementations give for them.

References, run on exactly the boxes studyctl reads:
  * YOLOv5 v7.0 (pip package `yolov5`): val.py `process_batch`, utils/metrics.py `ap_per_class`,
    `ConfusionMatrix`, `fitness`, called the way val.py's metrics loop calls them;
  * pycocotools `COCOeval` (iouType "bbox").

Dev tool only (never a runtime dependency of studyctl). Needs numpy, torch, yolov5, pycocotools:
    python3 -m venv ~/.venvs/anchor && ~/.venvs/anchor/bin/pip install yolov5==7.0.14 pycocotools
    ~/.venvs/anchor/bin/python tools/reference_metrics.py
"""
import contextlib
import io
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np

if not hasattr(np, "trapz"):  # NumPy 2 renamed it; YOLOv5 v7.0 calls np.trapz
    np.trapz = np.trapezoid

import torch  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402
from yolov5 import val as yolo_val  # noqa: E402
from yolov5.utils import metrics as yolo_metrics  # noqa: E402
from yolov5.utils.general import clip_boxes, xywhn2xyxy  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "Tests/DetectionTests/Fixtures/reference_metrics.json"
CURVE_STEP = 100  # keep every 100th point of the 1000-point curves: the fixture stays small


def g6(x):
    """A value as YOLOv5 writes it (`%g`: 6 significant digits)."""
    return float("%g" % x)


def jitter_box(rng, box, amount):
    cx, cy, w, h = box
    w2 = min(max(w * (1 + rng.normal(0, amount)), 0.01), 1.0)
    h2 = min(max(h * (1 + rng.normal(0, amount)), 0.01), 1.0)
    cx2 = min(max(cx + rng.normal(0, amount) * w, w2 / 2), 1 - w2 / 2)
    cy2 = min(max(cy + rng.normal(0, amount) * h, h2 / 2), 1 - h2 / 2)
    return [cx2, cy2, w2, h2]


def random_box(rng):
    w, h = rng.uniform(0.03, 0.5, 2)
    return [rng.uniform(w / 2, 1 - w / 2), rng.uniform(h / 2, 1 - h / 2), w, h]


def make_images(rng, n_images, label_classes, pred_classes, max_labels, miss=0.2, fp=2.0, amount=0.08,
                conf_values=None, empty_fraction=0.15, size_choices=((640, 480), (320, 320), (500, 375))):
    images = []
    for _ in range(n_images):
        width, height = size_choices[rng.integers(len(size_choices))]
        labels, preds = [], []
        if rng.uniform() > empty_fraction:
            for _ in range(rng.integers(0, max_labels + 1)):
                labels.append([int(rng.choice(label_classes))] + random_box(rng))
        for lab in labels:
            if rng.uniform() < miss:
                continue
            for _ in range(1 + (rng.uniform() < 0.15)):  # sometimes a duplicate detection
                cls = lab[0] if rng.uniform() > 0.1 else int(rng.choice(pred_classes))
                preds.append([cls] + jitter_box(rng, lab[1:], amount) + [rng.uniform(0.3, 1.0)])
        for _ in range(rng.poisson(fp)):
            preds.append([int(rng.choice(pred_classes))] + random_box(rng) + [rng.uniform(0.001, 0.6)])
        if conf_values is not None:
            for p in preds:
                p[5] = float(rng.choice(conf_values))
        preds.sort(key=lambda p: -p[5])  # YOLOv5 writes NMS output, most confident first
        images.append({
            "width": int(width), "height": int(height),
            "labels": [[c] + [g6(v) for v in b] for c, *b in labels],
            "predictions": [[c] + [g6(v) for v in b] for c, *b in preds],
        })
    return images


def yolov5_reference(images, nc, stable_ties):
    """val.py's metrics loop over final predictions, then ap_per_class, as val.py runs them."""
    iouv = torch.linspace(0.5, 0.95, 10)
    stats, confusion = [], yolo_metrics.ConfusionMatrix(nc=nc)
    for im in images:
        w, h = im["width"], im["height"]
        labels = torch.tensor(im["labels"], dtype=torch.float32).reshape(-1, 5)
        pred = torch.tensor(im["predictions"], dtype=torch.float32).reshape(-1, 6)
        tbox, pbox = xywhn2xyxy(labels[:, 1:5], w, h), xywhn2xyxy(pred[:, 1:5], w, h)
        clip_boxes(tbox, (h, w))  # in place, as scale_boxes clips in val.py
        clip_boxes(pbox, (h, w))
        predn = torch.cat((pbox, pred[:, 5:6], pred[:, 0:1]), 1)  # x1, y1, x2, y2, conf, cls
        labelsn = torch.cat((labels[:, 0:1], tbox), 1)
        nl, npr = len(labels), len(pred)
        correct = torch.zeros(npr, 10, dtype=torch.bool)
        if npr == 0:
            if nl:
                stats.append((correct, *torch.zeros((2, 0)), labels[:, 0]))
                confusion.process_batch(detections=None, labels=labels[:, 0])
            continue
        if nl:
            correct = yolo_val.process_batch(predn, labelsn, iouv)
            confusion.process_batch(predn, labelsn)
        stats.append((correct, predn[:, 4], predn[:, 5], labels[:, 0]))
    stats = [torch.cat(x, 0).cpu().numpy() for x in zip(*stats)]
    tp, conf, pred_cls, target_cls = stats
    if stable_ties:  # break equal confidences by input order, which NumPy's argsort does not promise
        conf = conf.astype(np.float64) - np.arange(len(conf)) * 1e-12
    captured = {}
    yolo_metrics.plot_pr_curve = lambda px, py, ap, *a, **k: captured.update(pr=np.array(py))
    yolo_metrics.plot_mc_curve = lambda px, y, *a, ylabel="", **k: captured.update({ylabel: y})
    out = {"tp_per_threshold": tp.sum(0).astype(int).tolist(),
           "confusion_matrix": confusion.matrix.astype(int).tolist()}
    if len(stats) and tp.any():
        _, _, p, r, f1, ap, classes = yolo_metrics.ap_per_class(tp, conf, pred_cls, target_cls, plot=True,
                                                                 names={i: str(i) for i in range(nc)})
        ap50, ap = ap[:, 0], ap.mean(1)
        mp, mr, map50, map_ = p.mean(), r.mean(), ap50.mean(), ap.mean()
        out.update(
            classes=classes.tolist(), precision=p.tolist(), recall=r.tolist(), f1=f1.tolist(),
            ap50=ap50.tolist(), ap50_95=ap.tolist(),
            curve_indices=list(range(0, 1000, CURVE_STEP)),
            precision_curve=captured["Precision"][:, ::CURVE_STEP].tolist(),
            recall_curve=captured["Recall"][:, ::CURVE_STEP].tolist(),
            f1_curve=captured["F1"][:, ::CURVE_STEP].tolist(),
            pr_curve=captured["pr"][:, ::CURVE_STEP].tolist() if len(captured["pr"]) else [])
    else:
        mp = mr = map50 = map_ = 0.0
    out.update(mp=float(mp), mr=float(mr), map50=float(map50), map50_95=float(map_),
               fitness=float(yolo_metrics.fitness(np.array([[mp, mr, map50, map_]]))[0]),
               instances=np.bincount(target_cls.astype(int), minlength=nc).tolist())
    return out


def coco_reference(images, nc):
    """pycocotools COCOeval (bbox) on the same boxes in pixels; image ids in studyctl's image order."""
    gt = {"images": [], "annotations": [], "categories": [{"id": c + 1} for c in range(nc)]}
    dt = []
    for i, im in enumerate(images):
        w, h = im["width"], im["height"]
        gt["images"].append({"id": i + 1, "width": w, "height": h})
        for c, cx, cy, bw, bh in im["labels"]:
            box = [(cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h]
            gt["annotations"].append({"id": len(gt["annotations"]) + 1, "image_id": i + 1, "category_id": c + 1,
                                      "bbox": box, "area": box[2] * box[3], "iscrowd": 0})
        for c, cx, cy, bw, bh, conf in im["predictions"]:
            dt.append({"image_id": i + 1, "category_id": c + 1, "score": conf,
                       "bbox": [(cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h]})
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = gt
        coco_gt.createIndex()
        if dt:
            coco_dt = coco_gt.loadRes(dt)
        else:  # loadRes refuses an empty list; an empty result set is still a valid evaluation
            coco_dt = COCO()
            coco_dt.dataset = {"images": gt["images"], "categories": gt["categories"], "annotations": []}
            coco_dt.createIndex()
        e = COCOeval(coco_gt, coco_dt, "bbox")
        e.evaluate()
        e.accumulate()
        e.summarize()
    precision = e.eval["precision"][:, :, :, 0, 2]  # [T, R, K], area all, maxDets 100
    per_class = {}
    for k in range(nc):
        s = precision[:, :, k]
        if (s > -1).any():
            per_class[str(k)] = {"ap50_95": float(s.mean()), "ap50": float(s[0].mean())}
    return {"map50_95": float(e.stats[0]), "map50": float(e.stats[1]), "map75": float(e.stats[2]),
            "mar100": float(e.stats[8]), "per_class": per_class}


def scenarios():
    rng = np.random.default_rng(20240605)
    out = []
    # Three labelled classes of four; class 3 is predicted but never labelled; empty images.
    out.append(("mixed", 4, make_images(rng, 50, [0, 1, 2], [0, 1, 2, 3], 6)))
    # Confidences from five values: many ties.
    out.append(("ties", 3, make_images(rng, 40, [0, 1, 2], [0, 1, 2], 5, conf_values=[0.2, 0.4, 0.5, 0.7, 0.9])))
    # Every label predicted exactly once, nothing else: YOLOv5 scores 0.995, COCO 1.
    perfect = make_images(rng, 20, [0, 1], [0, 1], 4)
    for im in perfect:
        im["predictions"] = sorted(([*lab, g6(rng.uniform(0.2, 1))] for lab in im["labels"]), key=lambda p: -p[5])
    out.append(("perfect", 2, perfect))
    # Labels and no predictions at all.
    silent = make_images(rng, 10, [0, 1], [0, 1], 3)
    for im in silent:
        im["predictions"] = []
    out.append(("no_predictions", 2, silent))
    # One class, crowded images: more than 100 detections per image (COCO keeps the best 100).
    out.append(("crowded", 1, make_images(rng, 3, [0], [0], 60, miss=0.05, fp=70, empty_fraction=0,
                                          size_choices=((1280, 720),))))
    # Sloppy localisation: many IoUs between 0.5 and 0.95.
    out.append(("sloppy", 3, make_images(rng, 40, [0, 1, 2], [0, 1, 2], 4, amount=0.2, fp=1)))
    return out


def main():
    fixture = {
        "generator": "tools/reference_metrics.py",
        "versions": {name: version(name) for name in ("yolov5", "torch", "numpy", "pycocotools")},
        "python": sys.version.split()[0],
        "scenarios": [],
    }
    for name, nc, images in scenarios():
        yolo = yolov5_reference(images, nc, stable_ties=True)
        unstable = yolov5_reference(images, nc, stable_ties=False)
        keys = ("mp", "mr", "map50", "map50_95")
        fixture["scenarios"].append({
            "name": name, "nc": nc, "images": images,
            "yolov5": yolo,
            # Whether YOLOv5 with NumPy's own (unstable) argsort gives other figures than with ties
            # broken by input order: it only can where equal confidences meet within a class.
            "yolov5_unstable_ties_differ": any(abs(yolo[k] - unstable[k]) > 1e-6 for k in keys),
            "coco": coco_reference(images, nc),
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")
    for s in fixture["scenarios"]:
        y, c = s["yolov5"], s["coco"]
        print(f"{s['name']:>15}: yolov5 P {y['mp']:.4f} R {y['mr']:.4f} mAP50 {y['map50']:.4f} "
              f"mAP50-95 {y['map50_95']:.4f} | coco mAP50 {c['map50']:.4f} mAP50-95 {c['map50_95']:.4f}"
              + ("  (numpy tie order matters)" if s["yolov5_unstable_ties_differ"] else ""))


if __name__ == "__main__":
    main()
